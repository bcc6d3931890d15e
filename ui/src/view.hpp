// The view interface and what a view may do besides drawing (Actions): send commands to the
// worker, move to another view, mark widgets for the scripted test. Views hold only UI state
// (edit buffers, selections); the data comes from the snapshot passed to draw().
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/ui/panel.hpp"
#include "commands.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

class Actions {
 public:
  Actions(std::function<void(cmd::Command)> send, const Clock& clock, std::map<std::string, Rect>* items)
      : send_(std::move(send)), clock_(clock), items_(items) {}
  void send(cmd::Command c) {
    ++sent_;
    send_(std::move(c));
  }
  int sent() const { return sent_; }
  const Clock& clock() const { return clock_; }
  // Records the last ImGui item's rectangle under key (only when the test asked for it), with the
  // line it shows when given (never a secret: tests read it back through Panel::item).
  void track(const std::string& key, std::string_view text = {});
  // Asks the panel to show another view (by id) from the next frame on; focus (a contribution id,
  // say) is handed to that view's focus().
  void go(const std::string& view_id, std::int64_t focus = 0) {
    goto_ = view_id;
    focus_ = focus;
  }
  std::string take_goto() { return std::exchange(goto_, {}); }
  std::int64_t take_focus() { return std::exchange(focus_, 0); }

 private:
  std::function<void(cmd::Command)> send_;
  const Clock& clock_;
  std::map<std::string, Rect>* items_;
  std::string goto_;
  std::int64_t focus_ = 0;
  int sent_ = 0;
};

class View {
 public:
  virtual ~View() = default;
  virtual const char* id() const = 0;     // stable, for screenshots and tests: "week"
  virtual const char* title() const = 0;  // shown in the navigation: "This week"
  virtual void draw(const Snapshot& s, Actions& a) = 0;
  // Called on lock: forget everything typed or selected.
  virtual void reset() {}
  // Another view sent the employee here to look at one thing (a contribution id, say).
  virtual void focus(std::int64_t) {}
};

// The one list of views, in navigation order.
std::vector<std::unique_ptr<View>> make_views();
// The gate shown while locked: create, unlock, recovery code, onboarding.
std::unique_ptr<View> make_gate_view();

}  // namespace cairn::ui

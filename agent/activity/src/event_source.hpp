// EventSource: what the Wayland-era backends (wlroots, GNOME, KDE) share. They learn of focus and
// idle changes as events from the compositor or the session bus; this base turns them into spans
// with a SpanBuilder and implements the ActivitySource bookkeeping (checkpoint hold-back, loss of
// the session, consent changes). A backend implements pump_events() and says what it uses.
//
// Thread safety: none; one owner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cairn/activity/monitor.hpp"
#include "cairn/activity/source.hpp"

namespace cairn::activity {

class EventSource : public ActivitySource {
 public:
  int poll_timeout_ms() const override { return -1; }
  Status dispatch(Instant now) override;
  std::vector<ActivitySpan> checkpoint(Instant now) override;
  std::vector<ActivitySpan> stop(Instant now) override;
  void set_collect_titles(bool on, Instant now) override;
  void set_rules(CategoryRules rules, Instant now) override;
  const std::string& status() const override { return status_; }
  bool idle() const override { return builder_.idle(); }
  bool collect_titles() const override { return opts_.collect_titles; }

 protected:
  struct Focus {
    std::string app_id;
    std::optional<std::string> title;  // only with the activity-titles consent
  };

  EventSource(const Clock& clock, CategoryRules rules, MonitorOptions opts);

  // Reads and handles whatever the backend's descriptors hold; false once the session is gone.
  virtual bool pump_events() = 0;
  // Titles were switched on: fetch the current ones (they were dropped as they came).
  virtual void refetch_titles() = 0;
  // "active window: …; idle: …" for the status line.
  virtual std::string mechanisms() const = 0;

  void update_status();
  // The foreground changed (nullopt = no active window). `by_user`: counts as input.
  void set_focus(std::optional<Focus> focus, bool by_user = true);
  // set_focus from the names a desktop backend reports (app id, title; either may be null): no app
  // id means no active window; both are cleaned and cut to their limits, the title kept only
  // under the activity-titles consent.
  void set_focus_names(const char* app_id, const char* title, bool by_user = true);
  // The compositor's idle notice: true = idle for the threshold, false = input came back.
  void on_idle(bool idle);
  void pump(Instant now);
  void lose(Instant now);

  const Clock& clock_;
  CategoryRules rules_;
  MonitorOptions opts_;
  SpanBuilder builder_;
  std::optional<Focus> focus_;
  Instant now_ = 0;          // the instant the events being handled belong to
  Instant last_input_ = 0;   // the latest moment input is known to have happened
  bool idle_watched_ = false;  // the session tells us about idle
  bool lost_ = false, stopped_ = false;
  std::vector<ActivitySpan> final_;  // closed when the session was lost, not yet handed out
  std::string status_;
};

}  // namespace cairn::activity

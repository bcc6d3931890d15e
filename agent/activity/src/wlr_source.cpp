// The wlroots backend (sway, Hyprland, river, labwc): the foreground application from
// zwlr_foreign_toplevel_manager_v1 (the toplevel whose state holds "activated"), idle from the
// compositor's idle notifier. Event driven: nothing runs between compositor events.
//
// Privacy: the compositor sends every toplevel's title with the protocol; without the
// activity-titles consent a title is dropped in the event handler and never stored. Turning titles
// on re-binds the manager, which announces every toplevel again with its current title.
#include <wayland-client.h>

#include <list>

#include "backends.hpp"
#include "event_source.hpp"
#include "text.hpp"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

namespace cairn::activity {
namespace {

constexpr std::uint32_t kStateActivated = ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED;

class WlrSource final : public EventSource {
 public:
  WlrSource(const Clock& clock, CategoryRules rules, MonitorOptions opts, std::unique_ptr<WaylandSession> s)
      : EventSource(clock, std::move(rules), std::move(opts)), wl_(std::move(s)) {}
  ~WlrSource() override {
    // The compositor answers "stop" with "finished", on which the manager is freed, but nothing is
    // read after this: free it here (libwayland discards a later event for a destroyed proxy).
    auto* manager = manager_;
    retire_manager();
    if (manager != nullptr) wl_proxy_destroy(reinterpret_cast<wl_proxy*>(manager));
    wl_display_flush(wl_->display());
  }

  Status start() {
    const auto* g = wl_->find("zwlr_foreign_toplevel_manager_v1");
    if (!g) return make_error(Errc::refused, "the compositor does not offer wlr-foreign-toplevel-management");
    manager_name_ = g->name;
    auto idle = wl_->watch_idle(static_cast<std::uint32_t>(opts_.idle_threshold_s * 1000),
                                [this](bool idle) { on_idle(idle); });
    idle_watched_ = idle.ok();
    idle_status_ = idle.ok() ? *idle : "idle: unavailable (" + idle.error().message + ")";
    bind_manager();
    if (!wl_->roundtrip() || !wl_->roundtrip())  // the toplevels, then their first details
      return make_error(Errc::io, "the Wayland compositor closed the connection while starting");
    update_status();
    return ok_status();
  }

  int fd() const override { return wl_->fd(); }
  const char* backend() const override { return "wlroots"; }

 private:
  struct Toplevel {
    WlrSource* owner = nullptr;
    zwlr_foreign_toplevel_handle_v1* handle = nullptr;
    std::string app_id, pending_app_id;
    std::optional<std::string> title, pending_title;
    bool activated = false, pending_activated = false;
  };

  bool pump_events() override { return wl_->pump(); }
  std::string mechanisms() const override { return "active window: wlr-foreign-toplevel-management; " + idle_status_; }

  // The titles were dropped as they came: a fresh manager announces every toplevel again.
  void refetch_titles() override {
    retire_manager();
    bind_manager();
    if (!wl_->roundtrip() || !wl_->roundtrip()) lose(now_);
  }

  void show_active(bool by_user) {
    if (active_ == nullptr) set_focus(std::nullopt, by_user);
    else set_focus(Focus{active_->app_id, active_->title}, by_user);
  }

  void bind_manager() {
    static const zwlr_foreign_toplevel_manager_v1_listener listener = {&WlrSource::on_toplevel, &WlrSource::on_finished};
    manager_ = static_cast<zwlr_foreign_toplevel_manager_v1*>(
        wl_registry_bind(wl_->registry(), manager_name_, &zwlr_foreign_toplevel_manager_v1_interface, 1));
    zwlr_foreign_toplevel_manager_v1_add_listener(manager_, &listener, this);
  }

  // Stops the current manager: its handles go, and whatever it still announces is destroyed on
  // arrival (its user data is cleared); it is freed on "finished".
  void retire_manager() {
    for (auto& t : toplevels_) zwlr_foreign_toplevel_handle_v1_destroy(t.handle);
    toplevels_.clear();
    active_ = nullptr;
    if (manager_ == nullptr) return;
    wl_proxy_set_user_data(reinterpret_cast<wl_proxy*>(manager_), nullptr);
    zwlr_foreign_toplevel_manager_v1_stop(manager_);
    manager_ = nullptr;
  }

  static void on_toplevel(void* data, zwlr_foreign_toplevel_manager_v1*, zwlr_foreign_toplevel_handle_v1* h) {
    auto* self = static_cast<WlrSource*>(data);
    if (self == nullptr) {  // a retired manager's late announcement
      zwlr_foreign_toplevel_handle_v1_destroy(h);
      return;
    }
    static const zwlr_foreign_toplevel_handle_v1_listener listener = {
        &WlrSource::on_title, &WlrSource::on_app_id, &WlrSource::on_output, &WlrSource::on_output,
        &WlrSource::on_state, &WlrSource::on_done,   &WlrSource::on_closed};
    self->toplevels_.push_back(Toplevel{self, h});
    zwlr_foreign_toplevel_handle_v1_add_listener(h, &listener, &self->toplevels_.back());
  }

  static void on_finished(void* data, zwlr_foreign_toplevel_manager_v1* m) {
    // The current manager ended by the compositor (a retired one has no user data): forget it.
    if (auto* self = static_cast<WlrSource*>(data)) self->manager_ = nullptr;
    wl_proxy_destroy(reinterpret_cast<wl_proxy*>(m));
  }

  static void on_title(void* data, zwlr_foreign_toplevel_handle_v1*, const char* title) {
    auto* t = static_cast<Toplevel*>(data);
    if (t->owner->opts_.collect_titles) t->pending_title = clean_text(title, kMaxTitleBytes);
    // else: dropped here, never stored
  }
  static void on_app_id(void* data, zwlr_foreign_toplevel_handle_v1*, const char* app_id) {
    static_cast<Toplevel*>(data)->pending_app_id = clean_text(app_id, kMaxClassBytes);
  }
  static void on_output(void*, zwlr_foreign_toplevel_handle_v1*, wl_output*) {}
  static void on_state(void* data, zwlr_foreign_toplevel_handle_v1*, wl_array* state) {
    auto* t = static_cast<Toplevel*>(data);
    t->pending_activated = false;
    const auto* v = static_cast<const std::uint32_t*>(state->data);
    for (std::size_t i = 0; i < state->size / sizeof(std::uint32_t); ++i)
      if (v[i] == kStateActivated) t->pending_activated = true;
  }
  static void on_done(void* data, zwlr_foreign_toplevel_handle_v1*) {
    auto* t = static_cast<Toplevel*>(data);
    WlrSource& s = *t->owner;
    if (!s.opts_.collect_titles) t->pending_title.reset();
    const bool changed = t->app_id != t->pending_app_id || t->title != t->pending_title;
    t->app_id = t->pending_app_id;
    t->title = t->pending_title;
    t->activated = t->pending_activated;
    if (t->activated && s.active_ != t) {
      s.active_ = t;
      s.show_active(true);  // a focus change is (almost always) the user's doing
    } else if (!t->activated && s.active_ == t) {
      s.active_ = nullptr;
      s.show_active(true);
    } else if (s.active_ == t && changed) {
      s.show_active(false);
    }
  }
  static void on_closed(void* data, zwlr_foreign_toplevel_handle_v1* h) {
    auto* t = static_cast<Toplevel*>(data);
    WlrSource& s = *t->owner;
    if (s.active_ == t) {
      s.active_ = nullptr;
      s.show_active(false);
    }
    zwlr_foreign_toplevel_handle_v1_destroy(h);
    s.toplevels_.remove_if([t](const Toplevel& x) { return &x == t; });
  }

  std::unique_ptr<WaylandSession> wl_;
  std::uint32_t manager_name_ = 0;
  zwlr_foreign_toplevel_manager_v1* manager_ = nullptr;
  std::list<Toplevel> toplevels_;  // stable addresses: each is its handle's listener data
  Toplevel* active_ = nullptr;
  std::string idle_status_;
};

}  // namespace

Result<std::unique_ptr<ActivitySource>> open_wlroots(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                     std::unique_ptr<WaylandSession> session) {
  auto src = std::make_unique<WlrSource>(clock, std::move(rules), std::move(options), std::move(session));
  CAIRN_TRY(src->start());
  return std::unique_ptr<ActivitySource>(std::move(src));
}

}  // namespace cairn::activity

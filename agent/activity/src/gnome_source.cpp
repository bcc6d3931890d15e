// The GNOME backend: idle from org.gnome.Mutter.IdleMonitor (an idle watch at the threshold and a
// one-shot user-active watch while idle), the foreground application from Cairn's GNOME Shell
// extension (installer/gnome-shell/), which owns org.cairn.Focus on the session bus.
//
// The extension's Changed signal carries only the app id (a broadcast any bus client could read);
// the title is asked for with Get(true) only under the activity-titles consent.
#include <systemd/sd-bus.h>

#include "backends.hpp"
#include "bus.hpp"
#include "event_source.hpp"
#include "text.hpp"

namespace cairn::activity {
namespace {

constexpr const char* kMutter = "org.gnome.Mutter.IdleMonitor";
constexpr const char* kMutterPath = "/org/gnome/Mutter/IdleMonitor/Core";
constexpr const char* kFocus = "org.cairn.Focus";
constexpr const char* kFocusPath = "/org/cairn/Focus";
constexpr const char* kFocusIface = "org.cairn.Focus1";

class GnomeSource final : public EventSource {
 public:
  GnomeSource(const Clock& clock, CategoryRules rules, MonitorOptions opts, std::unique_ptr<SessionBus> bus)
      : EventSource(clock, std::move(rules), std::move(opts)), bus_(std::move(bus)) {}
  ~GnomeSource() override {
    sd_bus_slot_unref(watch_slot_);
    sd_bus_slot_unref(focus_slot_);
    sd_bus_slot_unref(owner_slot_);
    if (idle_watch_) remove_watch(idle_watch_);
    if (active_watch_) remove_watch(active_watch_);
  }

  Status start() {
    if (!bus_->has_owner(kMutter))
      return make_error(Errc::refused, "GNOME Wayland: the session bus has no org.gnome.Mutter.IdleMonitor (is this GNOME Shell?)");
    if (!bus_->has_owner(kFocus))
      return make_error(Errc::refused,
                        "GNOME Wayland: the Cairn shell extension is not enabled; run `gnome-extensions enable "
                        "cairn@cairn.local` (then log out and in once)");
    sd_bus* b = bus_->get();
    int r = sd_bus_match_signal(b, &watch_slot_, kMutter, kMutterPath, kMutter, "WatchFired", &GnomeSource::on_watch, this);
    if (r >= 0) r = sd_bus_match_signal(b, &focus_slot_, kFocus, kFocusPath, kFocusIface, "Changed", &GnomeSource::on_changed, this);
    if (r >= 0)
      r = sd_bus_match_signal(b, &owner_slot_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                              "NameOwnerChanged", &GnomeSource::on_owner, this);
    if (r < 0) return make_error(Errc::io, bus_error(r, "cannot subscribe to GNOME's signals"));
    idle_watch_ = add_watch("AddIdleWatch", static_cast<std::uint64_t>(opts_.idle_threshold_s) * 1000);
    if (idle_watch_ == 0) return make_error(Errc::refused, "GNOME's idle monitor refused an idle watch");
    idle_watched_ = true;
    // Already idle at start?
    if (auto ms = idletime(); ms && *ms >= static_cast<std::uint64_t>(opts_.idle_threshold_s) * 1000) {
      builder_.begin_idle(now_, static_cast<std::int64_t>(*ms / 1000));
      active_watch_ = add_watch("AddUserActiveWatch", 0);
    }
    if (!fetch_focus(false)) return make_error(Errc::io, "the Cairn shell extension did not answer");
    update_status();
    return ok_status();
  }

  int fd() const override { return bus_->fd(); }
  int poll_timeout_ms() const override { return bus_->timeout_ms(); }
  const char* backend() const override { return "gnome"; }

 private:
  bool pump_events() override { return bus_->process() && !extension_gone_; }
  void refetch_titles() override { (void)fetch_focus(false); }
  std::string mechanisms() const override {
    return "active window: the Cairn GNOME Shell extension; idle: org.gnome.Mutter.IdleMonitor";
  }

  std::uint32_t add_watch(const char* method, std::uint64_t ms) {
    BusReply call;
    std::uint32_t id = 0;
    int r = ms ? sd_bus_call_method(bus_->get(), kMutter, kMutterPath, kMutter, method, call.error(), call.out(), "t", ms)
               : sd_bus_call_method(bus_->get(), kMutter, kMutterPath, kMutter, method, call.error(), call.out(), "");
    if (r >= 0 && sd_bus_message_read(call.reply(), "u", &id) < 0) id = 0;
    return id;
  }
  void remove_watch(std::uint32_t id) {
    sd_bus_call_method(bus_->get(), kMutter, kMutterPath, kMutter, "RemoveWatch", nullptr, nullptr, "u", id);
  }
  std::optional<std::uint64_t> idletime() {
    BusReply call;
    std::uint64_t ms = 0;
    int r = sd_bus_call_method(bus_->get(), kMutter, kMutterPath, kMutter, "GetIdletime", nullptr, call.out(), "");
    if (r >= 0) r = sd_bus_message_read(call.reply(), "t", &ms);
    if (r < 0) return std::nullopt;
    return ms;
  }

  // Asks the extension what is focused; the title only under the consent.
  bool fetch_focus(bool by_user) {
    BusReply call;
    const char* app = nullptr;
    const char* title = nullptr;
    int r = sd_bus_call_method(bus_->get(), kFocus, kFocusPath, kFocusIface, "Get", nullptr, call.out(), "b",
                               static_cast<int>(opts_.collect_titles));
    if (r >= 0) r = sd_bus_message_read(call.reply(), "ss", &app, &title);
    if (r >= 0) set_focus_names(app, title, by_user);
    return r >= 0;
  }

  static int on_watch(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* s = static_cast<GnomeSource*>(data);
    std::uint32_t id = 0;
    if (sd_bus_message_read(m, "u", &id) < 0) return 0;
    if (id == s->idle_watch_ && !s->builder_.idle()) {
      s->on_idle(true);
      s->active_watch_ = s->add_watch("AddUserActiveWatch", 0);
    } else if (id == s->active_watch_ && s->active_watch_ != 0) {
      s->active_watch_ = 0;  // one-shot: mutter removed it
      s->on_idle(false);
    }
    return 0;
  }
  static int on_changed(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* s = static_cast<GnomeSource*>(data);
    const char* app = nullptr;
    if (sd_bus_message_read(m, "s", &app) < 0) return 0;
    if (s->opts_.collect_titles) {
      (void)s->fetch_focus(true);  // the title needs a question of its own
    } else if (app == nullptr || *app == '\0') {
      s->set_focus(std::nullopt);
    } else {
      s->set_focus(Focus{clean_text(app, kMaxClassBytes), std::nullopt});
    }
    return 0;
  }
  static int on_owner(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* s = static_cast<GnomeSource*>(data);
    const char *name = nullptr, *old_owner = nullptr, *new_owner = nullptr;
    if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0) return 0;
    if ((std::string_view(name) == kFocus || std::string_view(name) == kMutter) && (!new_owner || !*new_owner))
      s->extension_gone_ = true;  // disabled extension or shell restart: reopen from scratch
    return 0;
  }

  std::unique_ptr<SessionBus> bus_;
  sd_bus_slot* watch_slot_ = nullptr;
  sd_bus_slot* focus_slot_ = nullptr;
  sd_bus_slot* owner_slot_ = nullptr;
  std::uint32_t idle_watch_ = 0, active_watch_ = 0;
  bool extension_gone_ = false;
};

}  // namespace

Result<std::unique_ptr<ActivitySource>> open_gnome(const Clock& clock, CategoryRules rules, MonitorOptions options) {
  return open_on_session_bus<GnomeSource>(clock, std::move(rules), std::move(options));
}

}  // namespace cairn::activity

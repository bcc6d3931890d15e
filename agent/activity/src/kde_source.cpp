// The KDE Plasma backend: idle from the compositor's Wayland idle notifier (ext-idle-notify-v1 or
// org_kde_kwin_idle), the foreground application from Cairn's KWin script (installer/kwin/),
// which KWin loads on our request (org.kde.KWin /Scripting loadScript) and which calls
// org.cairn.KWinFocus1.Activated(app_id, title) on this process at every activation. Two variants
// of the script exist: the one loaded without the activity-titles consent sends no title at all.
//
// fd() is an epoll descriptor over the Wayland socket and the session bus.
#include <sys/epoll.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <filesystem>

#include "backends.hpp"
#include "bus.hpp"
#include "event_source.hpp"

namespace cairn::activity {
namespace {

constexpr const char* kName = "org.cairn.KWinFocus";
constexpr const char* kPath = "/org/cairn/KWinFocus";
constexpr const char* kIface = "org.cairn.KWinFocus1";
constexpr const char* kPlugin = "cairn-activity";

std::filesystem::path script_dir(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (auto d : {exe.parent_path() / "../../share/cairn/kwin", exe.parent_path() / "../share/cairn/kwin"})
    if (std::filesystem::exists(d / "cairn-activity.js", ec)) return d;
  return "/usr/share/cairn/kwin";
}

class KdeSource final : public EventSource {
 public:
  KdeSource(const Clock& clock, CategoryRules rules, MonitorOptions opts, std::unique_ptr<WaylandSession> wl,
            std::unique_ptr<SessionBus> bus)
      : EventSource(clock, std::move(rules), std::move(opts)), wl_(std::move(wl)), bus_(std::move(bus)) {}
  ~KdeSource() override {
    unload_script();
    sd_bus_slot_unref(vtable_slot_);
    if (epoll_ >= 0) ::close(epoll_);
  }

  Status start() {
    if (!bus_->has_owner("org.kde.KWin"))
      return make_error(Errc::refused, "KDE Plasma Wayland: KWin is not on the session bus, so its script cannot be loaded");
    auto idle = wl_->watch_idle(static_cast<std::uint32_t>(opts_.idle_threshold_s * 1000), [this](bool i) { on_idle(i); });
    idle_watched_ = idle.ok();
    idle_status_ = idle.ok() ? *idle : "idle: unavailable (" + idle.error().message + ")";
    static const sd_bus_vtable vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD("Activated", "ss", "", &KdeSource::on_activated, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END};
    int r = sd_bus_add_object_vtable(bus_->get(), &vtable_slot_, kPath, kIface, vtable, this);
    if (r >= 0) r = sd_bus_request_name(bus_->get(), kName, 0);
    if (r < 0) return make_error(Errc::refused, bus_error(r, "cannot own org.cairn.KWinFocus (is another cairn agent running?)"));
    CAIRN_TRY(load_script());
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    if (epoll_ < 0 || ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wl_->fd(), &ev) != 0 ||
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, bus_->fd(), &ev) != 0)
      return make_error(Errc::io, "cannot create the KDE backend's epoll descriptor");
    update_status();
    return ok_status();
  }

  int fd() const override { return epoll_; }
  int poll_timeout_ms() const override { return bus_->timeout_ms(); }
  const char* backend() const override { return "kde"; }

 private:
  bool pump_events() override {
    epoll_event evs[4];
    while (::epoll_wait(epoll_, evs, 4, 0) > 0) {
      if (!wl_->pump() || !bus_->process()) return false;
    }
    return wl_->pump() && bus_->process();
  }
  void refetch_titles() override {
    unload_script();
    if (!load_script().ok()) lose(now_);
  }
  std::string mechanisms() const override { return "active window: the Cairn KWin script; " + idle_status_; }

  Status load_script() {
    auto file = script_dir(opts_.kwin_script_dir) / (opts_.collect_titles ? "cairn-activity-titles.js" : "cairn-activity.js");
    if (!std::filesystem::exists(file))
      return make_error(Errc::not_found, "KDE Plasma Wayland: Cairn's KWin script is missing (" + file.string() + "); reinstall Cairn");
    BusReply call;
    std::int32_t id = -1;
    int r = sd_bus_call_method(bus_->get(), "org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting", "loadScript",
                               call.error(), call.out(), "ss", file.c_str(), kPlugin);
    if (r >= 0) r = sd_bus_message_read(call.reply(), "i", &id);
    if (r < 0 || id < 0)
      return make_error(Errc::refused, "KDE Plasma Wayland: KWin refused to load Cairn's script " + call.error_message());
    // Plasma 5.27+ registers the script at /Scripting/Script<id>, older releases at /<id>.
    for (auto path : {"/Scripting/Script" + std::to_string(id), "/" + std::to_string(id)})
      if (sd_bus_call_method(bus_->get(), "org.kde.KWin", path.c_str(), "org.kde.kwin.Script", "run", nullptr, nullptr, "") >= 0) {
        loaded_ = true;
        return ok_status();
      }
    return make_error(Errc::refused, "KDE Plasma Wayland: KWin loaded Cairn's script but would not run it");
  }
  void unload_script() {
    if (!loaded_) return;
    sd_bus_call_method(bus_->get(), "org.kde.KWin", "/Scripting", "org.kde.kwin.Scripting", "unloadScript", nullptr,
                       nullptr, "s", kPlugin);
    loaded_ = false;
  }

  static int on_activated(sd_bus_message* m, void* data, sd_bus_error*) {
    auto* s = static_cast<KdeSource*>(data);
    const char *app = nullptr, *title = nullptr;
    if (sd_bus_message_read(m, "ss", &app, &title) >= 0) s->set_focus_names(app, title);
    return sd_bus_reply_method_return(m, "");
  }

  std::unique_ptr<WaylandSession> wl_;
  std::unique_ptr<SessionBus> bus_;
  sd_bus_slot* vtable_slot_ = nullptr;
  int epoll_ = -1;
  bool loaded_ = false;
  std::string idle_status_;
};

}  // namespace

Result<std::unique_ptr<ActivitySource>> open_kde(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                 std::unique_ptr<WaylandSession> session) {
  return open_on_session_bus<KdeSource>(clock, std::move(rules), std::move(options), std::move(session));
}

}  // namespace cairn::activity

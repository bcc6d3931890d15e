// open_source: session detection to backend (contract in open.hpp).
#include "cairn/activity/open.hpp"

#include "backends.hpp"

namespace cairn::activity {

Result<std::unique_ptr<ActivitySource>> open_source(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                    const SessionEnv& env, Session* session) {
  Session s = detect_session(env);
  if (!options.display.empty() && s.kind == SessionKind::none) s = {SessionKind::x11, Family::x11, env.current_desktop};
  if (session) *session = s;
  if (s.kind == SessionKind::none)
    return make_error(Errc::not_found, "no graphical session: neither WAYLAND_DISPLAY nor DISPLAY is set "
                                       "(the user manager needs them: `systemctl --user import-environment`)");
  if (s.kind == SessionKind::x11) {
    if (options.display.empty()) options.display = env.x_display;
    auto m = ActivityMonitor::open(clock, std::move(rules), std::move(options));
    if (!m.ok()) return m.error();
    return std::unique_ptr<ActivitySource>(std::move(m).value());
  }

  if (options.wayland_display.empty()) options.wayland_display = env.wayland_display;
  auto wl = WaylandSession::connect(options.wayland_display);
  if (!wl.ok()) return wl.error();
  s.family = family_from_globals((*wl)->interface_names(), s.family);
  if (session) *session = s;
  switch (s.family) {
    case Family::wlroots: return open_wlroots(clock, std::move(rules), std::move(options), std::move(wl).value());
    case Family::kde: return open_kde(clock, std::move(rules), std::move(options), std::move(wl).value());
    case Family::gnome: return open_gnome(clock, std::move(rules), std::move(options));
    default: break;
  }
  return make_error(Errc::refused,
                    describe(s) + ": the compositor offers no way to learn the active window "
                    "(neither wlr-foreign-toplevel-management nor GNOME's or KDE's interfaces); "
                    "activity cannot be collected in this session. Supported: X11, sway and other wlroots "
                    "compositors, GNOME, KDE Plasma");
}

}  // namespace cairn::activity

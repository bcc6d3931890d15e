// Which desktop session the activity source runs in, and so which backend can collect: X11, or
// Wayland with the compositor family (wlroots, GNOME, KDE, other). Decided once at start from the
// environment, then refined by what the compositor actually offers (its registry globals).
//
// XWayland is never mistaken for the session: inside a Wayland session DISPLAY is also set (for
// X clients), but an X11 backend there would only see X windows, so WAYLAND_DISPLAY (or
// XDG_SESSION_TYPE=wayland) wins. XDG_SESSION_TYPE=x11 wins over a stray WAYLAND_DISPLAY.
//
// Pure functions over plain values, so every rule is testable without a display.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::activity {

enum class SessionKind { none, x11, wayland };
enum class Family { none, x11, wlroots, gnome, kde, other };

struct SessionEnv {
  std::string wayland_display;  // WAYLAND_DISPLAY
  std::string x_display;        // DISPLAY
  std::string current_desktop;  // XDG_CURRENT_DESKTOP (colon-separated, e.g. "ubuntu:GNOME")
  std::string session_type;     // XDG_SESSION_TYPE
  static SessionEnv from_process();
};

struct Session {
  SessionKind kind = SessionKind::none;
  Family family = Family::none;
  std::string desktop;  // the XDG_CURRENT_DESKTOP value, for messages
};

// From the environment alone.
Session detect_session(const SessionEnv& env);
// The family once the compositor's globals are known (interface names from wl_registry).
Family family_from_globals(const std::vector<std::string>& globals, Family from_env);
// "x11", "wlroots", "gnome", "kde", "other", "none".
const char* family_name(Family f);
// "X11", "wlroots Wayland", "GNOME Wayland", "KDE Plasma Wayland", "Wayland", "no session".
std::string describe(const Session& s);

}  // namespace cairn::activity

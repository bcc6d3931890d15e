// Session detection (contract in session.hpp).
#include "cairn/activity/session.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cairn::activity {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view name) {
  return std::find(v.begin(), v.end(), name) != v.end();
}

Family family_from_desktop(std::string_view desktop) {
  // XDG_CURRENT_DESKTOP is a colon-separated list, most specific first ("ubuntu:GNOME").
  std::size_t start = 0;
  while (start <= desktop.size()) {
    auto end = desktop.find(':', start);
    if (end == std::string_view::npos) end = desktop.size();
    std::string item = lower(desktop.substr(start, end - start));
    if (item == "gnome" || item == "gnome-classic" || item == "gnome-flashback") return Family::gnome;
    if (item == "kde" || item == "plasma") return Family::kde;
    if (item == "sway" || item == "hyprland" || item == "river" || item == "labwc" || item == "wayfire" ||
        item == "wlroots" || item == "dwl" || item == "niri")
      return Family::wlroots;
    start = end + 1;
  }
  return Family::other;
}

}  // namespace

SessionEnv SessionEnv::from_process() {
  return {env_or_empty("WAYLAND_DISPLAY"), env_or_empty("DISPLAY"), env_or_empty("XDG_CURRENT_DESKTOP"),
          env_or_empty("XDG_SESSION_TYPE")};
}

Session detect_session(const SessionEnv& env) {
  Session s;
  s.desktop = env.current_desktop;
  const std::string type = lower(env.session_type);
  const bool wayland = type == "wayland" || (type != "x11" && !env.wayland_display.empty());
  if (wayland) {
    s.kind = SessionKind::wayland;
    s.family = family_from_desktop(env.current_desktop);
  } else if (!env.x_display.empty()) {
    s.kind = SessionKind::x11;
    s.family = Family::x11;
  }
  return s;
}

Family family_from_globals(const std::vector<std::string>& globals, Family from_env) {
  // What the compositor offers beats what the environment claims (a labwc session may say
  // "wlroots" or nothing at all; a nested session may inherit the outer desktop's name).
  if (has(globals, "zwlr_foreign_toplevel_manager_v1")) return Family::wlroots;
  if (has(globals, "org_kde_plasma_window_management")) return Family::kde;
  if (has(globals, "gtk_shell1") && from_env == Family::gnome) return Family::gnome;
  if (from_env == Family::gnome || from_env == Family::kde) return from_env;  // trust the name
  return Family::other;  // e.g. weston, or sway with the protocol switched off
}

const char* family_name(Family f) {
  switch (f) {
    case Family::none: return "none";
    case Family::x11: return "x11";
    case Family::wlroots: return "wlroots";
    case Family::gnome: return "gnome";
    case Family::kde: return "kde";
    case Family::other: return "other";
  }
  return "none";
}

std::string describe(const Session& s) {
  switch (s.family) {
    case Family::none: return "no graphical session";
    case Family::x11: return "X11";
    case Family::wlroots: return "wlroots Wayland" + (s.desktop.empty() ? std::string() : " (" + s.desktop + ")");
    case Family::gnome: return "GNOME Wayland";
    case Family::kde: return "KDE Plasma Wayland";
    case Family::other: return "Wayland" + (s.desktop.empty() ? std::string() : " (" + s.desktop + ")");
  }
  return "no graphical session";
}

}  // namespace cairn::activity

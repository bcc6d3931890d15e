// Session detection: which backend each environment and compositor leads to, and that XWayland's
// DISPLAY inside a Wayland session is never taken for the session. Also the status file.
#include <doctest/doctest.h>

#include <unistd.h>

#include "cairn/activity/session.hpp"
#include "cairn/base/files.hpp"

using namespace cairn::activity;

TEST_CASE("the environment decides X11 or Wayland, and which compositor family") {
  CHECK(detect_session({"", ":0", "", "x11"}).family == Family::x11);
  CHECK(detect_session({"", ":0", "XFCE", ""}).kind == SessionKind::x11);
  CHECK(detect_session({"", "", "", ""}).kind == SessionKind::none);
  // XWayland: DISPLAY is set inside every Wayland session; the session is still Wayland.
  CHECK(detect_session({"wayland-0", ":0", "GNOME", "wayland"}).family == Family::gnome);
  CHECK(detect_session({"wayland-0", ":1", "ubuntu:GNOME", ""}).family == Family::gnome);
  CHECK(detect_session({"wayland-0", ":0", "KDE", "wayland"}).family == Family::kde);
  CHECK(detect_session({"wayland-1", ":0", "sway", ""}).family == Family::wlroots);
  CHECK(detect_session({"wayland-1", "", "Hyprland", ""}).family == Family::wlroots);
  CHECK(detect_session({"wayland-1", "", "", ""}).family == Family::other);
  CHECK(detect_session({"", "", "", "wayland"}).kind == SessionKind::wayland);
  // An explicit X11 session wins over a stray WAYLAND_DISPLAY (a nested compositor's window).
  CHECK(detect_session({"wayland-0", ":0", "GNOME", "x11"}).family == Family::x11);
}

TEST_CASE("what the compositor offers beats what the environment claims") {
  std::vector<std::string> wlr = {"wl_seat", "zwlr_foreign_toplevel_manager_v1", "org_kde_kwin_idle"};
  std::vector<std::string> kde = {"wl_seat", "org_kde_plasma_window_management", "org_kde_kwin_idle"};
  std::vector<std::string> gnome = {"wl_seat", "gtk_shell1"};
  std::vector<std::string> weston = {"wl_seat", "weston_desktop_shell"};
  CHECK(family_from_globals(wlr, Family::other) == Family::wlroots);  // labwc without XDG_CURRENT_DESKTOP
  CHECK(family_from_globals(kde, Family::other) == Family::kde);
  CHECK(family_from_globals(gnome, Family::gnome) == Family::gnome);
  CHECK(family_from_globals(weston, Family::other) == Family::other);
  CHECK(family_from_globals(weston, Family::wlroots) == Family::other);  // says sway, offers nothing
  CHECK(describe({SessionKind::wayland, Family::gnome, "GNOME"}) == "GNOME Wayland");
}


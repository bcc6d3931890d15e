// FakeDesktop: a stand-in for a window manager on a bare X server (Xvfb), for the activity tests
// and the cairn_fake_desktop driver. It creates windows with chosen WM_CLASS and titles, sets
// _NET_ACTIVE_WINDOW on the root as an EWMH window manager would, and fakes input through XTEST.
#pragma once

#include <xcb/xcb.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::activity::testing {

class FakeDesktop {
 public:
  // Connects to `display` (empty = $DISPLAY); nullptr when that fails.
  static std::unique_ptr<FakeDesktop> connect(const std::string& display = {});
  ~FakeDesktop();

  // An unmapped 1x1 window; with empty instance and class it has no WM_CLASS at all.
  xcb_window_t create_window(std::string_view instance, std::string_view app_class,
                             std::optional<std::string_view> title = std::nullopt);
  void set_wm_class(xcb_window_t w, std::string_view instance, std::string_view app_class);
  void set_title(xcb_window_t w, std::string_view title);       // _NET_WM_NAME, UTF8_STRING
  void set_legacy_title(xcb_window_t w, std::string_view title);  // WM_NAME, STRING (Latin-1)
  void destroy(xcb_window_t w);
  // Sets _NET_ACTIVE_WINDOW on the root (XCB_NONE for "no active window").
  void activate(xcb_window_t w);
  // A pointer motion through XTEST: resets the server's idle time. False without XTEST.
  bool fake_input();
  // A round trip: everything sent before has been processed by the server.
  void sync();
  bool broken() const;

 private:
  FakeDesktop() = default;
  xcb_connection_t* c_ = nullptr;
  xcb_window_t root_ = XCB_NONE;
  xcb_atom_t net_active_window_ = XCB_NONE;
  xcb_atom_t net_wm_name_ = XCB_NONE;
  xcb_atom_t utf8_string_ = XCB_NONE;
  int motion_ = 0;
};

}  // namespace cairn::activity::testing

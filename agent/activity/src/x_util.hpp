// Small xcb helpers for the activity monitor: owned replies, atoms, window property reads that
// turn every X error (a window destroyed while we ask about it) into "absent", and text clean-up
// so that whatever a client put in a property becomes bounded, valid UTF-8.
#pragma once

#include <xcb/xcb.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::activity::x {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <class T>
using Reply = std::unique_ptr<T, FreeDeleter>;

// Interns an atom (one round trip); XCB_ATOM_NONE on failure.
xcb_atom_t intern(xcb_connection_t* c, std::string_view name);

// The WINDOW value of a root property such as _NET_ACTIVE_WINDOW; nullopt when absent or on error.
std::optional<xcb_window_t> read_window_property(xcb_connection_t* c, xcb_window_t w, xcb_atom_t prop);

struct WmClass {
  std::string instance;
  std::string app_class;
};
// Issues the requests first and collects the replies after, so a caller can pipeline reads.
xcb_get_property_cookie_t request_wm_class(xcb_connection_t* c, xcb_window_t w);
// nullopt when the window has no (readable) WM_CLASS; *gone is set when the window no longer exists.
std::optional<WmClass> take_wm_class(xcb_connection_t* c, xcb_get_property_cookie_t cookie,
                                     std::size_t max_bytes, bool* gone);
// _NET_WM_NAME (UTF-8), else WM_NAME (Latin-1 STRING); nullopt when neither is readable.
struct TitleCookies {
  xcb_get_property_cookie_t net_wm_name;
  xcb_get_property_cookie_t wm_name;
};
TitleCookies request_title(xcb_connection_t* c, xcb_window_t w, xcb_atom_t net_wm_name);
std::optional<std::string> take_title(xcb_connection_t* c, TitleCookies cookies, std::size_t max_bytes);

}  // namespace cairn::activity::x

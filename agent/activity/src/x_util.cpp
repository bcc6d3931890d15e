// xcb helpers (see x_util.hpp). Every reply error is freed and reported as "absent": windows come
// and go between an event and our question about them, and that must never stop the monitor.
#include "x_util.hpp"

#include <cstring>

#include "text.hpp"

namespace cairn::activity::x {
namespace {

constexpr std::uint32_t kMaxPropertyWords = 1024;  // 4 KiB: we keep far less than that anyway

std::string_view property_bytes(const xcb_get_property_reply_t* r) {
  if (r == nullptr || r->format != 8) return {};
  int len = xcb_get_property_value_length(r);
  if (len <= 0) return {};
  return {static_cast<const char*>(xcb_get_property_value(r)), static_cast<std::size_t>(len)};
}

}  // namespace

xcb_atom_t intern(xcb_connection_t* c, std::string_view name) {
  auto cookie = xcb_intern_atom(c, 0, static_cast<std::uint16_t>(name.size()), name.data());
  Reply<xcb_intern_atom_reply_t> r(xcb_intern_atom_reply(c, cookie, nullptr));
  return r ? r->atom : static_cast<xcb_atom_t>(XCB_ATOM_NONE);
}

std::optional<xcb_window_t> read_window_property(xcb_connection_t* c, xcb_window_t w, xcb_atom_t prop) {
  xcb_generic_error_t* err = nullptr;
  auto cookie = xcb_get_property(c, 0, w, prop, XCB_ATOM_WINDOW, 0, 1);
  Reply<xcb_get_property_reply_t> r(xcb_get_property_reply(c, cookie, &err));
  std::free(err);
  if (!r || r->format != 32 || r->type != XCB_ATOM_WINDOW || xcb_get_property_value_length(r.get()) < 4)
    return std::nullopt;
  xcb_window_t value;
  std::memcpy(&value, xcb_get_property_value(r.get()), sizeof value);
  return value;
}

xcb_get_property_cookie_t request_wm_class(xcb_connection_t* c, xcb_window_t w) {
  // Any type: ICCCM says STRING, but some clients write UTF8_STRING; the bytes are cleaned anyway.
  return xcb_get_property(c, 0, w, XCB_ATOM_WM_CLASS, XCB_GET_PROPERTY_TYPE_ANY, 0, kMaxPropertyWords);
}

std::optional<WmClass> take_wm_class(xcb_connection_t* c, xcb_get_property_cookie_t cookie,
                                     std::size_t max_bytes, bool* gone) {
  xcb_generic_error_t* err = nullptr;
  Reply<xcb_get_property_reply_t> r(xcb_get_property_reply(c, cookie, &err));
  *gone = err != nullptr && err->error_code == XCB_WINDOW;
  std::free(err);
  std::string_view bytes = property_bytes(r.get());
  if (bytes.empty()) return std::nullopt;
  // Two NUL-terminated strings: instance, then class. Some clients omit the final NUL or the class.
  std::size_t nul = bytes.find('\0');
  std::string_view instance = bytes.substr(0, nul);
  std::string_view klass;
  if (nul != std::string_view::npos) {
    klass = bytes.substr(nul + 1);
    klass = klass.substr(0, klass.find('\0'));
  }
  WmClass out{clean_text(instance, max_bytes), clean_text(klass, max_bytes)};
  if (out.instance.empty() && out.app_class.empty()) return std::nullopt;
  return out;
}

TitleCookies request_title(xcb_connection_t* c, xcb_window_t w, xcb_atom_t net_wm_name) {
  // Any type: clients disagree on the types of both; the bytes are cleaned anyway
  return {xcb_get_property(c, 0, w, net_wm_name, XCB_GET_PROPERTY_TYPE_ANY, 0, kMaxPropertyWords),
          xcb_get_property(c, 0, w, XCB_ATOM_WM_NAME, XCB_GET_PROPERTY_TYPE_ANY, 0, kMaxPropertyWords)};
}

std::optional<std::string> take_title(xcb_connection_t* c, TitleCookies cookies, std::size_t max_bytes) {
  xcb_generic_error_t* err = nullptr;
  Reply<xcb_get_property_reply_t> net(xcb_get_property_reply(c, cookies.net_wm_name, &err));
  std::free(err);
  err = nullptr;
  Reply<xcb_get_property_reply_t> legacy(xcb_get_property_reply(c, cookies.wm_name, &err));
  std::free(err);
  std::string_view bytes = property_bytes(net.get());
  if (bytes.empty()) bytes = property_bytes(legacy.get());
  if (bytes.empty()) return std::nullopt;
  return clean_text(bytes, max_bytes);
}

}  // namespace cairn::activity::x

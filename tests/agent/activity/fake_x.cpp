// FakeDesktop (see fake_x.hpp).
#include "fake_x.hpp"

#include <xcb/xtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cairn::activity::testing {

namespace {

xcb_atom_t intern(xcb_connection_t* c, std::string_view name) {
  auto* r = xcb_intern_atom_reply(c, xcb_intern_atom(c, 0, static_cast<std::uint16_t>(name.size()), name.data()),
                                  nullptr);
  xcb_atom_t a = r ? r->atom : static_cast<xcb_atom_t>(XCB_ATOM_NONE);
  std::free(r);
  return a;
}

}  // namespace

std::unique_ptr<FakeDesktop> FakeDesktop::connect(const std::string& display) {
  std::unique_ptr<FakeDesktop> d(new FakeDesktop);
  int screen_no = 0;
  d->c_ = xcb_connect(display.empty() ? nullptr : display.c_str(), &screen_no);
  if (int err = xcb_connection_has_error(d->c_)) {
    std::fprintf(stderr, "FakeDesktop: xcb_connect(%s) failed: error %d\n", display.c_str(), err);
    return nullptr;
  }
  auto it = xcb_setup_roots_iterator(xcb_get_setup(d->c_));
  for (int i = 0; i < screen_no && it.rem > 0; ++i) xcb_screen_next(&it);
  d->root_ = it.data->root;
  d->net_active_window_ = intern(d->c_, "_NET_ACTIVE_WINDOW");
  d->net_wm_name_ = intern(d->c_, "_NET_WM_NAME");
  d->utf8_string_ = intern(d->c_, "UTF8_STRING");
  return d;
}

FakeDesktop::~FakeDesktop() {
  if (c_ != nullptr) xcb_disconnect(c_);
}

xcb_window_t FakeDesktop::create_window(std::string_view instance, std::string_view app_class,
                                        std::optional<std::string_view> title) {
  xcb_window_t w = xcb_generate_id(c_);
  xcb_create_window(c_, XCB_COPY_FROM_PARENT, w, root_, 0, 0, 1, 1, 0, XCB_WINDOW_CLASS_INPUT_ONLY,
                    XCB_COPY_FROM_PARENT, 0, nullptr);
  if (!instance.empty() || !app_class.empty()) set_wm_class(w, instance, app_class);
  if (title) set_title(w, *title);
  return w;
}

void FakeDesktop::set_wm_class(xcb_window_t w, std::string_view instance, std::string_view app_class) {
  std::string value(instance);
  value += '\0';
  value += app_class;
  value += '\0';
  xcb_change_property(c_, XCB_PROP_MODE_REPLACE, w, XCB_ATOM_WM_CLASS, XCB_ATOM_STRING, 8,
                      static_cast<std::uint32_t>(value.size()), value.data());
}

void FakeDesktop::set_title(xcb_window_t w, std::string_view title) {
  xcb_change_property(c_, XCB_PROP_MODE_REPLACE, w, net_wm_name_, utf8_string_, 8,
                      static_cast<std::uint32_t>(title.size()), title.data());
}

void FakeDesktop::set_legacy_title(xcb_window_t w, std::string_view title) {
  xcb_change_property(c_, XCB_PROP_MODE_REPLACE, w, XCB_ATOM_WM_NAME, XCB_ATOM_STRING, 8,
                      static_cast<std::uint32_t>(title.size()), title.data());
}

void FakeDesktop::destroy(xcb_window_t w) { xcb_destroy_window(c_, w); }

void FakeDesktop::activate(xcb_window_t w) {
  xcb_change_property(c_, XCB_PROP_MODE_REPLACE, root_, net_active_window_, XCB_ATOM_WINDOW, 32, 1, &w);
  xcb_flush(c_);
}

bool FakeDesktop::fake_input() {
  const xcb_query_extension_reply_t* ext = xcb_get_extension_data(c_, &xcb_test_id);
  if (ext == nullptr || !ext->present) return false;
  motion_ = (motion_ + 1) % 50;  // a motion to where the pointer already is may not count as input
  xcb_test_fake_input(c_, XCB_MOTION_NOTIFY, 0, XCB_CURRENT_TIME, root_, static_cast<std::int16_t>(10 + motion_),
                      static_cast<std::int16_t>(10 + motion_), 0);
  sync();
  return true;
}

void FakeDesktop::sync() {
  std::free(xcb_get_input_focus_reply(c_, xcb_get_input_focus(c_), nullptr));
}

bool FakeDesktop::broken() const { return xcb_connection_has_error(c_) != 0; }

}  // namespace cairn::activity::testing

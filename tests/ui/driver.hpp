// Drives the real panel window from a test: finds widgets by the keys views track, moves the
// mouse there and clicks through ImGuiIO, types text, and runs frames until the worker is idle.
#pragma once

#include <chrono>
#include <string>
#include <thread>

#include <imgui.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cairn/ui/panel.hpp"

namespace cairn::ui::test {

class Driver {
 public:
  explicit Driver(Panel& p) : p_(p) {}

  // Runs frames until the worker has nothing queued and a few frames settled the layout.
  bool settle(double timeout_s = 30) {
    auto t0 = std::chrono::steady_clock::now();
    int quiet = 0;
    while (quiet < 4) {
      if (!p_.frame()) return false;
      if (p_.worker_idle()) ++quiet;
      else {
        quiet = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > timeout_s) return false;
    }
    return true;
  }

  bool has(const std::string& key) {
    p_.frame();
    return p_.item(key).has_value();
  }

  // Scrolls with the mouse wheel until the widget is inside the window.
  std::optional<Rect> visible(const std::string& key) {
    p_.frame();
    auto r = p_.item(key);
    const float h = ImGui::GetIO().DisplaySize.y;
    if (r && std::getenv("CAIRN_UI_DRIVER_DEBUG")) std::fprintf(stderr, "%s: %.0f..%.0f of %.0f\n", key.c_str(), r->y0, r->y1, h);
    for (int i = 0; i < 60 && r && (r->y1 > h - 4 || r->y0 < 4); ++i) {
      float wheel = r->y1 > h - 4 ? -2.0f : 2.0f;
      p_.inject_mouse(r->cx(), h / 2, false);
      p_.inject_wheel(wheel);
      p_.frame();
      p_.frame();
      r = p_.item(key);
      if (r && std::getenv("CAIRN_UI_DRIVER_DEBUG")) std::fprintf(stderr, "  now %.0f..%.0f\n", r->y0, r->y1);
    }
    return r;
  }

  // Moves to the widget, presses and releases the left button over three frames.
  bool click(const std::string& key) {
    auto r = visible(key);
    if (!r) return false;
    p_.inject_mouse(r->cx(), r->cy(), false);
    p_.frame();
    p_.inject_mouse(r->cx(), r->cy(), true);
    p_.frame();
    p_.inject_mouse(r->cx(), r->cy(), false);
    p_.frame();
    return settle();
  }

  // Clicks near the right end of a text field so typed text is appended.
  bool click_end(const std::string& key) {
    auto r = visible(key);
    if (!r) return false;
    float x = r->x1 - 4, y = r->cy();
    p_.inject_mouse(x, y, false);
    p_.frame();
    p_.inject_mouse(x, y, true);
    p_.frame();
    p_.inject_mouse(x, y, false);
    p_.frame();
    return true;
  }

  void type(const std::string& text) {
    p_.inject_text(text);
    p_.frame();
    p_.frame();
  }

  void key(int imgui_key) {
    p_.inject_key(imgui_key);
    p_.frame();
    p_.frame();
    settle();
  }

  Panel& panel() { return p_; }

 private:
  Panel& p_;
};

}  // namespace cairn::ui::test

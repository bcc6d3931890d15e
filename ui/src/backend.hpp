// The window system, behind one small class: a GLFW window with an OpenGL 3 context, the Dear
// ImGui GLFW/OpenGL3 backends, fonts and the content scale. Only backend_glfw.cpp includes GLFW
// or GL. The panel sleeps in wait() while nothing happens; wake() (any thread) ends the wait.
//
// Thread safety: everything but wake() runs on the UI thread that created the Backend.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::ui {

// Input the scripted test injects instead of the real mouse and keyboard (ImGui 1.86 has no event
// queue, so it is applied after the platform backend filled ImGuiIO and before ImGui::NewFrame).
struct InjectedInput {
  bool active = false;  // when false the real devices are used
  float mouse_x = -1, mouse_y = -1;
  bool mouse_down = false;
  float wheel = 0;
  std::string text;        // UTF-8 characters typed this frame
  std::vector<int> keys;   // ImGuiKey_ values held down this frame
};

class Backend {
 public:
  static Result<std::unique_ptr<Backend>> open(const std::string& title, int width, int height);
  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  bool should_close() const;
  // Sleeps until input or wake(); timeout_seconds < 0 waits without a limit, 0 only polls.
  void wait(double timeout_seconds);
  // Safe from any thread: makes a pending wait() return.
  void wake();
  // Starts an ImGui frame (rebuilds the fonts first when the content scale changed).
  void begin_frame(const InjectedInput& injected);
  // Renders and presents the frame, unless it would paint exactly what is already on screen
  // (then it returns false and costs no GL work). Where the GL driver offers
  // GLX_MESA_copy_sub_buffer only the damaged rectangles are redrawn and presented (damage.hpp).
  bool end_frame();
  // Benchmarks: redraw and present whole frames (the cost without damage tracking).
  void set_full_redraw(bool on) { full_redraw_ = on; }
  struct Stats {
    std::uint64_t presented = 0;  // frames that reached the screen
    std::uint64_t full = 0;       // of which redrawn whole
    double pixels = 0;            // pixels redrawn over all presented frames
    double window_pixels = 0;     // framebuffer area of the last frame
    bool partial_present = false; // damage tracking is available (GLX_MESA_copy_sub_buffer)
  };
  const Stats& stats() const { return stats_; }
  float scale() const { return scale_; }
  // Keeps a copy of the next rendered frame; save_png then writes it (top row first).
  void capture_next_frame() { capture_ = true; }
  Status save_png(const std::filesystem::path& file) const;
  // Tests of damage tracking: keep_screen() reads what the window shows now (the front buffer);
  // screen_vs_capture() counts the pixels in which it differs from the frame captured since.
  void keep_screen();
  Result<std::size_t> screen_vs_capture() const;

 private:
  Backend() = default;
  void apply_scale(float scale);
  struct Glfw;
  std::unique_ptr<Glfw> glfw_;
  float scale_ = 0;
  bool capture_ = false;
  bool full_redraw_ = false;
  Stats stats_;
};

}  // namespace cairn::ui

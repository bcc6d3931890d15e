// cairn-panel: the employee's self-reflection panel (Dear ImGui over GLFW/OpenGL 3). Panel owns
// the window, the worker thread that holds the keys and the Store, and the views. run() is the
// whole program; open()/frame() and the test hooks below let the scripted UI test and the panel
// benchmark drive the real window one frame at a time with injected input.
//
// Thread safety: use a Panel from the thread that opened it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/base/result.hpp"

namespace cairn::ui {

struct PanelOptions {
  Paths paths;
  std::filesystem::path screenshot_dir;  // when set, F12 (and the tests) save <view>.png there
  int width = 1320;
  int height = 860;
  const Clock* clock = nullptr;  // nullptr: the system clock
  bool record_items = false;     // keep widget rectangles for the scripted test
};

struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;  // the line the view tracked with the widget, when it gave one (tests read it)
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

// What reached the screen since the panel opened. With damage tracking a frame redraws and
// presents only the rectangles that changed (see docs/panel.md, "Rendering").
struct FrameStats {
  std::uint64_t presented = 0;  // frames that reached the screen
  std::uint64_t full = 0;       // of which were redrawn whole
  double pixels = 0;            // pixels redrawn over all presented frames
  double window_pixels = 0;     // the framebuffer's area
  bool damage_tracking = false; // partial presentation is available (GLX_MESA_copy_sub_buffer)
};

// The weeks of the year strip the worker has read ahead (shown in the frame of the click).
struct WeekCacheStats {
  std::size_t ready = 0, wanted = 0;
  std::size_t bytes = 0;  // approximate heap they hold
};

// Durations of the last unlock (milliseconds), with Argon2id apart.
struct PanelTimings {
  double kdf_ms = 0, open_ms = 0, import_ms = 0, build_ms = 0;
  double week_ms = 0;  // the worker's part of the last week switch
  double live_ms = 0;  // the worker's refresh after the last change made elsewhere (CLI, import, ...)
};

class Panel {
 public:
  static Result<std::unique_ptr<Panel>> open(const PanelOptions& options);
  ~Panel();

  // The event loop: sleeps while idle, redraws on input, new snapshots and timers. Returns the
  // process exit status.
  int run();

  // --- driving the panel frame by frame (tests and benchmarks) -------------------------------
  bool frame();  // polls events and draws one frame; false once the window was asked to close
  void inject_mouse(float x, float y, bool down);
  void inject_text(const std::string& utf8);
  void inject_key(int imgui_key);  // held for the next frame only
  void inject_wheel(float steps);  // vertical wheel steps for the next frame (negative: down)
  void release_input();            // back to the real devices
  std::optional<Rect> item(const std::string& key) const;  // rectangle of a tracked widget
  std::string current_view() const;  // the id of the view on screen ("unlock", "week", ...)
  bool worker_idle() const;
  // True when run() would draw another frame at once, without waiting for input (hover states
  // and popups settling after input).
  bool wants_frame() const;
  std::uint64_t snapshot_version() const;  // of the snapshot drawn last
  std::string status_message() const;      // the one-line message on screen, if any
  std::vector<std::string> status_lines() const;  // the lines listed under it (import problems, say)
  Status screenshot(const std::filesystem::path& file);  // draws a frame and saves it as PNG
  // Tests of damage tracking: the pixels in which the window (after partially redrawn frames)
  // differs from a whole redraw of the same frame, drawn now. Call with the input at rest.
  Result<std::size_t> pixels_differing_from_full_redraw();
  PanelTimings timings() const;
  // Frames that reached the GPU: a frame that would repaint exactly what is on screen is skipped.
  std::uint64_t frames_rendered() const;
  FrameStats frame_stats() const;
  // Benchmarks: redraw and present every frame whole (the cost without damage tracking).
  void set_full_redraw(bool on);
  // The Monday (local day number) of the week in the frame on screen; 0 when no week is shown.
  std::int64_t week_on_screen() const;
  WeekCacheStats week_cache() const;  // as in the snapshot drawn last
  // The Applications view's table in the snapshot drawn last: each application (window class)
  // with its active seconds over the range shown, largest first; empty before the view asked.
  std::vector<std::pair<std::string, std::int64_t>> apps_drawn() const;
  // Simulates the idle timer: locks as if the configured minutes had passed.
  void trigger_autolock();

 private:
  Panel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::ui

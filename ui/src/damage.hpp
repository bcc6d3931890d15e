// Damage tracking for the panel's frames: which parts of the framebuffer a new ImGui frame paints
// differently from the frame on screen, so a software rasteriser (Mesa llvmpipe) redraws and
// presents only those. Pure: ImGui draw data in, pixel rectangles out, no GL. backend_glfw.cpp
// renders with the scissor limited to the rectangles and presents them with
// glXCopySubBufferMESA.
//
// How: the framebuffer is split into 64×64 tiles. Every triangle of every draw command (limited
// to the scissor ImGui's OpenGL3 renderer would set for the command) folds its vertices, the
// texture and the scissor into the hash of each tile its bounding box touches, in draw order.
// Tiles whose hash differs from the frame on screen are damaged; they are covered by a few
// disjoint rectangles.
//
// Thread safety: a DamageTracker belongs to one thread (the UI thread); the functions are pure.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace cairn::ui {

// Framebuffer pixels, rows counted from the top, half-open: [x0, x1) × [y0, y1).
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  std::int64_t area() const { return empty() ? 0 : static_cast<std::int64_t>(x1 - x0) * (y1 - y0); }
  friend bool operator==(const PixelRect&, const PixelRect&) = default;
};

PixelRect intersect(const PixelRect& a, const PixelRect& b);

// The pixels a command can touch: the scissor ImGui 1.86's OpenGL3 renderer derives from its
// ClipRect (it truncates origin and size to int separately), within the framebuffer. Assumes
// DisplayPos (0,0) and FramebufferScale (1,1), which DamageTracker::trackable checks.
PixelRect command_scissor(const ImDrawCmd& cmd, int fb_w, int fb_h);

// Limits every command of `dd` to `r`: its ClipRect becomes (scissor ∩ r) in whole pixels, which
// the renderer turns back into exactly that scissor; commands outside `r` get an empty ClipRect
// and are skipped by the renderer. Returns the original ClipRects for restore_clip_rects.
std::vector<ImVec4> clip_draw_data(ImDrawData& dd, const PixelRect& r, int fb_w, int fb_h);
void restore_clip_rects(ImDrawData& dd, const std::vector<ImVec4>& saved);

// Covers the marked tiles (cols × rows, row-major, non-zero = marked) with at most `max_rects`
// disjoint rectangles, in pixels, clipped to the framebuffer. Fewer, larger rectangles may cover
// unmarked tiles too (redrawing an unchanged tile paints the same pixels).
std::vector<PixelRect> cover_tiles(const std::vector<std::uint8_t>& marked, int cols, int rows, int tile, int fb_w,
                                   int fb_h, int max_rects);

class DamageTracker {
 public:
  static constexpr int kTile = 64;

  struct Damage {
    bool full = false;              // the screen holds no known frame, or this one is untrackable
    std::vector<PixelRect> rects;   // disjoint; empty and !full: the frame equals the screen
    std::int64_t pixels = 0;        // total area of rects
    int damaged_tiles = 0;
  };

  // True when the draw data can be tracked: no user callbacks, DisplayPos (0,0),
  // FramebufferScale (1,1) and a display size equal to the framebuffer.
  static bool trackable(const ImDrawData& dd, int fb_w, int fb_h);

  // Hashes the tiles of the new frame and compares them with the frame on screen.
  Damage compare(const ImDrawData& dd, int fb_w, int fb_h, int max_rects = 4);
  // The frame last given to compare() is now on screen (whole or its damage redrawn).
  void presented();
  // The screen no longer shows a known frame (first frame, expose, resize, new fonts).
  void invalidate() { valid_ = false; }

 private:
  std::vector<std::uint64_t> shown_, next_;
  int w_ = 0, h_ = 0, cols_ = 0, rows_ = 0;
  bool valid_ = false;   // shown_ describes the screen
  bool next_ok_ = false; // next_ describes the last compared frame
};

}  // namespace cairn::ui

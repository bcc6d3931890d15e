// The only file that talks to GLFW and OpenGL: window and GL 3 context, the ImGui platform and
// renderer backends, the content scale (fonts rebuilt and sizes scaled in one place), sleeping
// between frames, reading back a frame for screenshots, and presenting only what changed.
//
// Presenting: with GLX_MESA_copy_sub_buffer the back buffer is never swapped, so it always holds
// the frame on screen. A new frame clears and redraws only its damaged rectangles (damage.hpp;
// the scissor limits llvmpipe's rasterising to them) and copies just those to the window. The
// whole frame is redrawn on the first frame, after expose/resize/scale changes, for screenshots,
// and when the damage covers most of the window. Without the extension every frame is drawn
// whole and swapped, as before.
#include "backend.hpp"

#include <dlfcn.h>

#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "damage.hpp"
#include "theme.hpp"

// For reading the window's pixels in tests (keep_screen): XImage and its accessors. Xlib defines
// macros that collide with names used here (Status above all); they are dropped right away.
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#undef Status
#undef Bool
#undef None
#undef Success

namespace cairn::ui {

struct Backend::Glfw {
  GLFWwindow* window = nullptr;
  std::atomic<bool> scale_changed{false};
  bool imgui_glfw = false, imgui_gl = false;
  std::vector<unsigned char> last_frame;  // RGB, filled only when a capture was requested
  int last_w = 0, last_h = 0;
  std::vector<unsigned char> screen;  // RGB of the front buffer, for tests (keep_screen)
  int screen_w = 0, screen_h = 0;
  std::uint64_t last_hash = 0;      // of the draw data last shown
  std::atomic<bool> must_draw{true};  // exposed, resized: the window needs a full redraw
  // Partial presentation (GLX_MESA_copy_sub_buffer); copy_sub is null when unavailable.
  using CopySubBuffer = void (*)(void* display, unsigned long drawable, int x, int y, int w, int h);
  CopySubBuffer copy_sub = nullptr;
  void* x_display = nullptr;
  unsigned long glx_drawable = 0;
  DamageTracker damage;
};

namespace {

float window_scale(GLFWwindow* w) {
  float sx = 1, sy = 1;
  glfwGetWindowContentScale(w, &sx, &sy);
  float s = std::max(sx, sy);
  // CAIRN_PANEL_SCALE overrides the monitor's content scale (desktops that do not publish
  // Xft.dpi, and the tests of high-DPI layouts), like GDK_SCALE does for GTK.
  if (const char* env = std::getenv("CAIRN_PANEL_SCALE")) s = static_cast<float>(std::atof(env));
  if (!(s > 0.5f && s < 4.0f)) s = 1.0f;
  return std::round(s * 4.0f) / 4.0f;  // quarter steps keep fonts crisp
}

// A cheap fingerprint of everything ImGui asks to draw: if a frame would paint exactly what is on
// screen already, rendering it again is wasted work (a software rasteriser spends most of a
// frame's CPU there).
std::uint64_t fingerprint(const ImDrawData* dd) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  auto mix = [&](const void* p, std::size_t n) {
    const unsigned char* b = static_cast<const unsigned char*>(p);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, b + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    for (; i < n; ++i) h = (h ^ b[i]) * 0x100000001B3ull;
  };
  mix(&dd->DisplaySize, sizeof dd->DisplaySize);
  mix(&dd->FramebufferScale, sizeof dd->FramebufferScale);
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* l = dd->CmdLists[n];
    mix(l->VtxBuffer.Data, static_cast<std::size_t>(l->VtxBuffer.Size) * sizeof(ImDrawVert));
    mix(l->IdxBuffer.Data, static_cast<std::size_t>(l->IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (const ImDrawCmd& c : l->CmdBuffer) {
      mix(&c.ClipRect, sizeof c.ClipRect);
      mix(&c.TextureId, sizeof c.TextureId);
      mix(&c.ElemCount, sizeof c.ElemCount);
      mix(&c.IdxOffset, sizeof c.IdxOffset);
      mix(&c.VtxOffset, sizeof c.VtxOffset);
    }
  }
  return h;
}

bool env_on(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::strcmp(v, "0") != 0;
}

}  // namespace

Result<std::unique_ptr<Backend>> Backend::open(const std::string& title, int width, int height) {
  // A display that is still starting (a busy machine, a fresh Xvfb) refuses the first
  // connection now and then: try a few times before giving up.
  bool ready = false;
  for (int attempt = 0; attempt < 3 && !ready; ++attempt) {
    ready = glfwInit();
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
  }
  if (!ready) {
    const char* why = nullptr;
    glfwGetError(&why);
    return make_error(Errc::io, std::string("cannot open a window: ") + (why ? why : "no display") +
                                    " (is DISPLAY set?)");
  }
  std::unique_ptr<Backend> b(new Backend());
  b->glfw_ = std::make_unique<Glfw>();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* w = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!w) {
    glfwTerminate();
    return make_error(Errc::io, "cannot create an OpenGL 3 window (is a GL driver such as Mesa installed?)");
  }
  b->glfw_->window = w;
  glfwSetWindowUserPointer(w, b->glfw_.get());
  // GLFW_SCALE_TO_MONITOR sizes the window for the monitor's scale; do the same for the override.
  if (std::getenv("CAIRN_PANEL_SCALE")) {
    float s = window_scale(w);
    glfwSetWindowSize(w, static_cast<int>(width * s), static_cast<int>(height * s));
  }
  glfwSetWindowContentScaleCallback(w, [](GLFWwindow* win, float, float) {
    static_cast<Glfw*>(glfwGetWindowUserPointer(win))->scale_changed = true;
  });
  glfwSetWindowRefreshCallback(w, [](GLFWwindow* win) {
    static_cast<Glfw*>(glfwGetWindowUserPointer(win))->must_draw = true;
  });
  glfwSetFramebufferSizeCallback(w, [](GLFWwindow* win, int, int) {
    static_cast<Glfw*>(glfwGetWindowUserPointer(win))->must_draw = true;
  });
  glfwMakeContextCurrent(w);
  glfwSwapInterval(1);
  // Partial presentation needs the X display, the GLX drawable and glXCopySubBufferMESA. The
  // native accessors are looked up at run time, so a GLFW built for Wayland still loads (and
  // presents whole frames). CAIRN_PANEL_FULL_REDRAW=1 turns it off, should a driver misbehave.
  if (!env_on("CAIRN_PANEL_FULL_REDRAW") && glfwExtensionSupported("GLX_MESA_copy_sub_buffer")) {
    using GetDisplay = void* (*)();
    using GetGlxWindow = unsigned long (*)(GLFWwindow*);
    auto get_display = reinterpret_cast<GetDisplay>(dlsym(RTLD_DEFAULT, "glfwGetX11Display"));
    auto get_window = reinterpret_cast<GetGlxWindow>(dlsym(RTLD_DEFAULT, "glfwGetGLXWindow"));
    auto copy = reinterpret_cast<Glfw::CopySubBuffer>(glfwGetProcAddress("glXCopySubBufferMESA"));
    void* display = get_display ? get_display() : nullptr;
    unsigned long drawable = get_window ? get_window(w) : 0;
    if (copy && display && drawable) {
      b->glfw_->copy_sub = copy;
      b->glfw_->x_display = display;
      b->glfw_->glx_drawable = drawable;
    }
  }
  b->stats_.partial_present = b->glfw_->copy_sub != nullptr;

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.IniFilename = nullptr;  // nothing about the session is written to disk
  io.LogFilename = nullptr;
  b->glfw_->imgui_glfw = ImGui_ImplGlfw_InitForOpenGL(w, true);
  b->glfw_->imgui_gl = ImGui_ImplOpenGL3_Init("#version 130");
  if (!b->glfw_->imgui_glfw || !b->glfw_->imgui_gl) return make_error(Errc::io, "cannot initialise the ImGui backends");
  b->apply_scale(window_scale(w));
  return b;
}

Backend::~Backend() {
  if (!glfw_) return;
  if (glfw_->imgui_gl) ImGui_ImplOpenGL3_Shutdown();
  if (glfw_->imgui_glfw) ImGui_ImplGlfw_Shutdown();
  if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
  if (glfw_->window) glfwDestroyWindow(glfw_->window);
  glfwTerminate();
}

void Backend::apply_scale(float scale) {
  if (scale == scale_) return;
  scale_ = scale;
  set_ui_scale(scale);
  load_fonts(scale);
  apply_style(scale);
  // The renderer keeps the atlas as a texture; drop it so the next NewFrame uploads the new one.
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  glfw_->damage.invalidate();  // the atlas may reuse the texture name with other glyphs
}

bool Backend::should_close() const { return glfwWindowShouldClose(glfw_->window) != 0; }

void Backend::wait(double timeout_seconds) {
  if (timeout_seconds < 0) glfwWaitEvents();
  else if (timeout_seconds == 0) glfwPollEvents();
  else glfwWaitEventsTimeout(timeout_seconds);
}

void Backend::wake() { glfwPostEmptyEvent(); }

void Backend::begin_frame(const InjectedInput& in) {
  if (glfw_->scale_changed.exchange(false)) apply_scale(window_scale(glfw_->window));
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (in.active) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(in.mouse_x, in.mouse_y);
    for (bool& d : io.MouseDown) d = false;
    io.MouseDown[0] = in.mouse_down;
    io.MouseWheel = in.wheel;
    for (bool& k : io.KeysDown) k = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    for (int key : in.keys)
      if (key >= 0 && key < ImGuiKey_COUNT) io.KeysDown[io.KeyMap[key]] = true;
    if (!in.text.empty()) io.AddInputCharactersUTF8(in.text.c_str());
  }
  ImGui::NewFrame();
}

bool Backend::end_frame() {
  ImGui::Render();
  ImDrawData* dd = ImGui::GetDrawData();
  Glfw& g = *glfw_;
  const std::uint64_t fp = fingerprint(dd);
  const bool forced = g.must_draw.exchange(false) || capture_;
  if (!forced && fp == g.last_hash) return false;
  g.last_hash = fp;
  int w = 0, h = 0;
  glfwGetFramebufferSize(g.window, &w, &h);
  if (w <= 0 || h <= 0) return false;  // minimised

  // What to redraw: everything, or the damaged rectangles (disjoint, rows from the top).
  const bool partial = g.copy_sub && !full_redraw_;
  std::vector<PixelRect> rects{PixelRect{0, 0, w, h}};
  bool whole = true;
  if (partial) {
    if (forced) g.damage.invalidate();
    // Up to eight rectangles: each costs one more pass over the draw data (~0.5 ms), but a week
    // switch then redraws about 30 % of the window instead of 47 % with four (panel_bench).
    DamageTracker::Damage d = g.damage.compare(*dd, w, h, 8);
    if (!d.full && d.rects.empty()) return false;  // other draw data, same pixels
    // Past about half the window, one full redraw costs no more than several partial ones.
    whole = d.full || d.pixels * 2 > static_cast<std::int64_t>(w) * h;
    if (!whole) rects = std::move(d.rects);
  }

  glViewport(0, 0, w, h);
  glClearColor(0xF6 / 255.f, 0xF4 / 255.f, 0xF0 / 255.f, 1.f);
  if (whole) {
    glDisable(GL_SCISSOR_TEST);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(dd);
  } else {
    // Each rectangle: clear it, then draw every command limited to it. The rectangles do not
    // overlap, so no pixel is blended twice.
    for (const PixelRect& r : rects) {
      glEnable(GL_SCISSOR_TEST);
      glScissor(r.x0, h - r.y1, r.x1 - r.x0, r.y1 - r.y0);
      glClear(GL_COLOR_BUFFER_BIT);
      auto saved = clip_draw_data(*dd, r, w, h);
      ImGui_ImplOpenGL3_RenderDrawData(dd);
      restore_clip_rects(*dd, saved);
    }
    glDisable(GL_SCISSOR_TEST);
  }
  // Keep a copy of what was drawn so a screenshot needs no extra frame (read before a swap: the
  // back buffer's content is undefined afterwards). Cheap enough only for tests: off unless
  // asked, see capture_next_frame.
  if (capture_) {
    g.last_frame.assign(static_cast<std::size_t>(w) * h * 3, 0);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, g.last_frame.data());
    g.last_w = w;
    g.last_h = h;
    capture_ = false;
  }
  if (g.copy_sub) {
    // Copy from the back buffer, which keeps its pixels (no swap); (x, y) is the lower-left corner.
    for (const PixelRect& r : rects) g.copy_sub(g.x_display, g.glx_drawable, r.x0, h - r.y1, r.x1 - r.x0, r.y1 - r.y0);
    if (partial) g.damage.presented();
    else g.damage.invalidate();
  } else {
    glfwSwapBuffers(g.window);
  }
  ++stats_.presented;
  if (whole) ++stats_.full;
  for (const PixelRect& r : rects) stats_.pixels += static_cast<double>(r.area());
  stats_.window_pixels = static_cast<double>(w) * h;
  return true;
}

void Backend::keep_screen() {
  // What the window shows, from the X server: the front buffer is not readable through GL with
  // Mesa's software driver. Stored like a GL read-back (RGB, rows bottom-up) to compare.
  glfw_->screen.clear();
  int w = 0, h = 0;
  glfwGetFramebufferSize(glfw_->window, &w, &h);
  using GetDisplay = Display* (*)();
  using GetWindow = Window (*)(GLFWwindow*);
  using GetImage = XImage* (*)(Display*, Drawable, int, int, unsigned, unsigned, unsigned long, int);
  auto get_display = reinterpret_cast<GetDisplay>(dlsym(RTLD_DEFAULT, "glfwGetX11Display"));
  auto get_window = reinterpret_cast<GetWindow>(dlsym(RTLD_DEFAULT, "glfwGetX11Window"));
  auto get_image = reinterpret_cast<GetImage>(dlsym(RTLD_DEFAULT, "XGetImage"));
  if (!get_display || !get_window || !get_image || w <= 0 || h <= 0) return;
  glFinish();
  XImage* img = get_image(get_display(), get_window(glfw_->window), 0, 0, static_cast<unsigned>(w),
                          static_cast<unsigned>(h), AllPlanes, ZPixmap);
  if (!img) return;
  auto channel = [](unsigned long px, unsigned long mask) -> unsigned char {
    if (!mask) return 0;
    int shift = 0;
    while (!((mask >> shift) & 1)) ++shift;
    return static_cast<unsigned char>(((px & mask) >> shift) * 255 / (mask >> shift));
  };
  glfw_->screen.assign(static_cast<std::size_t>(w) * h * 3, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      unsigned long px = XGetPixel(img, x, y);
      unsigned char* out = &glfw_->screen[(static_cast<std::size_t>(h - 1 - y) * w + x) * 3];
      out[0] = channel(px, img->red_mask);
      out[1] = channel(px, img->green_mask);
      out[2] = channel(px, img->blue_mask);
    }
  XDestroyImage(img);
  glfw_->screen_w = w;
  glfw_->screen_h = h;
}

Result<std::size_t> Backend::screen_vs_capture() const {
  const auto& f = glfw_->last_frame;
  const auto& s = glfw_->screen;
  if (f.empty() || s.size() != f.size() || glfw_->screen_w != glfw_->last_w || glfw_->screen_h != glfw_->last_h)
    return make_error(Errc::not_found, "no screen and captured frame of the same size to compare");
  std::size_t differ = 0;
  for (std::size_t i = 0; i + 2 < f.size(); i += 3)
    if (f[i] != s[i] || f[i + 1] != s[i + 1] || f[i + 2] != s[i + 2]) ++differ;
  return differ;
}

Status Backend::save_png(const std::filesystem::path& file) const {
  const auto& f = glfw_->last_frame;
  int w = glfw_->last_w, h = glfw_->last_h;
  if (f.empty() || w <= 0 || h <= 0) return make_error(Errc::not_found, "no frame was captured yet");
  // GL rows run bottom-up; PNG rows top-down.
  std::vector<unsigned char> flipped(f.size());
  const std::size_t row = static_cast<std::size_t>(w) * 3;
  for (int y = 0; y < h; ++y) std::copy_n(&f[static_cast<std::size_t>(h - 1 - y) * row], row, &flipped[y * row]);
  if (!stbi_write_png(file.c_str(), w, h, 3, flipped.data(), static_cast<int>(row)))
    return make_error(Errc::io, "cannot write the screenshot " + file.string());
  return ok_status();
}

}  // namespace cairn::ui

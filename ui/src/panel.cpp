// The panel: the frame loop (sleep while idle, draw on input, on a new snapshot or on a timer
// while something animates), navigation between the registered views, auto-lock after idle time,
// and the hooks the scripted test and the benchmark use.
#include "cairn/ui/panel.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "backend.hpp"
#include "scrub.hpp"
#include "cairn/crypto/sodium.hpp"
#include "theme.hpp"
#include "view.hpp"
#include "widgets.hpp"
#include "worker.hpp"

namespace cairn::ui {

void Actions::track(const std::string& key, std::string_view text) {
  if (!items_) return;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  (*items_)[key] = Rect{a.x, a.y, b.x, b.y, std::string(text)};
}

struct Panel::Impl {
  PanelOptions opt;
  const Clock* clock = nullptr;
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Worker> worker;
  std::vector<std::unique_ptr<View>> views;
  std::unique_ptr<View> gate;
  std::size_t current = 0;
  std::size_t drawn_view = static_cast<std::size_t>(-1);  // the view the main area showed last; another starts at the top
  int popups_open = 0;  // ImGui's open popups after the last frame: a change needs more frames to settle
  std::shared_ptr<const Snapshot> snap;
  std::map<std::string, Rect> items;
  InjectedInput injected;
  std::chrono::steady_clock::time_point last_input = std::chrono::steady_clock::now();
  ImVec2 last_mouse{-1, -1};
  int settle_frames = 2;
  bool locking = false;  // lock asked; unlocked snapshots still in flight are not drawn
  // The one-line message of the last action, shown for a few seconds in a corner, with the lines
  // listed under it (two seconds more for each, so a list can be read).
  std::string toast;
  std::vector<std::string> toast_lines;
  bool toast_error = false;
  std::chrono::steady_clock::time_point toast_since;
  static constexpr double kToastSeconds = 6, kToastSecondsPerLine = 2;
  double toast_left() const {
    if (toast.empty()) return 0;
    const double shown = kToastSeconds + kToastSecondsPerLine * static_cast<double>(toast_lines.size());
    return shown - std::chrono::duration<double>(std::chrono::steady_clock::now() - toast_since).count();
  }
  void draw_toast();
  void take_snapshot();  // adopts the worker's latest snapshot unless a lock is under way
  bool screenshot_key_down = false;
  bool rendered_last = false;
  std::uint64_t frames_rendered = 0;
  std::int64_t week_on_screen = 0;  // the week of the frame on screen (see Panel::week_on_screen)
  // A week asked for that the worker had read ahead: shown at once, in the frame of the click,
  // over any snapshot published before the worker's answer (which then carries the same part).
  std::int64_t pending_week = 0;
  std::shared_ptr<const WeekData> pending_part;
  bool instant = false;  // this frame asked for a read-ahead week: redraw it at once
  void send(cmd::Command c);
  void show_pending();

  int draw_root();  // returns how many commands the views sent
  void draw_nav(Actions& a);
  void note_input();
  void lock_now();
  std::string view_id() const {
    if (!snap || snap->phase != Phase::unlocked) return "unlock";
    return views[current]->id();
  }
};

Result<std::unique_ptr<Panel>> Panel::open(const PanelOptions& options) {
  CAIRN_TRY(crypto::init());
  std::unique_ptr<Panel> p(new Panel());
  p->impl_ = std::make_unique<Impl>();
  Impl& m = *p->impl_;
  m.opt = options;
  m.clock = options.clock ? options.clock : &system_clock();
  m.backend = CAIRN_TRY(Backend::open("Cairn", options.width, options.height));
  Backend* be = m.backend.get();
  m.worker = std::make_unique<Worker>(options.paths, *m.clock, [be] { be->wake(); });
  m.views = make_views();
  m.gate = make_gate_view();
  m.snap = m.worker->latest();
  return p;
}

Panel::~Panel() {
  if (!impl_) return;
  impl_->snap.reset();
  impl_->worker.reset();  // joins the thread, which drops the store and the keys
  impl_->views.clear();
  impl_->gate.reset();
  impl_->backend.reset();
}

void Panel::Impl::note_input() {
  const ImGuiIO& io = ImGui::GetIO();
  bool any = io.MouseWheel != 0 || !io.InputQueueCharacters.empty();
  for (bool d : io.MouseDown) any |= d;
  for (bool k : io.KeysDown) any |= k;
  if (io.MousePos.x != last_mouse.x || io.MousePos.y != last_mouse.y) any = true;
  last_mouse = io.MousePos;
  if (any) {
    last_input = std::chrono::steady_clock::now();
    settle_frames = 2;
  }
}

void Panel::Impl::lock_now() {
  // Drop our reference first; the worker then drops its parts, the connection and the keys.
  auto placeholder = std::make_shared<Snapshot>();
  placeholder->phase = Phase::working;
  placeholder->progress_label = "Locking\xE2\x80\xA6";
  snap = std::move(placeholder);
  locking = true;
  pending_week = 0;
  pending_part.reset();
  instant = false;
  for (auto& v : views) v->reset();
  gate->reset();
  scrub_imgui_text_state();
  current = 0;
  worker->send(cmd::Lock{});
}

void Panel::Impl::send(cmd::Command c) {
  if (const auto* x = std::get_if<cmd::ShowWeek>(&c)) {
    const std::int64_t wk = week_start_day(x->start_day);
    auto part = snap && snap->phase == Phase::unlocked && !locking && snap->weeks ? snap->weeks->find(wk) : nullptr;
    pending_week = part ? wk : 0;  // a week not read ahead yet comes the usual way, from the worker
    pending_part = std::move(part);
    instant = pending_part != nullptr;
  }
  worker->send(std::move(c));
}

void Panel::Impl::show_pending() {
  if (!pending_part || !snap || snap->phase != Phase::unlocked) return;
  if (snap->week && snap->week->start_day == pending_week) return;
  // The snapshot stays immutable: draw a copy that shares every part but the week.
  auto copy = std::make_shared<Snapshot>(*snap);
  copy->week = pending_part;
  snap = std::move(copy);
}

void Panel::Impl::draw_nav(Actions& a) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, colour::to_vec(colour::panel_bg()));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(14), px(18)));
  ImGui::BeginChild("##nav", ImVec2(px(216), 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::PushFont(fonts().title);
  ImGui::TextUnformatted("Cairn");
  ImGui::PopFont();
  w::small_muted("Your own record, kept on this device.");
  ImGui::Dummy(ImVec2(0, px(10)));
  for (std::size_t i = 0; i < views.size(); ++i) {
    bool sel = i == current;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0, 0.5f));
    if (ImGui::Selectable(views[i]->title(), sel, 0, ImVec2(0, ImGui::GetTextLineHeight() + px(12)))) current = i;
    ImGui::PopStyleVar();
    a.track(std::string("nav.") + views[i]->id());
  }
  // Bottom: lock and the auto-lock promise.
  float bottom = ImGui::GetWindowHeight() - px(96);
  if (ImGui::GetCursorPosY() < bottom) ImGui::SetCursorPosY(bottom);
  ImGui::Separator();
  if (ImGui::Button("Lock now", ImVec2(-1, 0))) lock_now();
  a.track("nav.lock");
  if (snap) w::small_muted("Locks by itself after " + std::to_string(snap->autolock_minutes) + " idle minutes.");
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

int Panel::Impl::draw_root() {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  // The clear colour already paints the background: a transparent root window saves a
  // full-window blend per frame, which matters with a software rasteriser.
  ImGui::SetNextWindowBgAlpha(0.0f);
  ImGui::Begin("##root", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::PopStyleVar();
  Actions a([this](cmd::Command c) { send(std::move(c)); }, *clock, opt.record_items ? &items : nullptr);
  if (snap->phase != Phase::unlocked) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(28), px(24)));
    ImGui::BeginChild("##gate", ImVec2(0, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    gate->draw(*snap, a);
    ImGui::EndChild();
    ImGui::PopStyleVar();
  } else {
    draw_nav(a);
    if (snap) {
      ImGui::SameLine(0, 0);
      ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(32), px(22)));
      ImGui::BeginChild("##main", ImVec2(0, 0), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
      // A view opens at its top, not at the scroll position of the view shown before it.
      if (drawn_view != current) ImGui::SetScrollY(0);
      drawn_view = current;
      views[current]->draw(*snap, a);
      ImGui::Dummy(ImVec2(0, px(24)));
      ImGui::EndChild();
      ImGui::PopStyleVar();
    }
  }
  if (snap->phase == Phase::unlocked) draw_toast();
  std::string target = a.take_goto();
  const std::int64_t focus = a.take_focus();
  if (!target.empty())
    for (std::size_t i = 0; i < views.size(); ++i)
      if (target == views[i]->id()) {
        current = i;
        if (focus != 0) views[i]->focus(focus);
      }
  ImGui::End();
  return a.sent();
}

void Panel::Impl::draw_toast() {
  if (toast_left() <= 0) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - px(24), io.DisplaySize.y - px(20)), ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.97f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(16), px(10)));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, px(8));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::to_vec(colour::card_bg()));
  ImGui::Begin("##toast", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_AlwaysAutoResize |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  ImGui::PushTextWrapPos(px(460));
  w::message_line(toast, toast_error);
  for (const auto& line : toast_lines) ImGui::BulletText("%s", line.c_str());
  ImGui::PopTextWrapPos();
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(3);
}

void Panel::Impl::take_snapshot() {
  auto latest = worker->latest();
  if (locking && latest->phase != Phase::unlocked && latest->phase != Phase::working) locking = false;
  if (locking || (snap && latest->version == snap->version)) return;
  // The worker's answer to the week asked for: the read-ahead part has done its job.
  if (pending_part && (latest->phase != Phase::unlocked || (latest->week && latest->week->start_day == pending_week))) {
    pending_week = 0;
    pending_part.reset();
  }
  if (snap && snap->phase == Phase::unlocked && latest->phase != Phase::unlocked) {
    for (auto& v : views) v->reset();
    current = 0;
  }
  if (latest->phase != Phase::unlocked) {
    toast.clear();
    toast_lines.clear();
  } else if (!latest->message.empty() && (!snap || latest->message_id != snap->message_id)) {
    toast = latest->message;
    toast_lines = latest->message_lines;
    toast_error = latest->message_is_error;
    toast_since = std::chrono::steady_clock::now();
  }
  snap = std::move(latest);
  show_pending();
  settle_frames = 2;
}

bool Panel::frame() {
  Impl& m = *impl_;
  if (m.backend->should_close()) return false;
  m.backend->wait(0);
  // A frame in which the employee asked for something (another week, a save) would show the old
  // state. A week the worker read ahead is drawn at once from the snapshot's cache. Otherwise the
  // worker usually answers within a millisecond: wait briefly, and if it did, drop the stale
  // frame before it reaches the GPU and draw the answer at once (waiting at most one frame).
  for (int pass = 0; pass < 2; ++pass) {
    m.take_snapshot();
    m.items.clear();
    m.backend->begin_frame(m.injected);
    m.note_input();
    m.injected.text.clear();
    m.injected.keys.clear();
    m.injected.wheel = 0;
    const std::uint64_t before = m.snap ? m.snap->version : 0;
    const int sent = m.draw_root();
    if (pass == 0 && m.instant) {
      // A week read ahead: draw it now instead of this frame, without asking the worker.
      m.instant = false;
      ImGui::EndFrame();
      m.show_pending();
      continue;
    }
    if (pass == 0 && sent > 0 && m.snap && m.snap->phase == Phase::unlocked && !m.locking) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(16);  // one 60 Hz frame
      bool answered = false;
      while (!answered && std::chrono::steady_clock::now() < deadline) {
        answered = m.worker->latest()->version != before;
        if (!answered) std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      if (answered) {
        ImGui::EndFrame();
        continue;
      }
    }
    // F12 saves a screenshot of the current view when a directory was given.
    constexpr int kGlfwKeyF12 = 301;  // the GLFW backend indexes KeysDown by GLFW key codes
    bool f12 = ImGui::IsKeyPressed(kGlfwKeyF12, false);
    if (f12 && !m.opt.screenshot_dir.empty()) m.backend->capture_next_frame();
    m.rendered_last = m.backend->end_frame();
    if (m.rendered_last) ++m.frames_rendered;
    // A skipped frame painted the same pixels as the screen, so its week is the one shown.
    m.week_on_screen = m.snap && m.snap->phase == Phase::unlocked && m.snap->week && m.view_id() == "week"
                           ? m.snap->week->start_day
                           : 0;
    if (f12 && !m.opt.screenshot_dir.empty()) (void)m.backend->save_png(m.opt.screenshot_dir / (m.view_id() + ".png"));
    break;
  }
  if (m.settle_frames > 0) --m.settle_frames;
  // A popup (a combo's list, a confirmation) that opened or closed is measured in one frame and
  // shown in the next: draw those frames now rather than at the next mouse move.
  const int popups = GImGui->OpenPopupStack.Size;
  if (popups != m.popups_open) m.settle_frames = std::max(m.settle_frames, 2);
  m.popups_open = popups;
  return true;
}

bool Panel::wants_frame() const { return impl_->settle_frames > 0; }

int Panel::run() {
  Impl& m = *impl_;
  while (!m.backend->should_close()) {
    // How long may we sleep? Until input, a new snapshot (the worker wakes us), the auto-lock
    // deadline, or the next animation step while something is in progress.
    double timeout = -1;
    if (m.snap && m.snap->phase == Phase::unlocked) {
      double idle = std::chrono::duration<double>(std::chrono::steady_clock::now() - m.last_input).count();
      double left = m.snap->autolock_minutes * 60.0 - idle;
      if (left <= 0) {
        m.lock_now();
        continue;
      }
      timeout = left;
    }
    if (m.snap && m.snap->phase == Phase::working) timeout = 1.0 / 30;
    // Wake once more when the message in the corner should disappear.
    if (double left = m.toast_left(); left > 0 && (timeout < 0 || left < timeout)) timeout = left + 0.05;
    if (m.settle_frames > 0) timeout = 0;
    m.backend->wait(timeout);
    if (!frame()) break;
  }
  return 0;
}

void Panel::inject_mouse(float x, float y, bool down) {
  impl_->injected.active = true;
  impl_->injected.mouse_x = x;
  impl_->injected.mouse_y = y;
  impl_->injected.mouse_down = down;
}
void Panel::inject_text(const std::string& utf8) {
  impl_->injected.active = true;
  impl_->injected.text += utf8;
}
void Panel::inject_key(int key) {
  impl_->injected.active = true;
  impl_->injected.keys.push_back(key);
}
void Panel::inject_wheel(float steps) {
  impl_->injected.active = true;
  impl_->injected.wheel += steps;
}
void Panel::release_input() { impl_->injected = InjectedInput{}; }

std::optional<Rect> Panel::item(const std::string& key) const {
  auto it = impl_->items.find(key);
  if (it == impl_->items.end()) return std::nullopt;
  return it->second;
}

std::string Panel::current_view() const { return impl_->view_id(); }
bool Panel::worker_idle() const { return impl_->worker->idle(); }
std::uint64_t Panel::snapshot_version() const { return impl_->snap ? impl_->snap->version : 0; }
std::string Panel::status_message() const { return impl_->snap ? impl_->snap->message : std::string(); }
std::vector<std::string> Panel::status_lines() const {
  return impl_->snap ? impl_->snap->message_lines : std::vector<std::string>();
}

Status Panel::screenshot(const std::filesystem::path& file) {
  impl_->backend->capture_next_frame();
  frame();
  return impl_->backend->save_png(file);
}

Result<std::size_t> Panel::pixels_differing_from_full_redraw() {
  // The frame on screen first (read before the capture frame redraws the back buffer), then a
  // whole redraw of the same input; the capture keeps its pixels.
  frame();
  auto& be = *impl_->backend;
  be.keep_screen();
  be.capture_next_frame();
  frame();
  return be.screen_vs_capture();
}

PanelTimings Panel::timings() const {
  auto t = impl_->worker->timings();
  return {t.kdf_ms, t.open_ms, t.import_ms, t.build_ms, t.week_ms, t.live_ms};
}

void Panel::trigger_autolock() { impl_->lock_now(); }
std::uint64_t Panel::frames_rendered() const { return impl_->frames_rendered; }
FrameStats Panel::frame_stats() const {
  const auto& s = impl_->backend->stats();
  return {s.presented, s.full, s.pixels, s.window_pixels, s.partial_present};
}
void Panel::set_full_redraw(bool on) { impl_->backend->set_full_redraw(on); }
std::int64_t Panel::week_on_screen() const { return impl_->week_on_screen; }
std::vector<std::pair<std::string, std::int64_t>> Panel::apps_drawn() const {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (const auto& s = impl_->snap; s && s->apps)
    for (const auto& a : s->apps->apps) out.emplace_back(a.app, a.seconds);
  return out;
}
WeekCacheStats Panel::week_cache() const {
  const auto& s = impl_->snap;
  if (!s || !s->weeks) return {};
  return {s->weeks->weeks.size(), s->weeks->wanted, s->weeks->bytes};
}

}  // namespace cairn::ui

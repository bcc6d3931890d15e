// SpanBuilder: turns the moments the activity monitor observes (the foreground application
// changed, the user went idle, came back) into ActivitySpan values. Pure logic over instants: no
// window system, so the merging rules are testable with any times.
//
// Rules:
// - Instants are whole seconds. A span that would begin and end in the same second is dropped
//   (its second goes to whatever follows), and a span that resumes the same thing as the span
//   that just closed (same idle flag, app_class, category and title, touching in time) is merged
//   back into it. So A -> B -> A within one second is one A span, and consecutive spans always
//   differ, except across a checkpoint cut (the store sees identical neighbours there; a context
//   switch is a change of app_class between consecutive active spans, never a cut).
// - No active window (the desktop itself, or the active window vanished) yields no span: a gap.
// - Idle is decided by the caller (XSync alarm): begin_idle(now, quiet) backdates the idle span to
//   the last input, now - quiet, cutting back any active span after it. Nothing already handed
//   out by checkpoint() is ever changed, so checkpoint() holds back the quiet tail (time since the
//   last input) of an active span: an idle alarm may still claim it. While idle nothing is held.
// - While idle the foreground application is still tracked (set_app) but produces no span; when
//   idle ends, the span of the then-current application starts.
// - Times that go backwards (wall-clock steps) are clamped to the latest instant seen.
//
// Thread safety: none; one owner (the monitor) calls it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/clock.hpp"

namespace cairn::activity {

using records::ActivitySpan;
using records::Instant;

// What is in the foreground: the application's WM_CLASS class, its category and (only with the
// activity-titles consent) the window title.
struct AppState {
  std::string app_class;
  std::string category;
  std::optional<std::string> title;
  bool operator==(const AppState&) const = default;
};

class SpanBuilder {
 public:
  // The clock gives the UTC offset in force at each span's start; it must outlive the builder.
  explicit SpanBuilder(const Clock& clock) : clock_(&clock) {}

  // The foreground changed at `now`; nullopt = no active window.
  void set_app(Instant now, std::optional<AppState> app);
  // The user has been without input for `quiet_seconds` at `now`: idle since now - quiet_seconds.
  void begin_idle(Instant now, std::int64_t quiet_seconds);
  // Input came back `ago_seconds` before `now` (0 when the caller learns it as it happens).
  void end_idle(Instant now, std::int64_t ago_seconds = 0);

  // Every closed span plus the open span cut at now - quiet_seconds (the tail since the last
  // input is held back while active, see above); the open span continues from the cut. Spans come
  // out in time order and never overlap what an earlier call returned.
  std::vector<ActivitySpan> checkpoint(Instant now, std::int64_t quiet_seconds = 0);
  // Closes everything at `now` and returns what checkpoint() had not yet returned; the builder
  // records nothing afterwards.
  std::vector<ActivitySpan> stop(Instant now);

  // Forgets every title not yet handed out (the activity-titles consent was revoked).
  void drop_titles();

  bool idle() const { return idle_; }
  const std::optional<AppState>& app() const { return app_; }

 private:
  Instant clamp(Instant t);
  void close_open(Instant at);
  void start_open(Instant at);
  void truncate_closed(Instant at);
  std::optional<ActivitySpan> current_kind() const;
  static bool same_kind(const ActivitySpan& a, const ActivitySpan& b);
  void push_closed(ActivitySpan span);

  const Clock* clock_;
  std::optional<AppState> app_;
  bool idle_ = false;
  std::optional<ActivitySpan> open_;
  std::vector<ActivitySpan> closed_;  // closed but not yet handed out, in time order
  Instant frontier_ = 0;              // everything before this has been handed out
  Instant latest_ = 0;                // the latest instant seen (clamp for clock steps)
  bool started_ = false;
  bool stopped_ = false;  // after stop() nothing more is recorded
};

}  // namespace cairn::activity

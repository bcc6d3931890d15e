// The visible stretch of a zoomable day timeline (seconds since local midnight): zoom around a
// point (the mouse wheel, or the middle for the buttons), pan, and the spacing of its time ticks.
// Pure, so the limits are unit-tested: the stretch never leaves the day, never shrinks below
// kMinZoomSeconds and never grows beyond the whole day. Also the stretch the employee selects on
// the strip (by dragging or typing "HH:MM") to mark it as a break or move it to a category.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::ui {

inline constexpr double kDaySeconds = 86400;
inline constexpr double kMinZoomSeconds = 10 * 60;

struct DayZoom {
  double from = 0, to = kDaySeconds;
  double span() const { return to - from; }
  bool whole() const { return from <= 0 && to >= kDaySeconds; }
};

// factor < 1 zooms in, > 1 out; the second under `at` stays where it is on screen.
DayZoom zoom_around(DayZoom z, double at, double factor);
// Moves the stretch by `seconds` (negative: earlier), stopping at the day's ends.
DayZoom pan(DayZoom z, double seconds);
// A tick spacing (5, 10, 15, 30 min, 1, 2, 3 h) that puts at most max_ticks ticks in the stretch.
int tick_step(double span_seconds, int max_ticks);

// A selected stretch of the strip's day, [from, to) in seconds since local midnight.
struct Stretch {
  std::int32_t from = 0, to = 0;
  bool empty() const { return to <= from; }
};
// The stretch between two points of a drag on a strip `width` pixels wide showing z (x0, x1 in
// pixels from its left edge, in either order): snapped to whole minutes, inside the shown part.
Stretch stretch_from_drag(const DayZoom& z, float x0, float x1, float width);
// "09:30" (or "24:00") as seconds since midnight; nullopt for anything else.
std::optional<std::int32_t> parse_clock(std::string_view text);
// Why the stretch cannot be marked on `day` (empty, reversed, in the future), or "" when it can;
// now_second: seconds since midnight of `today`. The store checks again (store::check_mark).
std::string stretch_problem(Stretch s, std::int64_t day, std::int64_t today, std::int32_t now_second);

}  // namespace cairn::ui

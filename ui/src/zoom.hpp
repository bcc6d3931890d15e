// The visible stretch of a zoomable day timeline (seconds since local midnight): zoom around a
// point (the mouse wheel, or the middle for the buttons), pan, and the spacing of its time ticks.
// Pure, so the limits are unit-tested: the stretch never leaves the day, never shrinks below
// kMinZoomSeconds and never grows beyond the whole day.
#pragma once

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

}  // namespace cairn::ui

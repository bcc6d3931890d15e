// Zooming a day timeline (see zoom.hpp).
#include "zoom.hpp"

#include <algorithm>

namespace cairn::ui {
namespace {

DayZoom fit(double from, double to) {
  double span = std::clamp(to - from, kMinZoomSeconds, kDaySeconds);
  from = std::clamp(from, 0.0, kDaySeconds - span);
  return {from, from + span};
}

}  // namespace

DayZoom zoom_around(DayZoom z, double at, double factor) {
  at = std::clamp(at, z.from, z.to);
  const double span = std::clamp(z.span() * factor, kMinZoomSeconds, kDaySeconds);
  const double share = z.span() > 0 ? (at - z.from) / z.span() : 0.5;
  return fit(at - share * span, at - share * span + span);
}

DayZoom pan(DayZoom z, double seconds) { return fit(z.from + seconds, z.to + seconds); }

int tick_step(double span_seconds, int max_ticks) {
  static const int kSteps[] = {300, 600, 900, 1800, 3600, 7200, 10800};
  for (int s : kSteps)
    if (span_seconds / s <= max_ticks) return s;
  return 10800;
}

}  // namespace cairn::ui

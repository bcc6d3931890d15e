// Zooming a day timeline (see zoom.hpp).
#include "zoom.hpp"

#include <algorithm>
#include <cmath>

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

Stretch stretch_from_drag(const DayZoom& z, float x0, float x1, float width) {
  if (width <= 0) return {};
  auto second = [&](float x) {
    const double t = z.from + std::clamp(static_cast<double>(x) / width, 0.0, 1.0) * z.span();
    return static_cast<std::int32_t>(std::lround(t / 60) * 60);
  };
  const auto a = second(std::min(x0, x1)), b = second(std::max(x0, x1));
  return {std::clamp<std::int32_t>(a, 0, 86400), std::clamp<std::int32_t>(b, 0, 86400)};
}

std::optional<std::int32_t> parse_clock(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() == 4 && t[1] == ':') return parse_clock("0" + std::string(t));  // "9:30"
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4])) return std::nullopt;
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 3600 + m * 60;
}

std::string stretch_problem(Stretch s, std::int64_t day, std::int64_t today, std::int32_t now_second) {
  if (s.from == 0 && s.to == 0) return "Choose a stretch: drag across the strip or type its start and end.";
  if (s.empty()) return "The stretch must end after it starts.";
  if (day > today || (day == today && s.to > now_second)) return "The stretch ends in the future.";
  return {};
}

}  // namespace cairn::ui

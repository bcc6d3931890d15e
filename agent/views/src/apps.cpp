// Time per application (see apps.hpp).
#include "cairn/views/apps.hpp"

#include <algorithm>
#include <map>

namespace cairn::views {

std::vector<AppTime> time_per_app(const std::vector<records::ActivitySpan>& spans, records::Instant from,
                                  records::Instant to) {
  std::map<std::string, std::map<std::string, std::int64_t>> by_app;  // app -> category -> seconds
  for (const auto& sp : spans) {
    if (sp.idle) continue;
    const auto lo = std::max(sp.start, from), hi = std::min(sp.end, to);
    if (hi > lo) by_app[sp.app_class][sp.category] += hi - lo;
  }
  std::vector<AppTime> out;
  for (const auto& [app, cats] : by_app) {
    AppTime a{app, "", 0};
    std::int64_t best = -1;
    for (const auto& [cat, sec] : cats) {
      a.seconds += sec;
      if (sec > best) best = sec, a.category = cat;
    }
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const AppTime& a, const AppTime& b) {
    return a.seconds != b.seconds ? a.seconds > b.seconds : a.app < b.app;
  });
  return out;
}

Window days_window(std::int64_t first_day, std::int64_t last_day, std::int64_t utc_offset) {
  return {first_day * 86400 - utc_offset, (last_day + 1) * 86400 - utc_offset};
}

Result<std::vector<AppTime>> apps_in_days(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                          std::int64_t utc_offset) {
  const Window w = days_window(first_day, last_day, utc_offset);
  auto spans = CAIRN_TRY(s.spans(w.from, w.to));
  return time_per_app(spans, w.from, w.to);
}

}  // namespace cairn::views

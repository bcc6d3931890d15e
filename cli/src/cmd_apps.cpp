// `cairn apps --range today|week|month|FROM..TO`: time per application, as ActivityWatch and
// RescueTime users expect: each application's active time and its share of the total, largest first.
#include <algorithm>
#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::cli {

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

int cmd_apps(Context& ctx, const std::string& spec) {
  const auto now = ctx.clock.now();
  const auto offset = ctx.clock.utc_offset(now);
  auto range = parse_range(spec, local_day(now, offset));
  if (!range.ok()) return fail(ctx, range.error());
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  // Local days of the current offset; a range across a daylight-saving change is off by that hour at its ends.
  const records::Instant from = range->first * 86400 - offset, to = (range->last + 1) * 86400 - offset;
  auto spans = s->store.spans(from, to);
  if (!spans.ok()) return fail(ctx, spans.error());
  const auto apps = time_per_app(*spans, from, to);
  std::int64_t total = 0;
  for (const auto& a : apps) total += a.seconds;
  auto& out = ctx.io.out();
  out << "Time per application, " << range->label << " (" << day_string(range->first) << " to " << day_string(range->last)
      << "): " << hours_text(total) << " active\n";
  if (apps.empty()) {
    out << "No activity recorded in this range (the activity source may be off: `cairn consent list`).\n";
    return kOk;
  }
  for (const auto& a : apps) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%14s  %6s  ", hours_text(a.seconds).c_str(),
                  percent_text(static_cast<double>(a.seconds), static_cast<double>(total)).c_str());
    out << buf << safe_outside_text(a.app.empty() ? "(unknown)" : a.app) << "  [" << safe_outside_text(a.category) << "]\n";
  }
  out << "Active time only (idle excluded); raw activity is kept for the retention period set in consent.\n";
  return kOk;
}

}  // namespace cairn::cli

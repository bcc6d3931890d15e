// `cairn apps --range today|week|month|FROM..TO`: time per application, as ActivityWatch and
// RescueTime users expect: each application's active time and its share of the total, largest first
// (cairn/views/apps.hpp, shared with the panel's "Top applications" table).
#include <algorithm>
#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "views.hpp"

namespace cairn::cli {

int cmd_apps(Context& ctx, const std::string& spec) {
  const auto now = ctx.clock.now();
  const auto offset = ctx.clock.utc_offset(now);
  auto range = parse_range(spec, local_day(now, offset));
  if (!range.ok()) return fail(ctx, range.error());
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  // Local days of the current offset (views::days_window), the same call as the panel's table.
  auto found = views::apps_in_days(s->store, range->first, range->last, offset);
  if (!found.ok()) return fail(ctx, found.error());
  const auto& apps = *found;
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

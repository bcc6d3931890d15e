// `cairn week [--week YYYY-Www]`: the Week view of the panel as plain text. The numbers are the
// sums of the store's day rollups (store::accumulate_rollup) and the focus blocks of store::focus_blocks,
// exactly what the panel's Week view draws; nothing is computed another way here.
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "cairn/store/summary.hpp"
#include "commands.hpp"
#include "view_text.hpp"
#include "views.hpp"

namespace cairn::cli {
namespace {

const char* kCategoryNames[] = {"Development", "Communication", "Meetings (apps)", "Documents",
                                "AI assistant", "Browsing", "Other"};

struct WeekNumbers {
  std::int64_t monday = 0;
  std::array<store::DayRollup, 7> days{};
  store::DayRollup total{};
  std::int64_t focus_blocks = 0, longest_focus = 0;
  std::vector<records::Contribution> logged;
};

Result<WeekNumbers> read_week(const store::Store& s, std::int64_t monday) {
  WeekNumbers w;
  w.monday = monday;
  for (int i = 0; i < 7; ++i) w.days[static_cast<std::size_t>(i)].day = monday + i;
  for (const auto& r : CAIRN_TRY(s.rollups(monday, monday + 6))) {
    if (r.day >= monday && r.day <= monday + 6) w.days[static_cast<std::size_t>(r.day - monday)] = r;
    store::accumulate_rollup(w.total, r);
  }
  // The same window and rule as the panel's timeline: blocks that start inside the week.
  const records::Instant lo = monday * 86400 - 14 * 3600, hi = (monday + 7) * 86400 + 14 * 3600;
  auto spans = CAIRN_TRY(s.spans(lo, hi));
  auto meetings = CAIRN_TRY(s.meetings(lo, hi));
  const std::int32_t off = spans.empty() ? 0 : spans.front().utc_offset;
  for (const auto& b : store::focus_blocks(spans, meetings)) {
    const auto d = local_day(b.start, off);
    if (d < monday || d > monday + 6) continue;
    ++w.focus_blocks;
    w.longest_focus = std::max<std::int64_t>(w.longest_focus, b.end - b.start);
  }
  for (auto& c : CAIRN_TRY(s.contributions(lo, hi)))
    if (auto d = local_day(c.time, c.utc_offset); d >= monday && d <= monday + 6) w.logged.push_back(std::move(c));
  return w;
}

void row(std::ostream& out, const char* what, const std::string& value, const std::string& how) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "  %-18s %-14s ", what, value.c_str());
  out << buf << how << "\n";
}

void print_numbers(std::ostream& out, const WeekNumbers& w, int idle_minutes) {
  const auto& t = w.total;
  row(out, "Active time", hours_text(t.active_seconds), "desktop time that was not idle (idle after " + std::to_string(idle_minutes) + " min without input)");
  row(out, "Focus time", hours_text(t.focus_seconds), count_text(w.focus_blocks, "block", "blocks") + " of 25 min or more without a break; longest " + hours_text(w.longest_focus));
  row(out, "Fragmented time", hours_text(t.fragmented_seconds), "active time outside focus blocks");
  row(out, "Meetings", hours_text(t.meeting_seconds), count_text(t.meetings, "calendar meeting", "calendar meetings") + ", " + std::to_string(t.one_on_ones) + " of them one-to-one");
  char sw[32];
  std::snprintf(sw, sizeof sw, "%.1f per hour", t.active_seconds > 0 ? static_cast<double>(t.context_switches) * 3600.0 / static_cast<double>(t.active_seconds) : 0.0);
  row(out, "Context switches", sw, count_text(t.context_switches, "change", "changes") + " of application less than 2 minutes apart, per active hour");
  row(out, "After hours", hours_text(t.after_hours_seconds), "active time before 08:00, from 18:00, or at the weekend (local time)");
  row(out, "Commits", std::to_string(t.commits), count_text(t.lines_changed, "line", "lines") + " changed");
  row(out, "AI-assisted", percent_text(static_cast<double>(t.ai_commits), static_cast<double>(t.commits)) + " of commits",
      std::to_string(t.ai_commits) + " of " + std::to_string(t.commits) + " commits carry an AI co-author trailer; " +
          std::to_string(t.ai_contributions) + " of " + std::to_string(t.contributions) + " logged contributions are marked AI-assisted");
}

void print_categories_and_days(std::ostream& out, const WeekNumbers& w) {
  out << "\nActive time by category (of the application in front)\n";
  for (int c = 0; c < 7; ++c)
    if (w.total.category_seconds[c] > 0)
      row(out, kCategoryNames[c], hours_text(w.total.category_seconds[c]),
          percent_text(static_cast<double>(w.total.category_seconds[c]), static_cast<double>(w.total.active_seconds)));
  out << "\nDay by day\n";
  for (const auto& d : w.days)
    out << "  " << short_date(d.day) << "   active " << hours_text(d.active_seconds) << ", focus " << hours_text(d.focus_seconds)
        << ", meetings " << hours_text(d.meeting_seconds) << " (" << d.meetings << "), " << count_text(d.commits, "commit", "commits") << "\n";
}

void print_week(std::ostream& out, const WeekNumbers& w, int idle_minutes) {
  const auto& t = w.total;
  out << iso_week_string(w.monday) << " \xC2\xB7 " << short_date(w.monday) << " \xE2\x80\x93 " << date_text(w.monday + 6) << "\n\n";
  if (t.active_seconds == 0 && t.meetings == 0 && t.commits == 0 && w.logged.empty()) {
    out << "Nothing recorded this week. Every source is off until you turn it on (`cairn consent list`).\n";
    return;
  }
  print_numbers(out, w, idle_minutes);
  print_categories_and_days(out, w);
  if (w.logged.empty()) return;
  out << "\nWhat you logged this week\n";
  for (const auto& c : w.logged)
    out << "  #" << c.id << "  " << short_date(local_day(c.time, c.utc_offset)) << "  " << records::impact_kind_name(c.kind)
        << "  " << safe_outside_text(c.text) << "\n";
}

}  // namespace

int cmd_week(Context& ctx, const std::string& week) {
  const auto now = ctx.clock.now();
  const auto today = local_day(now, ctx.clock.utc_offset(now));
  std::int64_t monday = week_start_day(today);
  if (!week.empty()) {
    auto m = parse_iso_week(week);
    if (!m.ok()) return fail(ctx, m.error());
    if (*m > today) return fail(ctx, make_error(Errc::usage, "week " + week + " has not started yet"));
    monday = *m;
  }
  auto consent = consent::load(consent::file_in(ctx.paths.config));
  if (!consent.ok()) return fail(ctx, consent.error());
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto w = read_week(s->store, monday);
  if (!w.ok()) return fail(ctx, w.error());
  print_week(ctx.io.out(), *w, consent->idle_threshold_seconds / 60);
  return kOk;
}

}  // namespace cairn::cli

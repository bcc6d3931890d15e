// `cairn activity mark --from "YYYY-MM-DD HH:MM" --to "[YYYY-MM-DD ]HH:MM" --as break|CATEGORY`:
// the employee corrects collected activity, as ActivityWatch and RescueTime users expect: a
// stretch of local time becomes a break (idle time in every number) or its active time moves to a
// category. The store splits the spans at the edges, keeps the mark for spans the agent delivers
// later and rebuilds the days' rollups in one transaction (Store::mark_activity).
#include <cstdio>
#include <memory>
#include <optional>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "extensions.hpp"
#include "views.hpp"

namespace cairn::cli {
namespace {

struct MarkArgs {
  std::string from, to, as;
};

// "HH:MM" as seconds since midnight.
Result<std::int32_t> parse_clock(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4]))
    return make_error(Errc::usage, "a time looks like 2026-12-02 12:00 (local date, then hours:minutes)");
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return make_error(Errc::usage, "there is no such time: " + std::string(t));
  return h * 3600 + m * 60;
}

// A local wall time as a UTC instant, with the offset the clock gives for that instant.
std::int64_t local_to_utc(const Clock& clock, std::int64_t day, std::int32_t second) {
  const std::int64_t wall = day * 86400 + second;
  return wall - clock.utc_offset(wall - clock.utc_offset(wall));
}

// "YYYY-MM-DD HH:MM", or "HH:MM" on `default_day` when there is one.
Result<std::int64_t> parse_local_time(const Clock& clock, std::string_view t, std::optional<std::int64_t> default_day,
                                      std::int64_t& day_out) {
  std::int64_t day = 0;
  std::string_view clock_part = t;
  if (t.size() == 5 && default_day) {
    day = *default_day;
  } else {
    if (t.size() != 16 || (t[10] != ' ' && t[10] != 'T'))
      return make_error(Errc::usage, "a time looks like 2026-12-02 12:00 (local date, then hours:minutes)");
    day = CAIRN_TRY(parse_day(t.substr(0, 10)));
    clock_part = t.substr(11);
  }
  const auto second = CAIRN_TRY(parse_clock(clock_part));
  day_out = day;
  return local_to_utc(clock, day, second);
}

std::string clock_hm(std::int32_t second) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", second / 3600, second / 60 % 60);
  return buf;
}

std::string stretch_text(const Clock& clock, store::Instant from, store::Instant to) {
  const auto of = clock.utc_offset(from), ot = clock.utc_offset(to);
  const auto d0 = local_day(from, of), d1 = local_day(to - 1, ot);
  std::string text = short_date(d0) + " " + clock_hm(local_second_of_day(from, of)) + "\xE2\x80\x93";
  if (d1 != d0) text += short_date(local_day(to, ot)) + " ";
  return text + clock_hm(local_second_of_day(to, ot));
}

int cmd_activity_mark(Context& ctx, const MarkArgs& a) {
  std::int64_t from_day = 0, to_day = 0;
  auto from = parse_local_time(ctx.clock, a.from, std::nullopt, from_day);
  if (!from.ok()) return fail(ctx, from.error());
  auto to = parse_local_time(ctx.clock, a.to, from_day, to_day);
  if (!to.ok()) return fail(ctx, to.error());
  const auto now = ctx.clock.now();
  const store::ActivityMark mark{*from, *to, a.as, now};
  // Refused before the passphrase is asked for: nothing to unlock for a mistyped range.
  if (auto st = store::check_mark(mark, now); !st.ok()) return fail(ctx, st.error());
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto r = s->store.mark_activity(mark, now);
  if (!r.ok()) return fail(ctx, r.error());
  auto& out = ctx.io.out();
  out << "Marked " << stretch_text(ctx.clock, *from, *to)
      << (a.as == store::kBreak ? std::string(" as a break") : " as " + a.as) << ": "
      << count_text(r->spans, "recorded stretch", "recorded stretches") << " changed, " << r->split << " of them cut at the edges.\n";
  if (r->spans == 0) out << "Nothing was recorded in that stretch; activity the agent still delivers for it is marked too.\n";
  if (a.as != store::kBreak) out << "Idle time in the stretch stays idle; only active time moves to " << a.as << ".\n";
  out << "`cairn week` and `cairn apps` (and the panel) count it from now on.\n";
  return kOk;
}

}  // namespace

void add_activity(CLI::App& app, Extensions& ext) {
  auto args = std::make_shared<MarkArgs>();
  auto* activity = app.add_subcommand("activity", "Correct the collected activity: mark a stretch as a break or move it to a category");
  activity->require_subcommand(1);
  auto* mark = activity->add_subcommand("mark", "Mark a stretch of local time as a break, or move its active time to a category");
  mark->add_option("--from", args->from, "Where the stretch starts, local time")->type_name("\"YYYY-MM-DD HH:MM\"")->required();
  mark->add_option("--to", args->to, "Where it ends (not included); HH:MM alone means the same day")
      ->type_name("\"[YYYY-MM-DD ]HH:MM\"")->required();
  mark->add_option("--as", args->as,
                   "break | development | communication | meetings | documents | ai-assistant | browsing | other")
      ->type_name("break|CATEGORY")->required();
  mark->footer("A break counts as idle time: not active, in no category, and it ends focus blocks. Moving to a category "
               "re-labels active time only; idle time stays idle. At most 31 days at once, never in the future.");
  ext.handlers.push_back([=](Context& ctx) -> int {
    if (mark->parsed()) return cmd_activity_mark(ctx, *args);
    return -1;
  });
}

}  // namespace cairn::cli

// Day rollups: recomputed from the records for the days a write touched, read by the panel and
// the metrics catalog so that a year of data stays fast.
#include "cairn/store/summary.hpp"
#include "impl.hpp"

namespace cairn::store {

Status Store::rebuild_rollups(std::int64_t from_day, std::int64_t to_day) {
  if (to_day < from_day) return ok_status();
  if (to_day - from_day > 366 * 50) return make_error(Errc::usage, "rollup range is implausibly large");
  return in_transaction(*impl_, [&]() -> Status {
    // Offsets are within ±14 h, so records of a local day lie inside this UTC window.
    Instant lo = from_day * 86400 - 14 * 3600, hi = (to_day + 1) * 86400 + 14 * 3600;
    auto spans_all = CAIRN_TRY(spans(lo, hi));
    auto meetings_all = CAIRN_TRY(meetings(lo, hi));
    auto commits_all = CAIRN_TRY(commits(lo, hi));
    auto contributions_all = CAIRN_TRY(contributions(lo, hi));
    auto del = CAIRN_TRY(impl_->db.prepare("DELETE FROM day_rollups WHERE day = ?"));
    auto ins = CAIRN_TRY(impl_->db.prepare(
        "INSERT INTO day_rollups VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    // Records are sorted by start; walk a window per day instead of rescanning everything.
    std::size_t s0 = 0;
    for (std::int64_t day = from_day; day <= to_day; ++day) {
      Instant dlo = day * 86400 - 14 * 3600, dhi = (day + 1) * 86400 + 14 * 3600;
      while (s0 < spans_all.size() && spans_all[s0].end <= dlo - 86400) ++s0;
      std::size_t s1 = s0;
      while (s1 < spans_all.size() && spans_all[s1].start < dhi) ++s1;
      std::span<const ActivitySpan> sp(spans_all.data() + s0, s1 - s0);
      auto r = summarize_day(day, sp, meetings_all, commits_all, contributions_all);
      CAIRN_TRY(del.bind(1, day).run());
      bool empty = r.active_seconds == 0 && r.idle_seconds == 0 && r.meeting_seconds == 0 && r.commits == 0 &&
                   r.contributions == 0 && r.meetings == 0;
      if (empty) continue;
      ins.bind(1, day).bind(2, r.active_seconds).bind(3, r.idle_seconds).bind(4, r.focus_seconds)
          .bind(5, r.fragmented_seconds).bind(6, r.meeting_seconds).bind(7, r.after_hours_seconds)
          .bind(8, r.context_switches).bind(9, r.commits).bind(10, r.ai_commits).bind(11, r.lines_changed)
          .bind(12, r.meetings).bind(13, r.one_on_ones).bind(14, r.contributions).bind(15, r.ai_contributions);
      for (int i = 0; i < 7; ++i) ins.bind(16 + i, r.category_seconds[i]);
      CAIRN_TRY(ins.run());
    }
    return ok_status();
  });
}

Result<std::vector<DayRollup>> Store::rollups(std::int64_t from_day, std::int64_t to_day) const {
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT * FROM day_rollups WHERE day BETWEEN ? AND ? ORDER BY day"));
  st.bind(1, from_day).bind(2, to_day);
  std::vector<DayRollup> out;
  while (CAIRN_TRY(st.step())) {
    DayRollup r;
    std::int64_t* fields[] = {&r.day, &r.active_seconds, &r.idle_seconds, &r.focus_seconds, &r.fragmented_seconds,
                              &r.meeting_seconds, &r.after_hours_seconds, &r.context_switches, &r.commits,
                              &r.ai_commits, &r.lines_changed, &r.meetings, &r.one_on_ones, &r.contributions,
                              &r.ai_contributions};
    int col = 0;
    for (auto* f : fields) *f = st.i64(col++);
    for (int i = 0; i < 7; ++i) r.category_seconds[i] = st.i64(col++);
    out.push_back(r);
  }
  return out;
}

}  // namespace cairn::store

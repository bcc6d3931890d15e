// The employee's corrections of collected activity: a stretch marked as a break or moved to a
// category (store.hpp, ActivityMark). Stored spans are split at the stretch's edges and re-assigned
// in the same transaction that keeps the mark and rebuilds the touched days' rollups; spans the
// daemon delivers later (add_spans) pass through the same marks, so a correction survives imports.
#include <algorithm>
#include <string>

#include "cairn/base/plausible.hpp"
#include "impl.hpp"

namespace cairn::store {
namespace {

bool known_as(const std::string& as) {
  if (as == kBreak) return true;
  return std::any_of(std::begin(records::kCategories), std::end(records::kCategories),
                     [&](const char* c) { return as == c; });
}

std::string category_list() {
  std::string out = kBreak;
  for (const char* c : records::kCategories) out += std::string(", ") + c;
  return out;
}

// Stored offsets are within ±18 h (plausible::offset_ok, as every decoder checks): the local days
// of instants in [from, to) lie inside these.
constexpr std::int64_t kOffsetReach = plausible::kMaxUtcOffset;
std::int64_t floor_day(Instant t) { return t >= 0 ? t / 86400 : -((-t + 86399) / 86400); }

}  // namespace

Status check_mark(const ActivityMark& m, Instant now) {
  if (m.to <= m.from) return make_error(Errc::usage, "the stretch is empty: its end must come after its start");
  if (m.to > now) return make_error(Errc::usage, "the stretch ends in the future; mark only time that has passed");
  if (m.to - m.from > kMaxMarkSeconds)
    return make_error(Errc::usage, "the stretch is longer than 31 days; mark at most 31 days at once");
  if (m.from < plausible::kEarliest) return make_error(Errc::usage, "the stretch starts before 2000");
  if (!known_as(m.as)) return make_error(Errc::usage, "unknown category \"" + m.as + "\" (use one of: " + category_list() + ")");
  return ok_status();
}

std::vector<ActivitySpan> apply_mark(const ActivitySpan& s, const ActivityMark& m) {
  const bool zero = s.start == s.end;
  const bool inside_any = zero ? (s.start >= m.from && s.start < m.to) : (s.start < m.to && s.end > m.from);
  if (!inside_any) return {s};
  std::vector<ActivitySpan> out;
  if (s.start < m.from) {
    out.push_back(s);
    out.back().end = m.from;
  }
  ActivitySpan in = s;
  in.start = std::max(s.start, m.from);
  in.end = std::min(s.end, m.to);
  if (m.as == kBreak) {
    // What the daemon writes for time away: no application, no title, category "idle".
    in.idle = true;
    in.app_class.clear();
    in.category = "idle";
    in.title.reset();
  } else if (!in.idle) {
    in.category = m.as;  // time away stays away: only active time is re-labelled
  }
  out.push_back(std::move(in));
  if (s.end > m.to) {
    out.push_back(s);
    out.back().start = m.to;
  }
  return out;
}

Result<std::vector<ActivityMark>> marks_between(sql::Db& db, Instant from, Instant to) {
  auto& st = *CAIRN_TRY(db.cached("SELECT start, end, as_what, made FROM activity_marks"
                                  " WHERE start <= ? AND end >= ? ORDER BY id"));
  st.bind(1, to).bind(2, from);
  std::vector<ActivityMark> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.i64(0), st.i64(1), st.text(2), st.i64(3)});
  st.reset();  // a cached statement: no read left open
  return out;
}

std::vector<ActivitySpan> apply_marks(const ActivitySpan& s, std::span<const ActivityMark> marks) {
  std::vector<ActivitySpan> pieces{s};
  for (const auto& m : marks) {  // oldest first: a later mark wins where they overlap
    std::vector<ActivitySpan> next;
    for (const auto& p : pieces)
      for (auto& q : apply_mark(p, m)) next.push_back(std::move(q));
    pieces = std::move(next);
  }
  return pieces;
}

Result<MarkCounts> Store::mark_activity(const ActivityMark& m, Instant now) {
  CAIRN_TRY(check_mark(m, now));
  MarkCounts counts;
  CAIRN_TRY(in_transaction(*impl_, [&]() -> Status {
    // Spans last at most plausible::kMaxSpanSeconds (a day): spans() finds every one overlapping.
    auto found = CAIRN_TRY(spans(m.from, m.to));
    // The same rows spans() read (its WHERE clause), removed and inserted again as pieces.
    auto del = CAIRN_TRY(impl_->db.prepare("DELETE FROM activity_spans WHERE start >= ? AND start < ? AND end > ?"));
    CAIRN_TRY(del.bind(1, m.from - 86400).bind(2, m.to).bind(3, m.from).run());
    for (const auto& s : found) {
      ++counts.spans;
      if (s.start < m.from || s.end > m.to) ++counts.split;
    }
    auto ins = CAIRN_TRY(impl_->db.prepare("INSERT INTO activity_marks(start, end, as_what, made) VALUES (?,?,?,?)"));
    CAIRN_TRY(ins.bind(1, m.from).bind(2, m.to).bind(3, m.as).bind(4, m.made).run());
    // add_spans applies every stored mark, this one included, to what it inserts.
    CAIRN_TRY(add_spans(found));
    counts.first_day = floor_day(m.from - kOffsetReach);
    counts.last_day = floor_day(m.to - 1 + kOffsetReach);
    return rebuild_rollups(counts.first_day, counts.last_day);
  }));
  return counts;
}

Result<std::vector<ActivityMark>> Store::activity_marks() const {
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT start, end, as_what, made FROM activity_marks ORDER BY id"));
  std::vector<ActivityMark> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.i64(0), st.i64(1), st.text(2), st.i64(3)});
  return out;
}

}  // namespace cairn::store

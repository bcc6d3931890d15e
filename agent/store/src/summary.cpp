// The day summary: see summary.hpp for the definitions this code follows.
#include "cairn/store/summary.hpp"

#include <algorithm>
#include <cstring>

#include "cairn/base/clock.hpp"

namespace cairn::store {
namespace {

bool breaks_focus(const ActivitySpan& s) {
  return s.idle || s.category == "communication" || s.category == "meetings";
}

bool overlaps_meeting(Instant a, Instant b, std::span<const MeetingRecord> meetings) {
  for (const auto& m : meetings)
    if (m.start < b && m.end > a) return true;
  return false;
}

// [lo, hi) of local day `day` in UTC for a record with this offset.
void day_bounds(std::int64_t day, std::int32_t offset, Instant& lo, Instant& hi) {
  lo = day * 86400 - offset;
  hi = lo + 86400;
}

std::int64_t clip(Instant a, Instant b, Instant lo, Instant hi) {
  Instant s = std::max(a, lo), e = std::min(b, hi);
  return e > s ? e - s : 0;
}

// Seconds of [a, b) (inside one local day starting at day_lo) that fall outside working hours.
std::int64_t after_hours(Instant a, Instant b, Instant day_lo, bool weekend) {
  if (weekend) return b - a;
  return clip(a, b, day_lo, day_lo + kWorkdayStart) + clip(a, b, day_lo + kWorkdayEnd, day_lo + 86400);
}

}  // namespace

int category_index(const std::string& category) {
  for (int i = 0; i < 7; ++i)
    if (category == records::kCategories[i]) return i;
  return 6;
}

std::vector<FocusBlock> focus_blocks(std::span<const ActivitySpan> spans, std::span<const MeetingRecord> meetings) {
  std::vector<FocusBlock> out;
  Instant run_start = 0, run_end = 0;
  bool in_run = false;
  auto close = [&] {
    if (in_run && run_end - run_start >= kFocusMinSeconds) out.push_back({run_start, run_end});
    in_run = false;
  };
  for (const auto& s : spans) {
    if (s.end <= s.start) continue;
    if (breaks_focus(s) || overlaps_meeting(s.start, s.end, meetings)) {
      close();
      continue;
    }
    if (in_run && s.start - run_end > kBreakGapSeconds) close();
    if (!in_run) {
      in_run = true;
      run_start = s.start;
    }
    run_end = std::max(run_end, s.end);
  }
  close();
  return out;
}

DayRollup summarize_day(std::int64_t day, std::span<const ActivitySpan> spans, std::span<const MeetingRecord> meetings,
                        std::span<const CommitRecord> commits, std::span<const Contribution> contributions) {
  DayRollup r;
  r.day = day;
  const bool weekend = weekday_of_day(day) >= 5;

  // Only the parts of spans inside this local day count.
  std::vector<ActivitySpan> day_spans;
  day_spans.reserve(spans.size());
  for (const auto& s : spans) {
    Instant lo, hi;
    day_bounds(day, s.utc_offset, lo, hi);
    Instant a = std::max(s.start, lo), b = std::min(s.end, hi);
    if (b <= a) continue;
    // Titles are never needed for numbers: copy the span without one.
    day_spans.push_back(ActivitySpan{a, b, s.utc_offset, s.idle, s.app_class, s.category, std::nullopt});
    if (s.idle) {
      r.idle_seconds += b - a;
      continue;
    }
    r.active_seconds += b - a;
    r.category_seconds[category_index(s.category)] += b - a;
    r.after_hours_seconds += after_hours(a, b, lo, weekend);
  }
  std::sort(day_spans.begin(), day_spans.end(), [](const auto& x, const auto& y) { return x.start < y.start; });

  const ActivitySpan* prev = nullptr;
  for (const auto& s : day_spans) {
    if (s.idle) {
      prev = nullptr;
      continue;
    }
    if (prev && s.start - prev->end <= kBreakGapSeconds && s.app_class != prev->app_class) ++r.context_switches;
    prev = &s;
  }

  std::vector<MeetingRecord> day_meetings;
  for (const auto& m : meetings) {
    Instant lo, hi;
    day_bounds(day, m.utc_offset, lo, hi);
    std::int64_t secs = clip(m.start, m.end, lo, hi);
    if (secs == 0 && !(m.start == m.end && m.start >= lo && m.start < hi)) continue;
    r.meeting_seconds += secs;
    if (m.start >= lo && m.start < hi) {
      ++r.meetings;
      if (m.one_on_one) ++r.one_on_ones;
    }
    day_meetings.push_back(m);
  }

  for (const auto& b : focus_blocks(day_spans, day_meetings)) r.focus_seconds += b.end - b.start;
  r.fragmented_seconds = std::max<std::int64_t>(0, r.active_seconds - r.focus_seconds);

  for (const auto& c : commits) {
    if (local_day(c.time, c.utc_offset) != day) continue;
    ++r.commits;
    if (c.ai_assisted) ++r.ai_commits;
    r.lines_changed += c.lines_added + c.lines_removed;
  }
  for (const auto& c : contributions) {
    if (local_day(c.time, c.utc_offset) != day) continue;
    ++r.contributions;
    if (c.ai_assisted) ++r.ai_contributions;
  }
  return r;
}

void accumulate_rollup(DayRollup& into, const DayRollup& r) {
  into.active_seconds += r.active_seconds;
  into.idle_seconds += r.idle_seconds;
  into.focus_seconds += r.focus_seconds;
  into.fragmented_seconds += r.fragmented_seconds;
  into.meeting_seconds += r.meeting_seconds;
  into.after_hours_seconds += r.after_hours_seconds;
  into.context_switches += r.context_switches;
  into.commits += r.commits;
  into.ai_commits += r.ai_commits;
  into.lines_changed += r.lines_changed;
  into.meetings += r.meetings;
  into.one_on_ones += r.one_on_ones;
  into.contributions += r.contributions;
  into.ai_contributions += r.ai_contributions;
  for (int i = 0; i < 7; ++i) into.category_seconds[i] += r.category_seconds[i];
}

}  // namespace cairn::store

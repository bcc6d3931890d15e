// How a day's numbers are computed from its records: the single definition used by the rollups,
// the panel's explanations and the metrics catalog (sync/metrics). Pure functions, no I/O.
//
// Definitions (also shown to the employee, see explain_*):
// - active time: desktop time that is not idle.
// - focus block: a run of active time of at least 25 minutes with no break, where a break is
//   idle time, a gap of more than 2 minutes, time in a communication or meeting application,
//   or a calendar meeting. Active time outside focus blocks is "fragmented".
// - context switch: a change of application between two active spans less than 2 minutes apart.
// - after hours: active time before 08:00 or from 18:00 local time, and all weekend activity.
#pragma once

#include <span>
#include <vector>

#include "cairn/store/store.hpp"

namespace cairn::store {

inline constexpr std::int64_t kFocusMinSeconds = 25 * 60;
inline constexpr std::int64_t kBreakGapSeconds = 120;
inline constexpr std::int32_t kWorkdayStart = 8 * 3600;
inline constexpr std::int32_t kWorkdayEnd = 18 * 3600;

int category_index(const std::string& category);  // index into records::kCategories, 6 ("other") if unknown

// Records may extend beyond the day; only their part inside local day `day` counts.
DayRollup summarize_day(std::int64_t day, std::span<const ActivitySpan> spans, std::span<const MeetingRecord> meetings,
                        std::span<const CommitRecord> commits, std::span<const Contribution> contributions);

// Adds one day's rollup into a running total (a week's or a range's numbers are the sums of their
// days', as the panel's Week view and `cairn week` show them).
void accumulate_rollup(DayRollup& into, const DayRollup& day);

// A focus block found on a day (for the panel's timeline).
struct FocusBlock {
  Instant start = 0, end = 0;
};
std::vector<FocusBlock> focus_blocks(std::span<const ActivitySpan> spans, std::span<const MeetingRecord> meetings);

}  // namespace cairn::store

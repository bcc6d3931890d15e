// Plain-text pieces the human views (`cairn week`, `apps`, `contributions`, `log --date`) share:
// durations and shares written the way the panel writes them, and the dates, ISO weeks and day
// ranges a person types, parsed strictly (a typo is a usage error, never a guess).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/base/result.hpp"

namespace cairn::cli {

// "0 min", "35 min", "2 h", "12 h 40 min" (rounded to the minute), as the panel shows them.
std::string hours_text(std::int64_t seconds);
// "25 %"; "–" when there is nothing to divide by.
std::string percent_text(double num, double den);
// "Mon 16 Nov" and "16 Nov 2026" for a local day number.
std::string short_date(std::int64_t day);
std::string date_text(std::int64_t day);

// "YYYY-MM-DD" as a local day number; Errc::usage for anything else or a date that does not exist.
Result<std::int64_t> parse_day(std::string_view text);
// "YYYY-Www" as the local day number of that ISO week's Monday; Errc::usage when malformed or
// when the year has no such week.
Result<std::int64_t> parse_iso_week(std::string_view text);

// An inclusive range of local days.
struct DayRange {
  std::int64_t first = 0, last = 0;
  std::string label;  // "today", "this week", "this month" or "2026-11-01..2026-11-30"
};
// today | week (this ISO week so far) | month (this month so far) | all | YYYY-MM-DD..YYYY-MM-DD.
// Errc::usage for anything else, a reversed range or one that starts after today.
Result<DayRange> parse_range(std::string_view spec, std::int64_t today);

}  // namespace cairn::cli

// Plain-language number and date formatting for the panel: "12 h 40 min", "Mon 16 Nov",
// "Week 47 · 16–22 Nov 2026"; lists of outside lines made safe and capped. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cairn::ui {

std::string hours_text(std::int64_t seconds);        // "12 h 40 min", "35 min", "0 min"
std::string hours_short(float hours);                // axis ticks: "0", "2 h", "7.5 h"
std::string percent_text(double num, double den);    // "23 %" or "–" when den is 0
std::string month_name(unsigned month);              // 1 -> "Jan"
std::string weekday_name(int weekday);               // 0 -> "Mon"
std::string date_text(std::int64_t day);             // "16 Nov 2026"
std::string short_date(std::int64_t day);            // "Mon 16 Nov"
std::string week_label(std::int64_t start_day);      // "Week 47 · 16–22 Nov 2026"
std::string clock_text(std::int32_t second_of_day);  // "09:30"
// An instant as a person reads it, in local time: "Tue 3 Dec, 10:02"; the year is added when it
// is not the year of today ("Tue 3 Dec 2024, 10:02").
std::string moment_text(std::int64_t instant, std::int32_t utc_offset, std::int64_t today);
// A rate per active hour, or nothing when the active time is too short for a rate to mean
// anything: below kMinRateSeconds the count is given instead ("4 in 7 min") and `extrapolated`
// says so; from there to 2 h the rate is marked as drawn from a short span.
inline constexpr std::int64_t kMinRateSeconds = 30 * 60;
struct RateText {
  std::string value;  // "3.2 per hour" or "4 in 7 min"
  std::string note;   // empty, or why the value is not (or only roughly) a rate
};
RateText rate_text(std::int64_t count, std::int64_t active_seconds);
// A y axis for hours: the smallest round step (1, 2, 5, 10, 15, 30 min; 1, 2, 3, 5, 10 h, ...) with
// `intervals` steps reaching top_hours, and its labels, exact and all different: minutes when
// the axis ends at an hour or less ("15 min"), else hours ("0.5 h", "1.5 h").
struct HourAxis {
  float max_hours = 1;
  std::vector<std::string> labels;  // intervals + 1 of them, from "0"
};
HourAxis hour_axis(float top_hours, int intervals);

// Outside lines (an import's problems, say) ready to list: each through safe_outside_text, at
// most `cap` of them, then "and N more" when some were left out.
std::vector<std::string> listed_lines(const std::vector<std::string>& lines, std::size_t cap);

}  // namespace cairn::ui

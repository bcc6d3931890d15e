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

// Outside lines (an import's problems, say) ready to list: each through safe_outside_text, at
// most `cap` of them, then "and N more" when some were left out.
std::vector<std::string> listed_lines(const std::vector<std::string>& lines, std::size_t cap);

}  // namespace cairn::ui

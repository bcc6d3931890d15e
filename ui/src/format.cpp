// Formatting helpers (see format.hpp).
#include "format.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"

namespace cairn::ui {

std::string hours_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  std::int64_t minutes = (seconds + 30) / 60;
  std::int64_t h = minutes / 60, m = minutes % 60;
  char buf[48];
  if (h == 0) std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(m));
  else if (m == 0) std::snprintf(buf, sizeof buf, "%lld h", static_cast<long long>(h));
  else std::snprintf(buf, sizeof buf, "%lld h %lld min", static_cast<long long>(h), static_cast<long long>(m));
  return buf;
}

std::string hours_short(float hours) {
  char buf[32];
  if (hours <= 0) return "0";
  if (std::fabs(hours - std::round(hours)) < 0.01f) std::snprintf(buf, sizeof buf, "%.0f h", hours);
  else std::snprintf(buf, sizeof buf, "%.1f h", hours);
  return buf;
}

std::string percent_text(double num, double den) {
  if (den <= 0) return "\xE2\x80\x93";  // en dash: nothing to divide by
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * num / den);
  return buf;
}

std::string month_name(unsigned month) {
  static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return (month >= 1 && month <= 12) ? names[month - 1] : "?";
}

std::string weekday_name(int weekday) {
  static const char* names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  return (weekday >= 0 && weekday < 7) ? names[weekday] : "?";
}

std::string date_text(std::int64_t day) {
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  return std::to_string(d) + " " + month_name(m) + " " + std::to_string(y);
}

std::string short_date(std::int64_t day) {
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  return weekday_name(weekday_of_day(day)) + " " + std::to_string(d) + " " + month_name(m);
}

std::string week_label(std::int64_t start_day) {
  int y0, y1; unsigned m0, d0, m1, d1;
  civil_from_days(start_day, y0, m0, d0);
  civil_from_days(start_day + 6, y1, m1, d1);
  std::string iso = iso_week_string(start_day);  // "2026-W47"
  std::string week = "Week " + std::to_string(std::stoi(iso.substr(iso.size() - 2)));
  std::string range = m0 == m1 ? std::to_string(d0) + "\xE2\x80\x93" + std::to_string(d1) + " " + month_name(m1)
                               : std::to_string(d0) + " " + month_name(m0) + " \xE2\x80\x93 " + std::to_string(d1) +
                                     " " + month_name(m1);
  return week + " \xC2\xB7 " + range + " " + std::to_string(y1);
}

std::string clock_text(std::int32_t s) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (s / 3600) % 100, (s / 60) % 60);
  return buf;
}

std::string moment_text(std::int64_t instant, std::int32_t utc_offset, std::int64_t today) {
  const std::int64_t day = local_day(instant, utc_offset);
  int y, ty; unsigned m, d, tm, td;
  civil_from_days(day, y, m, d);
  civil_from_days(today, ty, tm, td);
  std::string s = weekday_name(weekday_of_day(day)) + " " + std::to_string(d) + " " + month_name(m);
  if (y != ty) s += " " + std::to_string(y);
  const auto second = static_cast<std::int32_t>(instant + utc_offset - day * 86400);
  return s + ", " + clock_text(second);
}

RateText rate_text(std::int64_t count, std::int64_t active_seconds) {
  if (active_seconds < kMinRateSeconds)
    return {std::to_string(count) + " in " + hours_text(active_seconds),
            "Not given per hour: " + hours_text(active_seconds) + " of active time is too little for a rate."};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f per hour", static_cast<double>(count) * 3600.0 / static_cast<double>(active_seconds));
  if (active_seconds < 2 * 3600)
    return {buf, "From only " + hours_text(active_seconds) + " of active time: a rough rate."};
  return {buf, ""};
}

HourAxis hour_axis(float top_hours, int intervals) {
  static const double kStepMinutes[] = {1, 2, 5, 10, 15, 30, 60, 120, 180, 300, 600, 1200, 3000, 6000};
  const double top_min = std::max(0.0, static_cast<double>(top_hours) * 60.0);
  double step = kStepMinutes[std::size(kStepMinutes) - 1];
  for (double st : kStepMinutes)
    if (st * intervals >= top_min - 1e-6) { step = st; break; }
  HourAxis a;
  a.max_hours = static_cast<float>(step * intervals / 60.0);
  const bool minutes = step * intervals <= 60;
  for (int i = 0; i <= intervals; ++i) {
    char buf[32];
    if (i == 0) std::snprintf(buf, sizeof buf, "0");
    else if (minutes) std::snprintf(buf, sizeof buf, "%.0f min", step * i);
    else std::snprintf(buf, sizeof buf, "%g h", step * i / 60.0);
    a.labels.push_back(buf);
  }
  return a;
}

std::vector<std::string> listed_lines(const std::vector<std::string>& lines, std::size_t cap) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines.size() && i < cap; ++i) out.push_back(safe_outside_text(lines[i]));
  if (lines.size() > cap) out.push_back("and " + std::to_string(lines.size() - cap) + " more");
  return out;
}

}  // namespace cairn::ui

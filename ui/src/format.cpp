// Formatting helpers (see format.hpp).
#include "format.hpp"

#include <cmath>
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

std::vector<std::string> listed_lines(const std::vector<std::string>& lines, std::size_t cap) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines.size() && i < cap; ++i) out.push_back(safe_outside_text(lines[i]));
  if (lines.size() > cap) out.push_back("and " + std::to_string(lines.size() - cap) + " more");
  return out;
}

}  // namespace cairn::ui

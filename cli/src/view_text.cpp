// Text helpers of the human views (see view_text.hpp).
#include "view_text.hpp"

#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/base/plausible.hpp"

namespace cairn::cli {
namespace {

const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// Digits only, exactly n of them.
bool read_number(std::string_view s, std::size_t n, int& value) {
  if (s.size() != n) return false;
  value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

std::int64_t earliest_day() { return plausible::kEarliest / 86400; }

}  // namespace

std::string hours_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const long long minutes = (seconds + 30) / 60, h = minutes / 60, m = minutes % 60;
  char buf[48];
  if (h == 0) std::snprintf(buf, sizeof buf, "%lld min", m);
  else if (m == 0) std::snprintf(buf, sizeof buf, "%lld h", h);
  else std::snprintf(buf, sizeof buf, "%lld h %lld min", h, m);
  return buf;
}

std::string percent_text(double num, double den) {
  if (den <= 0) return "\xE2\x80\x93";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * num / den);
  return buf;
}

std::string short_date(std::int64_t day) {
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  return std::string(kWeekdays[weekday_of_day(day)]) + " " + std::to_string(d) + " " + kMonths[m - 1];
}

std::string date_text(std::int64_t day) {
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
}

Result<std::int64_t> parse_day(std::string_view t) {
  int y = 0, m = 0, d = 0;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !read_number(t.substr(0, 4), 4, y) ||
      !read_number(t.substr(5, 2), 2, m) || !read_number(t.substr(8, 2), 2, d) || m < 1 || m > 12 || d < 1)
    return make_error(Errc::usage, "a date looks like 2026-11-18 (year-month-day)");
  const auto day = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  int yy; unsigned mm, dd;
  civil_from_days(day, yy, mm, dd);
  if (yy != y || static_cast<int>(mm) != m || static_cast<int>(dd) != d)
    return make_error(Errc::usage, "there is no such date: " + std::string(t));
  return day;
}

Result<std::int64_t> parse_iso_week(std::string_view t) {
  int y = 0, w = 0;
  if (t.size() != 8 || t[4] != '-' || t[5] != 'W' || !read_number(t.substr(0, 4), 4, y) ||
      !read_number(t.substr(6, 2), 2, w) || w < 1 || w > 53)
    return make_error(Errc::usage, "a week looks like 2026-W47 (ISO year and week)");
  // 4 January is always in week 1.
  const std::int64_t monday = week_start_day(days_from_civil(y, 1, 4)) + 7 * (w - 1);
  if (iso_week_string(monday) != t) return make_error(Errc::usage, std::to_string(y) + " has no week " + std::to_string(w));
  return monday;
}

Result<DayRange> parse_range(std::string_view spec, std::int64_t today) {
  if (spec == "today") return DayRange{today, today, "today"};
  if (spec == "week") return DayRange{week_start_day(today), today, "this week"};
  if (spec == "month") {
    int y; unsigned m, d;
    civil_from_days(today, y, m, d);
    return DayRange{days_from_civil(y, m, 1), today, "this month"};
  }
  if (spec == "all") return DayRange{earliest_day(), today, "everything"};
  const auto dots = spec.find("..");
  if (dots == std::string_view::npos)
    return make_error(Errc::usage, "--range is today, week, month, all or FROM..TO (e.g. 2026-11-01..2026-11-30)");
  auto first = CAIRN_TRY(parse_day(spec.substr(0, dots)));
  auto last = CAIRN_TRY(parse_day(spec.substr(dots + 2)));
  if (last < first) return make_error(Errc::usage, "the range ends before it starts");
  if (first > today) return make_error(Errc::usage, "the range starts after today");
  if (last > today) last = today;
  return DayRange{first, last, day_string(first) + ".." + day_string(last)};
}

}  // namespace cairn::cli

// The system clock and civil-calendar arithmetic (Howard Hinnant's days_from_civil algorithm,
// public domain description at howardhinnant.github.io/date_algorithms.html, written anew here).
#include "cairn/base/clock.hpp"

#include <cstdio>
#include <ctime>

namespace cairn {
namespace {

class SystemClock final : public Clock {
 public:
  std::int64_t now() const override { return static_cast<std::int64_t>(::time(nullptr)); }
  std::int32_t utc_offset(std::int64_t instant) const override {
    time_t t = static_cast<time_t>(instant);
    struct tm local {};
    ::localtime_r(&t, &local);
    return static_cast<std::int32_t>(local.tm_gmtoff);
  }
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(y + (month <= 2));
}

std::int64_t local_day(std::int64_t instant, std::int32_t utc_offset) { return floor_div(instant + utc_offset, 86400); }

std::int32_t local_second_of_day(std::int64_t instant, std::int32_t utc_offset) {
  std::int64_t local = instant + utc_offset;
  return static_cast<std::int32_t>(local - floor_div(local, 86400) * 86400);
}

int weekday_of_day(std::int64_t day) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return static_cast<int>(((day % 7) + 7 + 3) % 7);
}

std::int64_t week_start_day(std::int64_t day) { return day - weekday_of_day(day); }

std::string day_string(std::int64_t day) {
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string iso_week_string(std::int64_t day) {
  // The ISO year is the year of the week's Thursday.
  std::int64_t thursday = week_start_day(day) + 3;
  int y; unsigned m, d;
  civil_from_days(thursday, y, m, d);
  std::int64_t week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", y, static_cast<int>(week));
  return buf;
}

std::string iso8601_utc(std::int64_t instant) {
  std::int64_t day = floor_div(instant, 86400);
  std::int64_t sec = instant - day * 86400;
  int y; unsigned m, d;
  civil_from_days(day, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, static_cast<int>(sec / 3600),
                static_cast<int>(sec / 60 % 60), static_cast<int>(sec % 60));
  return buf;
}

}  // namespace cairn

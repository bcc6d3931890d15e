// Calendar arithmetic: local days, ISO weeks (including year boundaries) and offsets.
#include <doctest/doctest.h>

#include "cairn/base/clock.hpp"

using namespace cairn;

TEST_CASE("civil dates round trip") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  for (std::int64_t d = -1000; d < 30000; d += 37) {
    int y; unsigned m, dd;
    civil_from_days(d, y, m, dd);
    CHECK(days_from_civil(y, m, dd) == d);
  }
}

TEST_CASE("local days are cut in local time") {
  // 2026-11-22T23:30:00Z is already the 23rd in Berlin (UTC+1) but still the 22nd in New York.
  std::int64_t t = days_from_civil(2026, 11, 22) * 86400 + 23 * 3600 + 1800;
  CHECK(day_string(local_day(t, 3600)) == "2026-11-23");
  CHECK(day_string(local_day(t, -5 * 3600)) == "2026-11-22");
  CHECK(local_second_of_day(t, 0) == 23 * 3600 + 1800);
  CHECK(local_second_of_day(t, 3600) == 1800);
}

TEST_CASE("ISO weeks, including the ones that straddle years") {
  CHECK(iso_week_string(days_from_civil(2026, 11, 22)) == "2026-W47");  // a Sunday
  CHECK(weekday_of_day(days_from_civil(2026, 11, 23)) == 0);            // a Monday
  CHECK(iso_week_string(days_from_civil(2021, 1, 3)) == "2020-W53");
  CHECK(iso_week_string(days_from_civil(2024, 12, 30)) == "2025-W01");
  CHECK(week_start_day(days_from_civil(2026, 11, 22)) == days_from_civil(2026, 11, 16));
}

TEST_CASE("iso8601 formatting") {
  CHECK(iso8601_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(iso8601_utc(1700000000) == "2023-11-14T22:13:20Z");
}

// Periods: ISO weeks, months and quarters in local days; labels parse strictly and round-trip.
#include <doctest/doctest.h>

#include <algorithm>

#include "cairn/base/clock.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/metrics/catalog.hpp"

using namespace cairn;
using namespace cairn::metrics;

TEST_CASE("cadence names round-trip; unknown names are refused") {
  for (auto c : {Cadence::week, Cadence::month, Cadence::quarter}) CHECK(cadence_from_name(cadence_name(c)) == c);
  CHECK_FALSE(cadence_from_name("year"));
  CHECK_FALSE(cadence_from_name("Week"));
}

TEST_CASE("ISO weeks: first and last days, 52- and 53-week years") {
  auto w47 = parse_period(Cadence::week, "2026-W47");
  REQUIRE(w47.ok());
  CHECK(w47->first_day == days_from_civil(2026, 11, 16));  // a Monday
  CHECK(w47->last_day == days_from_civil(2026, 11, 22));
  CHECK(weekday_of_day(w47->first_day) == 0);
  // 1 January 2026 is a Thursday, so week 1 starts on Monday 29 December 2025 and 2026 has 53 weeks.
  CHECK(parse_period(Cadence::week, "2026-W01")->first_day == days_from_civil(2025, 12, 29));
  CHECK(parse_period(Cadence::week, "2026-W53")->last_day == days_from_civil(2027, 1, 3));
  CHECK(parse_period(Cadence::week, "2020-W53").ok());   // leap year starting on a Wednesday
  CHECK_FALSE(parse_period(Cadence::week, "2025-W53").ok());
  CHECK(weeks_in(*w47) == 1.0);
}

TEST_CASE("months and quarters") {
  auto feb = parse_period(Cadence::month, "2024-02");
  REQUIRE(feb.ok());
  CHECK(feb->last_day - feb->first_day + 1 == 29);
  CHECK(parse_period(Cadence::month, "2026-02")->last_day == days_from_civil(2026, 2, 28));
  auto q4 = parse_period(Cadence::quarter, "2026-Q4");
  REQUIRE(q4.ok());
  CHECK(q4->first_day == days_from_civil(2026, 10, 1));
  CHECK(q4->last_day == days_from_civil(2026, 12, 31));
  CHECK(weeks_in(*q4) == doctest::Approx(92.0 / 7));
  CHECK(parse_period(Cadence::quarter, "2026-Q1")->last_day == days_from_civil(2026, 3, 31));
}

TEST_CASE("malformed labels are refused with the expected form") {
  for (const char* bad : {"2026-W00", "2026-W54", "2026W47", "26-W47", "2026-w47", " 2026-W47", "2026-W470", "2026-W4"}) {
    auto p = parse_period(Cadence::week, bad);
    CHECK_FALSE(p.ok());
    if (!p.ok()) {
      CHECK(p.error().code == Errc::usage);
      CHECK(p.error().message.find("2026-W47") != std::string::npos);
    }
  }
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "2026-11x", "2026/11", "", "1969-12"})
    CHECK_FALSE(parse_period(Cadence::month, bad).ok());
  for (const char* bad : {"2026-Q0", "2026-Q5", "2026-q4", "2026-4"}) CHECK_FALSE(parse_period(Cadence::quarter, bad).ok());
  CHECK_FALSE(parse_period(Cadence::month, "2026-W47").ok());  // the label must match the cadence
}

TEST_CASE("period_containing and parse_period agree on every day of 2019-2031") {
  for (auto c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    for (std::int64_t day = days_from_civil(2019, 1, 1); day <= days_from_civil(2031, 12, 31); ++day) {
      const Period p = period_containing(c, day);
      REQUIRE(p.first_day <= day);
      REQUIRE(day <= p.last_day);
      auto parsed = parse_period(c, p.label);
      REQUIRE(parsed.ok());
      REQUIRE(parsed->first_day == p.first_day);
      REQUIRE(parsed->last_day == p.last_day);
      const Period before = period_before(p);
      REQUIRE(before.last_day + 1 == p.first_day);
    }
  }
}

TEST_CASE("releases_per_year is the most on-schedule releases one rolling budget window holds") {
  // A release happens the day after its period ends; count releases in every window (t - W, t].
  const std::int64_t window_days = dp::kBudgetWindowSeconds / 86400;
  for (auto c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    std::vector<std::int64_t> release_days;
    Period p = period_containing(c, days_from_civil(2019, 1, 1));
    while (p.first_day < days_from_civil(2032, 1, 1)) {
      release_days.push_back(p.last_day + 1);
      p = period_containing(c, p.last_day + 1);
    }
    std::size_t most = 0;
    for (std::size_t i = 0; i < release_days.size(); ++i) {
      std::size_t n = 0;
      for (std::size_t j = 0; j <= i; ++j)
        if (release_days[j] > release_days[i] - window_days) ++n;
      most = std::max(most, n);
    }
    CHECK_MESSAGE(most == dp::releases_per_year(c), std::string(dp::cadence_name(c)));
  }
}

// releases_per_year against the ledger's real window: charge one report per real calendar period
// (ISO weeks, months, quarters) at the period's end and count, for every charge, the entries the
// ledger's window (time > now - kBudgetWindowSeconds) holds. Also: the ledger itself never refuses
// an on-schedule release of a plan calibrated with releases_per_year, and does refuse one
// calibrated with 52/12/4.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/dp/random.hpp"
#include "fixtures.hpp"

using namespace cairn::dp;

namespace {

constexpr std::int64_t kDay = 24 * 3600;

// Local day number of the first day after each period ending in [from_year, to_year), in order.
std::vector<std::int64_t> period_end_days(Cadence c, int from_year, int to_year) {
  std::vector<std::int64_t> out;
  const std::int64_t last = cairn::days_from_civil(to_year, 1, 1);
  switch (c) {
    case Cadence::week:
      // Every ISO week ends on a Sunday: the next Monday starts the next one.
      for (std::int64_t d = cairn::week_start_day(cairn::days_from_civil(from_year, 1, 4)) + 7; d <= last; d += 7)
        out.push_back(d);
      break;
    case Cadence::month:
    case Cadence::quarter: {
      const unsigned step = c == Cadence::month ? 1 : 3;
      for (int y = from_year; y < to_year; ++y)
        for (unsigned m = 1 + step; m <= 13; m += step)
          out.push_back(m == 13 ? cairn::days_from_civil(y + 1, 1, 1) : cairn::days_from_civil(y, m, 1));
      break;
    }
  }
  return out;
}

// Charge times as the ledger records them: max(previous, end + delay) — Ledger::charge never
// lets time go backwards.
std::vector<std::int64_t> charge_times(const std::vector<std::int64_t>& end_days, const std::vector<std::int64_t>& delay) {
  std::vector<std::int64_t> t;
  for (std::size_t i = 0; i < end_days.size(); ++i) {
    const std::int64_t want = end_days[i] * kDay + delay[i];
    t.push_back(t.empty() ? want : std::max(t.back(), want));
  }
  return t;
}

// The most entries the ledger's window holds at any charge: #{j <= i : t_j > t_i - window}.
std::size_t most_in_window(const std::vector<std::int64_t>& t) {
  std::size_t most = 0, first = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    while (!(t[first] > t[i] - kBudgetWindowSeconds)) ++first;
    most = std::max(most, i - first + 1);
  }
  return most;
}

}  // namespace

TEST_CASE("releases_per_year: names, parsing and values") {
  CHECK(releases_per_year(Cadence::week) == 53);
  CHECK(releases_per_year(Cadence::month) == 13);
  CHECK(releases_per_year(Cadence::quarter) == 5);
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) CHECK(parse_cadence(cadence_name(c)).value() == c);
  auto bad = parse_cadence("fortnight");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == cairn::Errc::usage);
  CHECK(bad.error().message.find("fortnight") != std::string::npos);
}

TEST_CASE("one report per period, charged at the period's end: a rolling window holds exactly releases_per_year") {
  // 400 years: the Gregorian calendar's whole cycle (leap rules, weekdays of 1 January).
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    CAPTURE(cadence_name(c));
    const auto ends = period_end_days(c, 2000, 2400);
    REQUIRE(ends.size() > 1000);
    CHECK(most_in_window(charge_times(ends, std::vector<std::int64_t>(ends.size(), 0))) == releases_per_year(c));
  }
}

TEST_CASE("the count survives charge times jittered up to the tolerance, and not beyond it") {
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    CAPTURE(cadence_name(c));
    const auto ends = period_end_days(c, 2000, 2400);
    const std::int64_t tol = charge_time_tolerance_seconds(c);
    CHECK(tol >= 5 * kDay);  // a report a few days late, a trip across time zones
    DeterministicRandom rng(77 + static_cast<int>(c));
    for (int round = 0; round < 20; ++round) {
      // Extremes of the tolerance (0 or tol) are the worst case; a uniform draw covers the middle.
      std::vector<std::int64_t> extreme(ends.size()), uniform(ends.size()), beyond(ends.size());
      for (std::size_t i = 0; i < ends.size(); ++i) {
        const bool late = rng.next_bit();
        extreme[i] = late ? tol : 0;
        uniform[i] = static_cast<std::int64_t>(rng.uniform_below(static_cast<std::uint64_t>(tol) + 1));
        beyond[i] = late ? tol + kDay : 0;
      }
      CHECK(most_in_window(charge_times(ends, extreme)) == releases_per_year(c));
      CHECK(most_in_window(charge_times(ends, uniform)) <= releases_per_year(c));
      // A day more than the tolerance lets one more release into some window.
      CHECK(most_in_window(charge_times(ends, beyond)) == releases_per_year(c) + 1);
    }
  }
}

TEST_CASE("the ledger accepts every on-schedule release of a plan calibrated with releases_per_year") {
  const std::vector<MetricSpec> ms = {test::metric("focus_hours", 10, 0, 40, 1, "hours")};
  const Budget budget{2.0, 1e-6, BudgetScope::per_year};
  // 28 years: the weekday/leap pattern of 1901-2099 repeats with this period.
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    CAPTURE(cadence_name(c));
    const auto ends = period_end_days(c, 2026, 2054);
    auto right = calibrate_aggregator_noise(ms, releases_per_year(c), budget);
    auto short_count = calibrate_aggregator_noise(ms, releases_per_year(c) - 1, budget);  // 52 / 12 / 4
    REQUIRE(right.ok());
    REQUIRE(short_count.ok());
    MemoryLedgerStorage good_store, short_store;
    auto good = Ledger::open(good_store, BudgetCap{2.0, 1e-6});
    auto bad = Ledger::open(short_store, BudgetCap{2.0, 1e-6});
    REQUIRE(good.ok());
    REQUIRE(bad.ok());
    std::size_t refused_good = 0, refused_short = 0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      const std::string period = "p" + std::to_string(i);
      refused_good += !good->charge("plan", period, right->cost, ends[i] * kDay).ok();
      refused_short += !bad->charge("plan", period, short_count->cost, ends[i] * kDay).ok();
    }
    CHECK(refused_good == 0);
    CHECK(refused_short > 0);
  }
}

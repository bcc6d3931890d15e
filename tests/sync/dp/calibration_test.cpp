// Calibration: the plan's mu meet the budget, are rounded up, and scale with each metric's range.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cairn/dp/calibration.hpp"
#include "cairn/dp/samplers.hpp"
#include "fixtures.hpp"

using namespace cairn::dp;
using cairn::dp::test::metric;

TEST_CASE("MetricSpec encoding and sensitivity") {
  const MetricSpec m = metric("focus_hours", 10, 0, 40);
  CHECK(m.encoded_range() == 400);
  CHECK(m.encode(12.34) == 123);
  CHECK(m.encode(-5) == 0);
  CHECK(m.encode(99) == 400);
  CHECK(m.encode(std::nan("")) == 0);
  const MetricSpec k = metric("contributions_by_kind", 1, 0, 10, 4);
  CHECK(k.l1() == 40);
  CHECK(k.l2_squared() == 400);
  CHECK(validate(m).ok());
  CHECK_FALSE(validate(metric("x", 0, 0, 1)).ok());
  CHECK_FALSE(validate(metric("x", 1, 1, 1)).ok());
  CHECK_FALSE(validate(metric("x", 1000000, 0, 10)).ok());  // 10^7 units: above 2^20
  auto bad = validate(metric("bad_metric", 1, 5, 1));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("bad_metric") != std::string::npos);
}

TEST_CASE("calibration meets a yearly budget exactly enough") {
  const std::vector<MetricSpec> ms = {metric("focus_hours", 10, 0, 40), metric("ai_share", 1000, 0, 1),
                                      metric("kinds", 1, 0, 10, 4)};
  const Budget b{2.0, 1e-6, BudgetScope::per_year};
  auto cal = calibrate_skellam(ms, 52, b);
  REQUIRE(cal.ok());
  REQUIRE(cal->mu.size() == 3);
  CHECK(cal->epsilon_per_year <= 2.0);
  CHECK(cal->epsilon_per_year > 1.99);  // rounding mu up costs almost nothing
  CHECK(cal->epsilon_per_release < cal->epsilon_per_year);
  // mu_i ∝ range_i^2: focus (400) vs share (1000): ratio 0.16.
  const double ratio = static_cast<double>(cal->mu[0].to_long_double() / cal->mu[1].to_long_double());
  CHECK(ratio == doctest::Approx(0.16).epsilon(1e-6));
  // The cost the ledger will charge is built from the rounded values and the metric's sensitivities.
  REQUIRE(cal->cost.size() == 3);
  CHECK(cal->cost[0].variance == cal->mu[0]);
  CHECK(cal->cost[2].l1 == 40);
  CHECK(cal->cost[2].l2_squared == 400);
  CHECK(epsilon_for_delta(repeat(rdp_curve(cal->cost), 52), 1e-6) == doctest::Approx(cal->epsilon_per_year));
  // Every device share is a valid sampler parameter.
  for (const auto& mu : cal->mu) {
    auto share = device_share(mu, 10);
    REQUIRE(share.ok());
    CHECK(SkellamSampler::create(*share).ok());
  }
}

TEST_CASE("per-release budgets and monotonicity") {
  const std::vector<MetricSpec> ms = {metric("focus_hours", 10, 0, 40)};
  auto per_release = calibrate_skellam(ms, 12, Budget{0.5, 1e-6, BudgetScope::per_release});
  REQUIRE(per_release.ok());
  CHECK(per_release->epsilon_per_release <= 0.5);
  CHECK(per_release->epsilon_per_release > 0.499);
  auto weekly = calibrate_skellam(ms, 52, Budget{2.0, 1e-6, BudgetScope::per_year});
  auto quarterly = calibrate_skellam(ms, 4, Budget{2.0, 1e-6, BudgetScope::per_year});
  REQUIRE(weekly.ok());
  REQUIRE(quarterly.ok());
  CHECK(weekly->mu[0].to_long_double() > 10 * quarterly->mu[0].to_long_double());  // 13x the releases
}

TEST_CASE("calibration refuses bad plans with one-line reasons") {
  const std::vector<MetricSpec> ms = {metric("focus_hours", 10, 0, 40)};
  CHECK_FALSE(calibrate_skellam({}, 12, Budget{}).ok());
  CHECK_FALSE(calibrate_skellam(ms, 0, Budget{}).ok());
  CHECK_FALSE(calibrate_skellam(ms, 12, Budget{-1, 1e-6, BudgetScope::per_year}).ok());
  CHECK_FALSE(calibrate_skellam(ms, 12, Budget{1, 2, BudgetScope::per_year}).ok());
  // A very fine encoding under a tiny budget needs more noise than the sampler supports.
  const std::vector<MetricSpec> fine = {metric("fine", 20000, 0, 40)};
  auto r = calibrate_skellam(fine, 365, Budget{0.01, 1e-9, BudgetScope::per_year});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("coarsely") != std::string::npos);
  CHECK_FALSE(device_share(Rational{10, 1}, 0).ok());
}

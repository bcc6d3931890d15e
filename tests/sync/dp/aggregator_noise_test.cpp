// Calibration of the aggregators' discrete Gaussian layers: meets the budget exactly (and not a
// hair more cheaply), rounds up without undercharging, scales with each range, refuses bad plans,
// and the sampler really delivers the large variances it produces. The figures quoted in
// docs/privacy.md (§2.2 and §2.4) are asserted at the end.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <vector>

#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/samplers.hpp"
#include "fixtures.hpp"
#include "stats.hpp"

using namespace cairn::dp;
using cairn::dp::test::metric;

namespace {

// The typical plan of docs/privacy.md: 10 coordinates, hours at scale 10.
std::vector<MetricSpec> typical_plan() {
  return {metric("focus_hours", 10, 0, 40),       metric("meeting_hours", 10, 0, 40),
          metric("context_switches", 10, 0, 60),  metric("ai_assisted_share", 1000, 0, 1),
          metric("contributions_by_kind", 100, 0, 5, 4), metric("after_hours_share", 1000, 0, 1),
          metric("review_share", 1000, 0, 1)};
}

// Cost of the budget's releases if every sigma_i^2 were factor * s * r_i^2 (no rounding).
double unrounded_cost(const std::vector<MetricSpec>& ms, double s, double factor, std::uint64_t releases,
                      double delta) {
  ReleaseCost cost;
  for (const auto& m : ms) {
    const long double r = static_cast<long double>(m.encoded_range());
    // A denominator of 2^20 keeps the value within 10^-6 of exact (only the comparison matters).
    cost.push_back(NoiseTerm{Mechanism::discrete_gaussian, rational_at_least(factor * s * r * r, 1 << 20), m.l1(),
                             m.l2_squared()});
  }
  return epsilon_for_delta(repeat(rdp_curve(cost), releases), delta);
}

}  // namespace

TEST_CASE("aggregator noise meets a yearly budget exactly: at most the budget, and less noise would pass it") {
  const auto ms = typical_plan();
  for (std::uint32_t releases : {53u, 13u, 5u, 1u}) {
    for (double eps : {0.5, 2.0, 8.0}) {
      CAPTURE(releases);
      CAPTURE(eps);
      const Budget b{eps, 1e-6, BudgetScope::per_year};
      auto a = calibrate_aggregator_noise(ms, releases, b);
      REQUIRE(a.ok());
      REQUIRE(a->sigma2.size() == ms.size());
      CHECK(a->releases_per_year == releases);
      // The charged cost, recomputed the way the ledger does (one entry at a time), is within budget.
      RdpCurve year = zero_curve();
      for (std::uint32_t i = 0; i < releases; ++i) year = compose(year, rdp_curve(a->cost));
      CHECK(epsilon_for_delta(year, b.delta) <= eps);
      CHECK(a->epsilon_per_year <= eps);
      CHECK(a->epsilon_per_year > eps * (1 - 1e-6));  // rounding up costs almost nothing
      // 0.01 % less noise on every coordinate would pass the budget.
      CHECK(unrounded_cost(ms, a->multiplier, 1 - 1e-4, releases, b.delta) > eps);
      CHECK(unrounded_cost(ms, a->multiplier, 1.0, releases, b.delta) <= eps * (1 + 1e-6));
    }
  }
}

TEST_CASE("rounding sigma^2 up never undercharges: the ledger is charged for exactly the noise drawn") {
  const auto ms = typical_plan();
  auto a = calibrate_aggregator_noise(ms, 53, Budget{2.0, 1e-6, BudgetScope::per_year});
  REQUIRE(a.ok());
  REQUIRE(a->cost.size() == ms.size());
  double rho = 0;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    CAPTURE(ms[i].name);
    const long double r = static_cast<long double>(ms[i].encoded_range());
    // sigma_i^2 >= s r_i^2, and the term charged carries that same rational and the full sensitivity.
    CHECK(a->sigma2[i].to_long_double() >= static_cast<long double>(a->multiplier) * r * r);
    CHECK(a->cost[i].mechanism == Mechanism::discrete_gaussian);
    CHECK(a->cost[i].variance == a->sigma2[i]);
    CHECK(a->cost[i].l2_squared == ms[i].l2_squared());
    CHECK(a->cost[i].l1 == ms[i].l1());
    CHECK(DiscreteGaussianSampler::create(a->sigma2[i]).ok());
    rho += static_cast<double>(ms[i].l2_squared()) / (2 * static_cast<double>(a->sigma2[i].to_long_double()));
  }
  // rho per release = sum_i c_i r_i^2 / (2 sigma_i^2) <= C / (2 s) with C = 10 coordinates.
  CHECK(a->rho_per_release == doctest::Approx(rho).epsilon(1e-12));
  CHECK(a->rho_per_release <= 10 / (2 * a->multiplier));
  // sigma_i^2 / r_i^2 is the same s for every metric (up to rounding): focus (400) vs share (1000).
  const long double ratio = a->sigma2[0].to_long_double() / a->sigma2[3].to_long_double();
  CHECK(static_cast<double>(ratio) == doctest::Approx(0.16).epsilon(1e-6));
  // Small variances keep three decimals, rounded up.
  const std::vector<MetricSpec> coarse = {metric("coarse", 1, 0, 1)};
  auto c = calibrate_aggregator_noise(coarse, 1, Budget{8.0, 1e-6, BudgetScope::per_release});
  REQUIRE(c.ok());
  CHECK(1000 % c->sigma2[0].den == 0);
  CHECK(c->sigma2[0].to_long_double() >= static_cast<long double>(c->multiplier));
  CHECK(c->epsilon_per_release <= 8.0);
}

TEST_CASE("per-release budgets, the yearly figure, and more releases needing more noise") {
  const std::vector<MetricSpec> ms = {metric("focus_hours", 10, 0, 40)};
  auto per_release = calibrate_aggregator_noise(ms, 13, Budget{0.5, 1e-6, BudgetScope::per_release});
  REQUIRE(per_release.ok());
  CHECK(per_release->epsilon_per_release <= 0.5);
  CHECK(per_release->epsilon_per_release > 0.4999);
  CHECK(per_release->epsilon_per_year > 0.5);
  CHECK(per_release->epsilon_per_year ==
        doctest::Approx(epsilon_for_delta(repeat(rdp_curve(per_release->cost), 13), 1e-6)));
  auto weekly = calibrate_aggregator_noise(ms, 53, Budget{2.0, 1e-6, BudgetScope::per_year});
  auto quarterly = calibrate_aggregator_noise(ms, 5, Budget{2.0, 1e-6, BudgetScope::per_year});
  REQUIRE(weekly.ok());
  REQUIRE(quarterly.ok());
  // zCDP composes linearly: 53/5 the releases need 53/5 the variance.
  CHECK(static_cast<double>(weekly->sigma2[0].to_long_double() / quarterly->sigma2[0].to_long_double()) ==
        doctest::Approx(53.0 / 5.0).epsilon(1e-6));
  CHECK(released_noise_variance(weekly->sigma2[0]) ==
        doctest::Approx(2 * static_cast<double>(weekly->sigma2[0].to_long_double())));
}

TEST_CASE("aggregator calibration refuses bad plans with one-line reasons") {
  const std::vector<MetricSpec> ms = {metric("focus_hours", 10, 0, 40)};
  CHECK(calibrate_aggregator_noise({}, 12, Budget{}).error().code == cairn::Errc::usage);
  CHECK_FALSE(calibrate_aggregator_noise(ms, 0, Budget{}).ok());
  CHECK_FALSE(calibrate_aggregator_noise(ms, 367, Budget{}).ok());
  CHECK_FALSE(calibrate_aggregator_noise(ms, 12, Budget{-1, 1e-6, BudgetScope::per_year}).ok());
  CHECK_FALSE(calibrate_aggregator_noise(ms, 12, Budget{1, 1, BudgetScope::per_year}).ok());
  CHECK_FALSE(calibrate_aggregator_noise(ms, 12, Budget{std::nan(""), 1e-6, BudgetScope::per_year}).ok());
  const std::vector<MetricSpec> bad = {metric("bad_metric", 1, 5, 1)};
  auto r = calibrate_aggregator_noise(bad, 12, Budget{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("bad_metric") != std::string::npos);
  // A very fine encoding under a tiny budget needs more noise than the sampler supports.
  const std::vector<MetricSpec> fine = {metric("fine", 20000, 0, 40)};
  auto f = calibrate_aggregator_noise(fine, 365, Budget{0.01, 1e-9, BudgetScope::per_year});
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().message.find("coarsely") != std::string::npos);
}

TEST_CASE("the discrete Gaussian delivers a calibrated layer's large sigma^2 (10^6 samples)") {
  const auto ms = typical_plan();
  auto a = calibrate_aggregator_noise(ms, 53, Budget{2.0, 1e-6, BudgetScope::per_year});
  REQUIRE(a.ok());
  const Rational s2 = a->sigma2[0];  // focus hours, weekly, epsilon 2: about 4.8e8
  CHECK(s2.to_long_double() > 1e8L);
  auto sampler = DiscreteGaussianSampler::create(s2);
  REQUIRE(sampler.ok());
  DeterministicRandom rng(4242);
  const test::Battery b =
      test::run_battery(test::discrete_gaussian_pmf(s2.to_long_double()), 1'000'000, [&] { return (*sampler)(rng); });
  INFO(b.describe());
  CHECK(b.var_ok());
  CHECK(b.mean_ok());
  CHECK(b.ks_ok());
  CHECK(b.chi2_ok());
}

TEST_CASE("figures quoted in docs/privacy.md for the typical weekly plan") {
  // 10 coordinates, weekly (53 releases in a rolling year), epsilon 2 per year at delta 1e-6.
  const auto ms = typical_plan();
  auto a = calibrate_aggregator_noise(ms, 53, Budget{2.0, 1e-6, BudgetScope::per_year});
  REQUIRE(a.ok());
  const double sigma_h = std::sqrt(static_cast<double>(a->sigma2[0].to_long_double())) / 10;
  CHECK(a->rho_per_release * 53 == doctest::Approx(0.0881).epsilon(2e-3));
  CHECK(sigma_h == doctest::Approx(2194).epsilon(1e-3));               // per layer, hours
  CHECK(std::sqrt(2.0) * sigma_h / 10 == doctest::Approx(310.3).epsilon(1e-3));  // se of the mean, n = 10
  CHECK(std::sqrt(2.0) * sigma_h / 50 == doctest::Approx(62.06).epsilon(1e-3));  // n = 50
  // A device layer at epsilon_local = 8 per year (same calibration, it protects the device's own report).
  auto d = calibrate_aggregator_noise(ms, 53, Budget{8.0, 1e-6, BudgetScope::per_year});
  REQUIRE(d.ok());
  const double sd2 = static_cast<double>(d->sigma2[0].to_long_double());
  const double sa2 = static_cast<double>(a->sigma2[0].to_long_double());
  CHECK(std::sqrt(sd2) / 10 == doctest::Approx(639.7).epsilon(1e-3));
  CHECK(std::sqrt(2 * sa2 + 10 * sd2) / (10.0 * 10) == doctest::Approx(370.4).epsilon(1e-3));
  CHECK(std::sqrt(2 * sa2 + 50 * sd2) / (10.0 * 50) == doctest::Approx(109.7).epsilon(1e-3));
  // Prio3 range: an offset of 7 sigma each side (two-sided tail 4.6e-11) takes 400 to ~90,000: 17 bits, not 9.
  const double offset = std::ceil(7 * std::sqrt(sd2));
  CHECK(std::bit_width(static_cast<std::uint64_t>(400 + 2 * offset)) == 17);
  CHECK(std::bit_width(std::uint64_t{400}) == 9);
}

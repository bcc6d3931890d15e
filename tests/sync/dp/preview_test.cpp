// The utility preview: each aggregator adds N_Z(0, sigma^2), so the released sum carries 2 sigma^2
// whatever n and k are; standard errors of the mean from it, and plain-words verdicts.
#include <doctest/doctest.h>

#include <cmath>

#include "cairn/dp/preview.hpp"

using namespace cairn::dp;

namespace {
MetricSpec focus() {
  MetricSpec m;
  m.name = "focus_hours";
  m.unit = "hours";
  m.scale = 10;
  m.clip_lo = 0;
  m.clip_hi = 40;
  return m;
}
}  // namespace

TEST_CASE("utility preview: se of the mean is sqrt(2 sigma^2) / (scale n), from the aggregator calibration") {
  UtilityPlan plan;
  plan.metrics = {focus()};
  plan.cadence = Cadence::week;
  plan.budget = Budget{2.0, 1e-6, BudgetScope::per_year};
  plan.k = 10;
  auto p = utility_preview(plan);
  REQUIRE(p.ok());
  CHECK(p->reports == 10);
  CHECK(p->noise.releases_per_year == 53);
  REQUIRE(p->metrics.size() == 1);
  const auto& m = p->metrics[0];
  auto cal = calibrate_aggregator_noise(plan.metrics, 53, plan.budget);
  REQUIRE(cal.ok());
  CHECK(m.sigma2_per_layer == cal->sigma2[0]);
  const double s2 = static_cast<double>(m.sigma2_per_layer.to_long_double());
  CHECK(m.released_variance == doctest::Approx(2 * s2));
  CHECK(m.se_mean == doctest::Approx(std::sqrt(2 * s2) / (10.0 * 10)));
  CHECK(m.half_width_95 == doctest::Approx(1.959963984540054 * m.se_mean));
  CHECK(m.verdict == Verdict::too_noisy);
  CHECK(m.sentence.rfind("too noisy to be useful: ±", 0) == 0);
}

TEST_CASE("utility preview: k does not change the noise; only n does, through the mean") {
  UtilityPlan plan;
  plan.metrics = {focus()};
  plan.cadence = Cadence::quarter;
  plan.budget = Budget{2.0, 1e-6, BudgetScope::per_year};
  plan.expected_reports = 1000;
  plan.k = 5;
  auto small_k = utility_preview(plan);
  plan.k = 1000;
  auto large_k = utility_preview(plan);
  REQUIRE(small_k.ok());
  REQUIRE(large_k.ok());
  CHECK(small_k->metrics[0].sigma2_per_layer == large_k->metrics[0].sigma2_per_layer);
  CHECK(small_k->metrics[0].released_variance == large_k->metrics[0].released_variance);
  CHECK(small_k->metrics[0].se_mean == large_k->metrics[0].se_mean);
  // k = 1,000,000 with n = k (the version-one failure): the noise on the sum is still 2 sigma^2.
  plan.k = 1'000'000;
  plan.expected_reports = 0;
  auto huge_k = utility_preview(plan);
  REQUIRE(huge_k.ok());
  CHECK(huge_k->metrics[0].released_variance == small_k->metrics[0].released_variance);
  CHECK(huge_k->noise.epsilon_per_year <= 2.0);
  // Twice the reports halve the standard error of the mean.
  plan.k = 5;
  plan.expected_reports = 2000;
  auto twice = utility_preview(plan);
  REQUIRE(twice.ok());
  CHECK(twice->metrics[0].se_mean == doctest::Approx(small_k->metrics[0].se_mean / 2));
  // A large team reporting quarterly gets useful numbers.
  CHECK(twice->metrics[0].verdict == Verdict::useful);
  plan.expected_reports = 4;
  CHECK(utility_preview(plan).error().code == cairn::Errc::usage);
  plan.k = 0;
  CHECK_FALSE(utility_preview(plan).ok());
}

TEST_CASE("rendered utility preview names every metric, the cost, what each party adds, k and the caveat") {
  UtilityPlan plan;
  MetricSpec share;
  share.name = "ai_assisted_share";
  share.unit = "share";
  share.scale = 1000;
  share.clip_hi = 1;
  plan.metrics = {focus(), share};
  plan.cadence = Cadence::month;
  plan.k = 10;
  plan.expected_reports = 40;
  auto p = utility_preview(plan);
  REQUIRE(p.ok());
  REQUIRE(p->metrics.size() == 2);
  const std::string text = render_utility_preview(plan, *p);
  CHECK(text.find("Utility preview: 2 metrics, every month") != std::string::npos);
  CHECK(text.find("at most 13 releases in any rolling year") != std::string::npos);
  CHECK(text.find("Privacy cost: epsilon") != std::string::npos);
  CHECK(text.find(" per year (delta 1e-06)") != std::string::npos);
  CHECK(text.find("Each of the two aggregators adds its own discrete Gaussian noise") != std::string::npos);
  CHECK(text.find("as long as one of them follows the protocol") != std::string::npos);
  CHECK(text.find("k = 10 is the smallest group released; it does not change the noise") != std::string::npos);
  CHECK(text.find("focus_hours (hours, clipped to 0–40.0)") != std::string::npos);
  CHECK(text.find("ai_assisted_share (share, clipped to 0–1.00)") != std::string::npos);
  CHECK(text.find(p->metrics[1].sentence) != std::string::npos);
  CHECK(text.find("privacy noise only") != std::string::npos);
  // Nothing of the removed model: no per-device noise, no "devices' variance".
  CHECK(text.find("device") == std::string::npos);
}

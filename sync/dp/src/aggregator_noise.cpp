// Calibration of the aggregators' discrete Gaussian layers (see aggregator_noise.hpp and
// docs/privacy.md §6.1, "The aggregators' layers").
#include "cairn/dp/aggregator_noise.hpp"

#include <algorithm>
#include <cstdlib>

#include "accounting_detail.hpp"
#include "cairn/dp/samplers.hpp"

namespace cairn::dp {

namespace {

// Above 1000 an integer is fine-grained enough; below, keep three decimals. Monotone in x, so the
// rounded cost is monotone in s and the bisection below stays valid. The search may try absurd
// multipliers: values past 2^60 are held there (far above the sampler's 2^40, refused afterwards).
Rational round_up_variance(long double x) {
  constexpr long double kCeiling = 1152921504606846976.0L;  // 2^60
  if (x > kCeiling) x = kCeiling;
  return rational_at_least(x, x >= 1000 ? 1 : 1000);
}

std::vector<Rational> rounded_variances(std::span<const MetricSpec> metrics, double s) {
  std::vector<Rational> out;
  for (const auto& m : metrics) {
    const long double r = static_cast<long double>(m.encoded_range());
    out.push_back(round_up_variance(static_cast<long double>(s) * r * r));
  }
  return out;
}

Error too_much_noise(const MetricSpec& m) {
  return make_error(Errc::usage, "metric '" + m.name +
                                     "' needs more noise than the sampler supports at this budget; "
                                     "encode it more coarsely or raise the budget");
}

}  // namespace

ReleaseCost aggregator_layer_cost(std::span<const MetricSpec> metrics, std::span<const Rational> sigma2) {
  if (metrics.size() != sigma2.size()) std::abort();  // programmer error
  ReleaseCost cost;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    cost.push_back(NoiseTerm{Mechanism::discrete_gaussian, sigma2[i], metrics[i].l1(), metrics[i].l2_squared()});
  }
  return cost;
}

double released_noise_variance(const Rational& sigma2_per_layer) {
  return 2.0 * static_cast<double>(sigma2_per_layer.to_long_double());
}

Result<AggregatorNoise> calibrate_aggregator_noise(std::span<const MetricSpec> metrics,
                                                   std::uint32_t releases_per_year, const Budget& budget) {
  CAIRN_TRY(validate_plan(metrics, releases_per_year, budget));

  const std::uint64_t times = budget.scope == BudgetScope::per_year ? releases_per_year : 1;
  // The cost of exactly what would be charged for multiplier s: rounded variances, then the curve.
  auto budget_cost = [&](double s) {
    const auto sigma2 = rounded_variances(metrics, s);
    return epsilon_for_delta(repeat(rdp_curve(aggregator_layer_cost(metrics, sigma2)), times), budget.delta);
  };
  // A hair under the budget: the ledger composes one entry at a time, and a sum rounded differently
  // from repeat() must not refuse the last on-schedule release by one ulp.
  const double target = budget.epsilon * (1 - kCalibrationSlack);
  const auto searched = detail::smallest_variance(target, budget_cost);
  if (!searched.ok()) {
    // Not even 2^60 per coordinate meets the budget: name the metric with the widest encoding.
    return too_much_noise(*std::max_element(metrics.begin(), metrics.end(), [](const auto& a, const auto& b) {
      return a.encoded_range() < b.encoded_range();
    }));
  }

  AggregatorNoise out;
  out.multiplier = *searched;
  out.releases_per_year = releases_per_year;
  out.sigma2 = rounded_variances(metrics, out.multiplier);
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (!DiscreteGaussianSampler::create(out.sigma2[i]).ok()) return too_much_noise(metrics[i]);
  }
  out.cost = aggregator_layer_cost(metrics, out.sigma2);
  const RdpCurve one = rdp_curve(out.cost);
  for (const auto& t : out.cost) out.rho_per_release += gaussian_rho(static_cast<double>(t.variance.to_long_double()),
                                                                     static_cast<double>(t.l2_squared));
  out.epsilon_per_release = epsilon_for_delta(one, budget.delta);
  out.epsilon_per_year = epsilon_for_delta(repeat(one, releases_per_year), budget.delta);
  return out;
}

}  // namespace cairn::dp

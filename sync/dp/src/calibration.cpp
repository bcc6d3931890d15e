// Version-one plan calibration (Skellam on the devices; to be removed, see calibration.hpp): one shared multiplier s, mu_i = s * range_i^2, smallest s meeting the budget
// (see calibration.hpp and docs/privacy.md, "Calibration").
#include "cairn/dp/calibration.hpp"

#include <cmath>

#include "accounting_detail.hpp"
#include "cairn/dp/samplers.hpp"

namespace cairn::dp {

namespace {

ReleaseCost cost_for(std::span<const MetricSpec> metrics, const std::vector<Rational>& mu) {
  ReleaseCost cost;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    cost.push_back(NoiseTerm{Mechanism::skellam, mu[i], metrics[i].l1(), metrics[i].l2_squared()});
  }
  return cost;
}

// Curve of one release when metric i gets variance s * range_i^2 (floating point, for the search).
RdpCurve curve_for_multiplier(std::span<const MetricSpec> metrics, double s) {
  RdpCurve c = zero_curve();
  const auto orders = rdp_orders();
  for (const auto& m : metrics) {
    const double r = static_cast<double>(m.encoded_range());
    const double mu = s * r * r;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      c.rdp[i] += skellam_rdp(orders[i], mu, static_cast<double>(m.l1()), static_cast<double>(m.l2_squared()));
    }
  }
  return c;
}

}  // namespace

Result<Calibration> calibrate_skellam(std::span<const MetricSpec> metrics, std::uint32_t releases_per_year,
                                      const Budget& budget) {
  CAIRN_TRY(validate_plan(metrics, releases_per_year, budget));

  const std::uint64_t times = budget.scope == BudgetScope::per_year ? releases_per_year : 1;
  const double s = CAIRN_TRY(detail::smallest_variance(budget.epsilon, [&](double mult) {
    return epsilon_for_delta(repeat(curve_for_multiplier(metrics, mult), times), budget.delta);
  }));

  Calibration cal;
  for (const auto& m : metrics) {
    const long double r = static_cast<long double>(m.encoded_range());
    const long double mu = static_cast<long double>(s) * r * r;
    if (!(mu < static_cast<long double>(kMaxPoissonMean) * 2)) {
      return make_error(Errc::usage, "metric '" + m.name +
                                         "' needs more noise than the sampler supports at this budget; "
                                         "encode it more coarsely or raise the budget");
    }
    // Above 1000 an integer is fine-grained enough; below, keep three decimals.
    cal.mu.push_back(rational_at_least(mu, mu >= 1000 ? 1 : 1000));
  }
  cal.cost = cost_for(metrics, cal.mu);
  const RdpCurve one = rdp_curve(cal.cost);
  cal.epsilon_per_release = epsilon_for_delta(one, budget.delta);
  cal.epsilon_per_year = epsilon_for_delta(repeat(one, releases_per_year), budget.delta);
  return cal;
}

Result<Rational> device_share(const Rational& mu, std::uint32_t k) {
  if (k == 0) return make_error(Errc::usage, "the minimum group size k must be at least 1");
  return divide(mu, k);
}

}  // namespace cairn::dp

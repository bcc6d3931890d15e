// The noise each of the two aggregators adds, the model every report uses (docs/privacy.md §2,
// "Whom the guarantee holds against", and §6.1). The leader and the helper each add discrete
// Gaussian noise N_Z(0, sigma_i^2) to every coordinate of metric i in their own aggregate share,
// and each layer ALONE gives the plan's (epsilon, delta) per employee-year. So the guarantee rests
// on one condition only: at least one aggregator follows the protocol. It does not depend on k, on
// n or on other devices. The organisation sees the sum of both layers: variance 2 sigma_i^2 per
// coordinate of the released sum.
//
// Calibration: sigma_i^2 = s * r_i^2 for one shared s (r_i = the metric's encoded clip range), so
// every coordinate pays the same share of the budget whatever its unit. Sensitivity: one employee
// may move their vector anywhere in the clip box, Delta_2^2 = sum_i c_i r_i^2 (MetricSpec), so one
// release of one layer is rho = sum_i c_i r_i^2 / (2 sigma_i^2) = C / (2 s) zCDP (C = coordinates).
// s is the smallest value whose cost, composed over the releases the budget covers and converted
// with CKS 2020 Prop. 12 (epsilon_for_delta), is <= the budget. The search runs on the ROUNDED
// parameters: sigma_i^2 is rounded up to a Rational (an integer from 1000 on, 1/1000 below), and
// the cost charged is computed from exactly those values, so it never undercharges.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/accounting.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::dp {

// Calibration aims at epsilon * (1 - kCalibrationSlack), so that the ledger, which sums the same
// curves one entry at a time in floating point, never finds the on-schedule total a few ulps above.
inline constexpr double kCalibrationSlack = 1e-9;

struct AggregatorNoise {
  // Per metric (input order): the discrete Gaussian variance sigma_i^2 that EACH aggregator adds to
  // each coordinate of its share, encoded units^2. DiscreteGaussianSampler::create accepts it.
  std::vector<Rational> sigma2;
  double multiplier = 0;  // s before rounding: sigma_i^2 >= s * r_i^2
  // One release, ONE layer: what the device's Ledger::charge takes (discrete Gaussian terms with
  // the metric's Delta_1 and Delta_2^2). The other layer is not counted: it may be the cheater's.
  ReleaseCost cost;
  double rho_per_release = 0;      // zCDP of `cost`
  double epsilon_per_release = 0;  // at budget.delta
  double epsilon_per_year = 0;     // releases_per_year releases composed, at budget.delta
  std::uint32_t releases_per_year = 0;
};

// Errc::usage (one line) for no metrics, an invalid metric or budget, releases_per_year outside
// [1, 366], or a metric needing more noise than the sampler supports (sigma^2 > 2^40).
// Take releases_per_year from releases_per_year(Cadence).
Result<AggregatorNoise> calibrate_aggregator_noise(std::span<const MetricSpec> metrics,
                                                   std::uint32_t releases_per_year, const Budget& budget);

// The per-release cost of one layer adding `sigma2[i]` to metric i (the terms Ledger::charge
// takes). REQUIRES sigma2.size() == metrics.size().
ReleaseCost aggregator_layer_cost(std::span<const MetricSpec> metrics, std::span<const Rational> sigma2);

// Variance per coordinate of the released sum that the organisation sees: both layers, 2 sigma^2.
double released_noise_variance(const Rational& sigma2_per_layer);

}  // namespace cairn::dp

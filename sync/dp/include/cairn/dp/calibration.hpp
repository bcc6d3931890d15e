// VERSION-ONE MODEL, TO BE REMOVED: devices each add Sk(mu/k), so the guarantee rests on k honest
// devices, which a leader with k - 1 devices of its own defeats (docs/privacy.md). It stays only
// until the report path moves to aggregator_noise.hpp (calibrate_aggregator_noise); do not use it
// in new code. Budget and BudgetScope now live in plan_budget.hpp.
//
// Calibration: from a plan's metrics, cadence and budget to the Skellam variance mu of every
// metric, and the exact per-release cost the ledger charges. Each metric gets
// mu_i = s * range_i^2 for one shared s, so every coordinate pays the same share of the budget
// whatever its unit; s is the smallest value that meets the budget (docs/privacy.md,
// "Calibration"). mu_i is rounded UP to a rational, and the cost is recomputed from the rounded
// values, so the charged cost is never below the noise actually added.
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

struct Calibration {
  std::vector<Rational> mu;    // per metric (same order as the input): total Skellam variance per
                               // coordinate that k honest devices together add
  ReleaseCost cost;            // one release; what Ledger::charge takes
  double epsilon_per_release = 0;  // at budget.delta
  double epsilon_per_year = 0;     // releases_per_year releases composed, at budget.delta
};

Result<Calibration> calibrate_skellam(std::span<const MetricSpec> metrics, std::uint32_t releases_per_year,
                                      const Budget& budget);

// The variance each device adds: mu / k (exact). Errc::usage for k == 0.
Result<Rational> device_share(const Rational& mu, std::uint32_t k);

}  // namespace cairn::dp

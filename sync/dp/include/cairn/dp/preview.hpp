// The utility preview: before a plan is published, how precise will each released team mean be?
// Each aggregator adds N_Z(0, sigma_i^2) to its aggregate share (aggregator_noise.hpp), so the
// released sum carries both layers, 2 sigma_i^2, whatever n and k are, and the team mean's standard
// error is sqrt(2 sigma_i^2) / (scale * n). k is only the smallest group released. For every
// metric: that standard error, the 95 % interval of the team mean, and a verdict in plain words
// ("too noisy to be useful: ±X hours at 95%"). docs/privacy.md, "Utility preview", gives the
// formulas and the verdict thresholds. `cairn privacy preview` and `cairn-aggregator plan create`
// print render_utility_preview().
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::dp {

enum class Verdict : std::uint8_t { useful, rough, too_noisy };
std::string_view verdict_words(Verdict v);  // "useful", "only broad differences", "too noisy to be useful"
// The verdict for a 95 % half-width on a metric whose clip range is `range` (same units), and its
// sentence ("too noisy to be useful: ±12.3 hours at 95%"): the preview's rule, which the
// aggregator's `results` applies to the released figures too.
Verdict verdict_for(double half_width_95, double range);
std::string verdict_sentence(Verdict v, double half_width_95, const std::string& unit);

struct UtilityPlan {
  std::vector<MetricSpec> metrics;
  Cadence cadence = Cadence::month;    // releases per year from releases_per_year(cadence)
  Budget budget;                       // per release or per year
  std::uint32_t k = 10;                // smallest group released; it does NOT change the noise
  std::uint32_t expected_reports = 0;  // n reports expected per release (>= k); 0 means k
};

struct MetricUtility {
  std::string name;
  std::string unit;
  Rational sigma2_per_layer;    // what each aggregator adds per coordinate, encoded units^2
  double released_variance = 0; // of the released sum: both layers, 2 sigma^2, for every n and k
  double se_mean = 0;           // sqrt(released_variance) / (scale * n), in units
  double half_width_95 = 0;     // 1.96 * se_mean, in units
  double range = 0;             // clip_hi - clip_lo, in units
  Verdict verdict = Verdict::too_noisy;
  std::string sentence;         // e.g. "too noisy to be useful: ±12.3 hours at 95%"
};

struct UtilityPreview {
  std::vector<MetricUtility> metrics;
  std::uint32_t reports = 0;  // n used for the standard errors
  AggregatorNoise noise;
};

// Errc::usage (one line, naming the field) for an invalid plan.
Result<UtilityPreview> utility_preview(const UtilityPlan& plan);
// The text `cairn privacy preview` and `cairn-aggregator plan create` print: cost, what each party
// adds, per-metric intervals, and that k does not change the noise (only n does, through the mean).
std::string render_utility_preview(const UtilityPlan& plan, const UtilityPreview& result);

}  // namespace cairn::dp

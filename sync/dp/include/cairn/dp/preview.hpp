// The utility preview: before a plan is published, how precise will each released team mean be?
// For every metric: the noise on the released sum, turned into the standard error and the 95 %
// interval of the team mean, and a verdict in plain words ("too noisy to be useful: ±X hours at
// 95%"). docs/privacy.md, "Utility preview", gives the formulas and the verdict thresholds.
//
// utility_preview() is the model the code is moving to: each aggregator adds N_Z(0, sigma_i^2)
// (aggregator_noise.hpp), the released sum carries 2 sigma_i^2 whatever n and k are, and the team
// mean's standard error is sqrt(2 sigma_i^2) / (scale * n). k is only the smallest group released.
//
// preview() / PreviewPlan / Preview are the VERSION-ONE model (devices add Sk(mu/k), the helper an
// optional layer), kept only until its callers (cli, aggregator plans, tools.cpp) move to
// utility_preview(); to be removed then.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/calibration.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::dp {

// ---- Version one (to be removed) ----
struct PreviewPlan {
  std::vector<MetricSpec> metrics;
  std::uint32_t k = 10;                 // minimum group size; each device adds mu/k
  std::uint32_t expected_reports = 0;   // n reports expected per release (>= k); 0 means k
  std::uint32_t releases_per_year = 12;  // cadence: 52 weekly, 12 monthly, 4 quarterly
  Budget budget;                        // per release or per year
  double helper_variance_ratio = 0;     // helper's discrete Gaussian variance as a multiple of mu; 0 = none
};

enum class Verdict : std::uint8_t { useful, rough, too_noisy };
std::string_view verdict_words(Verdict v);  // "useful", "only broad differences", "too noisy to be useful"

struct MetricPreview {
  std::string name;
  std::string unit;
  Rational mu;               // total Skellam variance per coordinate (k devices), encoded units^2
  Rational mu_per_device;    // mu / k
  double noise_variance = 0; // of the released sum with n reports: n*mu/k + helper sigma^2 (encoded units^2)
  double se_mean = 0;        // standard error of the team mean, in units
  double half_width_95 = 0;  // 1.96 * se_mean, in units
  double range = 0;          // clip_hi - clip_lo, in units
  Verdict verdict = Verdict::too_noisy;
  std::string sentence;      // e.g. "too noisy to be useful: ±12.3 hours at 95%"
};

struct Preview {
  std::vector<MetricPreview> metrics;
  std::uint32_t reports = 0;  // n used for the standard errors
  Calibration calibration;
};

// Errc::usage (one line, naming the field) for an invalid plan.
Result<Preview> preview(const PreviewPlan& plan);
// The text `cairn privacy preview` prints.
std::string render_preview(const PreviewPlan& plan, const Preview& result);

// ---- The model the code is moving to: noise added by each aggregator ----
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
// The text `cairn privacy preview` will print: cost, what each party adds, per-metric intervals,
// and that k does not change the noise (only n does, through the mean).
std::string render_utility_preview(const UtilityPlan& plan, const UtilityPreview& result);

}  // namespace cairn::dp

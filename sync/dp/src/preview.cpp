// The utility preview of the aggregator-noise model (see preview.hpp and docs/privacy.md,
// "Utility preview").
#include "cairn/dp/preview.hpp"

#include <cmath>
#include <cstdio>

#include "cairn/base/text.hpp"

namespace cairn::dp {

std::string_view verdict_words(Verdict v) {
  switch (v) {
    case Verdict::useful: return "useful";
    case Verdict::rough: return "only broad differences";
    case Verdict::too_noisy: return "too noisy to be useful";
  }
  return "unknown";
}

namespace {

// 95 % interval half-width relative to the clip range: up to 5 % tells teams apart; up to 20 %
// shows only large differences; beyond that the interval spans much of what is possible at all.
constexpr double kUsefulShare = 0.05;
constexpr double kRoughShare = 0.20;
constexpr double kZ95 = 1.959963984540054;

std::string format_amount(double v) {
  char buf[64];
  if (v >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (v >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (v >= 0.1) std::snprintf(buf, sizeof buf, "%.2f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string format_number(double v, const char* fmt) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string cost_line(double per_release, double per_year, double delta) {
  return "Privacy cost: epsilon " + format_number(per_release, "%.3g") + " per release, " +
         format_number(per_year, "%.3g") + " per year (delta " + format_number(delta, "%.0e") + ")\n";
}

std::string metric_line(const MetricSpec& m, double half_width_95, double se_mean, const std::string& sentence) {
  return "  " + m.name + " (" + m.unit + ", clipped to " + format_amount(m.clip_lo) + "–" + format_amount(m.clip_hi) +
         "): team mean ±" + format_amount(half_width_95) + " " + m.unit + " at 95% (standard error " +
         format_amount(se_mean) + ") — " + sentence + "\n";
}

constexpr const char* kCaveat =
    "The interval covers the privacy noise only: it leaves out who chose to report (the mean is over\n"
    "those who did, not a random sample of the team), values cut off by the clip range, and ordinary\n"
    "variation from one period to the next.\n";

Result<std::uint32_t> reports_for(std::uint32_t k, std::uint32_t expected_reports) {
  if (k == 0) return make_error(Errc::usage, "the minimum group size k must be at least 1");
  if (expected_reports != 0 && expected_reports < k) {
    return make_error(Errc::usage, "expected reports per release cannot be below k (nothing is released then)");
  }
  return expected_reports == 0 ? k : expected_reports;
}

}  // namespace

Verdict verdict_for(double half_width_95, double range) {
  const double share = half_width_95 / range;
  return share <= kUsefulShare ? Verdict::useful : share <= kRoughShare ? Verdict::rough : Verdict::too_noisy;
}

std::string verdict_sentence(Verdict v, double half_width_95, const std::string& unit) {
  return std::string(verdict_words(v)) + ": ±" + format_amount(half_width_95) + " " + unit + " at 95%";
}

Result<UtilityPreview> utility_preview(const UtilityPlan& plan) {
  UtilityPreview out;
  out.reports = CAIRN_TRY(reports_for(plan.k, plan.expected_reports));
  out.noise = CAIRN_TRY(calibrate_aggregator_noise(plan.metrics, releases_per_year(plan.cadence), plan.budget));
  const double n = out.reports;
  for (std::size_t i = 0; i < plan.metrics.size(); ++i) {
    const MetricSpec& m = plan.metrics[i];
    MetricUtility mu;
    mu.name = m.name;
    mu.unit = m.unit;
    mu.sigma2_per_layer = out.noise.sigma2[i];
    // Both layers reach the organisation; neither depends on n or k. Only the mean divides by n.
    mu.released_variance = released_noise_variance(mu.sigma2_per_layer);
    mu.se_mean = std::sqrt(mu.released_variance) / (static_cast<double>(m.scale) * n);
    mu.half_width_95 = kZ95 * mu.se_mean;
    mu.range = m.range();
    mu.verdict = verdict_for(mu.half_width_95, mu.range);
    mu.sentence = verdict_sentence(mu.verdict, mu.half_width_95, m.unit);
    out.metrics.push_back(std::move(mu));
  }
  return out;
}

std::string render_utility_preview(const UtilityPlan& plan, const UtilityPreview& r) {
  std::string s;
  s += "Utility preview: " + count_text(plan.metrics.size(), "metric", "metrics") + ", every " +
       std::string(cadence_name(plan.cadence)) + " (at most " + std::to_string(r.noise.releases_per_year) +
       " releases in any rolling year), " + count_text(r.reports, "report", "reports") + " expected per release\n";
  s += cost_line(r.noise.epsilon_per_release, r.noise.epsilon_per_year, plan.budget.delta);
  s += "Each of the two aggregators adds its own discrete Gaussian noise, enough on its own for this cost:\n"
       "the guarantee holds as long as one of them follows the protocol. Results carry both layers.\n";
  s += "k = " + std::to_string(plan.k) +
       " is the smallest group released; it does not change the noise. The noise on a released sum is\n"
       "the same for any number of reports; the mean divides it by n, so twice the reports halve the error.\n";
  for (std::size_t i = 0; i < r.metrics.size(); ++i) {
    const auto& mu = r.metrics[i];
    s += metric_line(plan.metrics[i], mu.half_width_95, mu.se_mean, mu.sentence);
  }
  s += kCaveat;
  return s;
}

}  // namespace cairn::dp

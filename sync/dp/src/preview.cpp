// The utility preview (see preview.hpp and docs/privacy.md, "Utility preview").
#include "cairn/dp/preview.hpp"

#include <cmath>
#include <cstdio>

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

}  // namespace

Result<Preview> preview(const PreviewPlan& plan) {
  if (plan.k == 0) return make_error(Errc::usage, "the minimum group size k must be at least 1");
  if (plan.expected_reports != 0 && plan.expected_reports < plan.k) {
    return make_error(Errc::usage, "expected reports per release cannot be below k (nothing is released then)");
  }
  if (!(plan.helper_variance_ratio >= 0) || !std::isfinite(plan.helper_variance_ratio)) {
    return make_error(Errc::usage, "the helper's noise ratio must be zero or a positive number");
  }
  Preview out;
  out.calibration = CAIRN_TRY(calibrate_skellam(plan.metrics, plan.releases_per_year, plan.budget));
  out.reports = plan.expected_reports == 0 ? plan.k : plan.expected_reports;
  const double n = out.reports;
  for (std::size_t i = 0; i < plan.metrics.size(); ++i) {
    const MetricSpec& m = plan.metrics[i];
    MetricPreview mp;
    mp.name = m.name;
    mp.unit = m.unit;
    mp.mu = out.calibration.mu[i];
    mp.mu_per_device = CAIRN_TRY(device_share(mp.mu, plan.k));
    const double mu = static_cast<double>(mp.mu.to_long_double());
    // n devices each add mu/k: n*mu/k >= mu. The helper adds its layer once, to the sum.
    mp.noise_variance = n * mu / plan.k + plan.helper_variance_ratio * mu;
    const double scale = static_cast<double>(m.scale);
    mp.se_mean = std::sqrt(mp.noise_variance) / (n * scale);
    mp.half_width_95 = kZ95 * mp.se_mean;
    mp.range = m.range();
    const double share = mp.half_width_95 / mp.range;
    mp.verdict = share <= kUsefulShare ? Verdict::useful : share <= kRoughShare ? Verdict::rough : Verdict::too_noisy;
    mp.sentence = std::string(verdict_words(mp.verdict)) + ": ±" + format_amount(mp.half_width_95) + " " + m.unit +
                  " at 95%";
    out.metrics.push_back(std::move(mp));
  }
  return out;
}

std::string render_preview(const PreviewPlan& plan, const Preview& r) {
  std::string s;
  s += "Utility preview: " + std::to_string(plan.metrics.size()) + " metric(s), " +
       std::to_string(plan.releases_per_year) + " release(s) per year, k = " + std::to_string(plan.k) +
       ", " + std::to_string(r.reports) + " report(s) expected per release\n";
  s += "Privacy cost: epsilon " + format_number(r.calibration.epsilon_per_release, "%.3g") + " per release, " +
       format_number(r.calibration.epsilon_per_year, "%.3g") + " per year (delta " +
       format_number(plan.budget.delta, "%.0e") + ")\n";
  if (plan.helper_variance_ratio > 0) {
    s += "The helper adds discrete Gaussian noise of " + format_number(plan.helper_variance_ratio, "%.3g") +
         " times the devices' variance; the employee's ledger counts only the devices' noise.\n";
  }
  for (std::size_t i = 0; i < r.metrics.size(); ++i) {
    const auto& mp = r.metrics[i];
    const auto& m = plan.metrics[i];
    s += "  " + mp.name + " (" + m.unit + ", clipped to " + format_amount(m.clip_lo) + "–" +
         format_amount(m.clip_hi) + "): team mean ±" + format_amount(mp.half_width_95) + " " + m.unit +
         " at 95% (standard error " + format_amount(mp.se_mean) + ") — " + mp.sentence + "\n";
  }
  s += "The interval covers the privacy noise only: it leaves out who chose to report (the mean is over\n"
       "those who did, not a random sample of the team), values cut off by the clip range, and ordinary\n"
       "variation from one period to the next.\n";
  return s;
}

}  // namespace cairn::dp

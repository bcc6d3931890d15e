// Released team figures in words: see results_text.hpp. The organisation's `results` and the
// employee's `share results` / Sharing view print exactly these lines.
#include "cairn/wire/results_text.hpp"

#include <cmath>
#include <cstdio>

#include "cairn/base/text.hpp"

namespace cairn::wire {

std::string result_number(double v) {
  char buf[64];
  const double a = std::fabs(v);
  std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  const std::string s(buf);
  return s == "-0.00" || s == "-0" ? s.substr(1) : s;
}

std::string value_label(const TeamValue& v) {
  return v.coordinate == v.metric || v.coordinate.empty() ? v.metric : v.metric + " / " + v.coordinate;
}

TeamValueText team_value_text(const TeamValue& v) {
  TeamValueText t;
  t.figure = value_label(v) + ": team mean " + result_number(v.mean) + " " + v.unit + ", 95% interval " +
             result_number(v.lo) + " to " + result_number(v.hi);
  t.verdict = "verdict: " + v.verdict_sentence;
  if (v.out_of_range)
    t.outside = "OUTSIDE the metric's range " + result_number(v.clip_lo) + " to " + result_number(v.clip_hi) + " " + v.unit +
                ": the noise carried the mean there. Clamped to the range: " + result_number(v.clamped_mean) + " " + v.unit +
                " (post-processing of the released mean, no privacy cost; the mean above is what was released)";
  return t;
}

std::string release_count_text(std::uint32_t n, std::uint32_t k, std::uint32_t dropped, bool released) {
  if (!released)
    return "not released: " + count_text(n, "report", "reports") + " held by both aggregators, below k = " + std::to_string(k);
  std::string s = count_text(n, "report", "reports") + " (k = " + std::to_string(k) + ")";
  if (dropped) s += ", " + std::to_string(dropped) + " dropped (held by one aggregator only)";
  return s;
}

std::string noise_note() {
  return "Each released sum carries both aggregators' noise layers (variance 2σ² per coordinate, whatever n is); the\n"
         "mean divides it by n. The interval covers that noise only: not who chose to report, values cut off by the\n"
         "clip range, or ordinary variation from one period to the next.";
}

std::string outside_note() {
  return "A mean outside its range says the noise is large next to the range: read the verdict before the figure.";
}

}  // namespace cairn::wire

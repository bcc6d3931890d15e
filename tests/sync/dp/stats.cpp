// Test-only statistics (see stats.hpp).
#include "stats.hpp"

#include <algorithm>
#include <cstdio>

namespace cairn::dp::test {

long double Pmf::mean() const { return moment(1); }

long double Pmf::moment(int k) const {
  long double s = 0;
  for (std::size_t i = 0; i < p.size(); ++i) s += p[i] * std::pow(static_cast<long double>(lo + static_cast<std::int64_t>(i)), k);
  return s;
}

namespace {

Pmf normalised(std::int64_t lo, std::vector<long double> w) {
  long double total = 0;
  for (auto v : w) total += v;
  for (auto& v : w) v /= total;
  return Pmf{lo, std::move(w)};
}

}  // namespace

Pmf discrete_gaussian_pmf(long double sigma2) {
  const auto K = static_cast<std::int64_t>(std::ceil(14 * std::sqrt(sigma2) + 10));
  std::vector<long double> w(static_cast<std::size_t>(2 * K + 1));
  for (std::int64_t x = -K; x <= K; ++x) w[static_cast<std::size_t>(x + K)] = std::exp(-(long double)(x * x) / (2 * sigma2));
  return normalised(-K, std::move(w));
}

Pmf discrete_laplace_pmf(long double t) {
  const auto K = static_cast<std::int64_t>(std::ceil(80 * t + 10));
  std::vector<long double> w(static_cast<std::size_t>(2 * K + 1));
  for (std::int64_t x = -K; x <= K; ++x) w[static_cast<std::size_t>(x + K)] = std::exp(-std::fabs((long double)x) / t);
  return normalised(-K, std::move(w));
}

long double gamma_q(long double a, long double x) {
  if (x <= 0) return 1;
  const long double log_prefix = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {
    // Series for P(a, x); Q = 1 - P.
    long double term = 1 / a, sum = term;
    for (int n = 1; n < 100000; ++n) {
      term *= x / (a + n);
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * 1e-19L) break;
    }
    return 1 - sum * std::exp(log_prefix);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const long double tiny = 1e-4000L;
  long double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 100000; ++i) {
    const long double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const long double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-19L) break;
  }
  return std::exp(log_prefix) * h;
}

long double chi2_sf(long double x, long double df) { return gamma_q(df / 2, x / 2); }

long double chi2_critical(long double df, long double alpha) {
  long double lo = 0, hi = df + 20 * std::sqrt(df) + 100;
  while (chi2_sf(hi, df) > alpha) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const long double mid = (lo + hi) / 2;
    (chi2_sf(mid, df) > alpha ? lo : hi) = mid;
  }
  return hi;
}

long double ks_critical(std::uint64_t n, long double alpha) { return std::sqrt(std::log(2 / alpha) / (2.0L * n)); }

std::string Battery::describe() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "n=%llu chi2=%.1Lf (df %.0Lf, crit %.1Lf) KS=%.5Lf (crit %.5Lf) z_mean=%.2Lf z_var=%.2Lf",
                static_cast<unsigned long long>(n), chi2, chi2_df, chi2_crit, ks, ks_crit, z_mean, z_var);
  return buf;
}

Battery run_battery(const Pmf& pmf, std::uint64_t n, const std::function<std::int64_t()>& draw) {
  Battery b;
  b.n = n;
  const std::int64_t lo = pmf.lo;
  const std::int64_t hi = pmf.lo + static_cast<std::int64_t>(pmf.p.size()) - 1;
  std::vector<std::uint64_t> counts(pmf.p.size(), 0);  // out-of-range samples clamp to the ends
  long double sum = 0, sumsq = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::int64_t x = draw();
    sum += x;
    sumsq += static_cast<long double>(x) * x;
    counts[static_cast<std::size_t>(std::clamp(x, lo, hi) - lo)]++;
  }
  // Mean and variance against the exact moments of the pmf (about 0 for our symmetric laws, but
  // computed in general).
  const long double m1 = pmf.moment(1), m2 = pmf.moment(2), m3 = pmf.moment(3), m4 = pmf.moment(4);
  const long double var = m2 - m1 * m1;
  b.z_mean = (sum / n - m1) / std::sqrt(var / n);
  // Second moment about the true mean: E[(X - m1)^2] = var; Var((X - m1)^2) = mu4 - var^2.
  const long double c4 = m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 * m1 * m1 * m1;
  const long double s2 = sumsq / n - 2 * m1 * sum / n + m1 * m1;
  b.z_var = (s2 - var) / std::sqrt((c4 - var * var) / n);

  // KS: sup |F_n(x) - F(x)| over the support (F_n and F are step functions jumping at integers).
  long double F = 0, Fn = 0, ks = 0;
  for (std::size_t i = 0; i < pmf.p.size(); ++i) {
    F += pmf.p[i];
    Fn += static_cast<long double>(counts[i]) / n;
    ks = std::max(ks, std::fabs(Fn - F));
  }
  b.ks = ks;
  b.ks_crit = ks_critical(n);

  // Chi-square with adjacent bins merged to expect >= 20 each; the outer bins hold the tails.
  std::vector<long double> expected;
  std::vector<long double> observed;
  long double e = 0, o = 0;
  for (std::size_t i = 0; i < pmf.p.size(); ++i) {
    e += pmf.p[i] * n;
    o += counts[i];
    if (e >= 20) {
      expected.push_back(e);
      observed.push_back(o);
      e = o = 0;
    }
  }
  if (!expected.empty()) {
    expected.back() += e;
    observed.back() += o;
  }
  long double chi2 = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) chi2 += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  b.chi2 = chi2;
  b.chi2_df = static_cast<long double>(expected.size()) - 1;
  b.chi2_crit = chi2_critical(b.chi2_df);
  return b;
}

}  // namespace cairn::dp::test

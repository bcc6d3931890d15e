// Test-only statistics for the sampler tests: exact pmfs (discrete Gaussian and Laplace by
// normalising exp(...)), chi-square on binned counts, Kolmogorov–Smirnov against the exact CDF, and
// mean/variance z-scores — all in long double, independent of the code under test.
//
// Thresholds: every check rejects at significance kAlpha = 1e-7, so a battery of 4 checks fails an
// honest sampler with probability < 4e-7 < 1e-6.
//   chi-square: critical value = the (1 - 1e-7) quantile of chi^2(df), found by bisection on the
//     regularized upper incomplete gamma Q(df/2, x/2) below (checked against closed forms in
//     stats_test.cpp); bins are merged until each expects >= 20 samples.
//   KS: Dvoretzky–Kiefer–Wolfowitz–Massart, P(sup|F_n - F| > e) <= 2 exp(-2 n e^2), valid for any
//     distribution including discrete ones: e = sqrt(ln(2/1e-7) / (2n)) (0.00290 for n = 10^6).
//   mean, variance: |z| <= 5.5 (two-sided normal tail 3.8e-8; margin for the CLT this far out).
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cairn::dp::test {

inline constexpr long double kAlpha = 1e-7L;
inline constexpr long double kZMax = 5.5L;

struct Pmf {
  std::int64_t lo = 0;            // support point of p[0]
  std::vector<long double> p;     // p[i] = P(X = lo + i); sums to 1
  long double at(std::int64_t x) const {
    if (x < lo || x >= lo + static_cast<std::int64_t>(p.size())) return 0;
    return p[static_cast<std::size_t>(x - lo)];
  }
  long double mean() const;
  long double moment(int k) const;  // central-free raw moment E[X^k]
};

Pmf discrete_gaussian_pmf(long double sigma2);
Pmf discrete_laplace_pmf(long double t);  // ∝ exp(-|x|/t)

// Regularized upper incomplete gamma Q(a, x) and the chi-square survival function.
long double gamma_q(long double a, long double x);
long double chi2_sf(long double x, long double df);
long double chi2_critical(long double df, long double alpha = kAlpha);
long double ks_critical(std::uint64_t n, long double alpha = kAlpha);

struct Battery {
  std::uint64_t n = 0;
  long double chi2 = 0, chi2_df = 0, chi2_crit = 0;
  long double ks = 0, ks_crit = 0;
  long double z_mean = 0, z_var = 0;
  bool chi2_ok() const { return chi2 <= chi2_crit; }
  bool ks_ok() const { return ks <= ks_crit; }
  bool mean_ok() const { return std::fabs(z_mean) <= kZMax; }
  bool var_ok() const { return std::fabs(z_var) <= kZMax; }
  std::string describe() const;
};

// Draws n samples from `draw` and runs all four checks against `pmf`.
Battery run_battery(const Pmf& pmf, std::uint64_t n, const std::function<std::int64_t()>& draw);

}  // namespace cairn::dp::test

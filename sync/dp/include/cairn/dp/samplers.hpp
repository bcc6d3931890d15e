// Exact integer noise samplers. Every parameter is a Rational and every step is integer
// arithmetic on random bits from a RandomSource: no floating point anywhere on the sampling path
// (floating-point noise leaks the secret through its low bits, Mironov 2012). The algorithms and
// their proofs of exactness are in docs/privacy.md, "Exact sampling".
//
//   bernoulli_exp      Bernoulli(exp(-gamma))        CKS 2020 Algorithm 1
//   PoissonSampler     Poisson(lambda)               rejection from a flat-top geometric envelope
//                                                    with rational acceptance factors (docs)
//   SkellamSampler     Sk(mu) = Poisson(mu/2) - Poisson(mu/2), variance mu
//   discrete_laplace   P(x) ∝ exp(-|x|/t)            CKS 2020 Algorithm 2 (s = 1)
//   DiscreteGaussianSampler  N_Z(0, sigma^2)         CKS 2020 Algorithm 3
//
// Samplers are built through create(), which rejects parameters outside the range in which every
// intermediate value provably fits the integer widths used (limits below), so drawing a sample
// never fails. A sampler object is immutable and may be shared between threads; the RandomSource
// passed to each call may not.
#pragma once

#include <cstdint>

#include "cairn/base/result.hpp"
#include "cairn/dp/random.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::dp {

// Bernoulli(p) for p = num/den in [0, 1] (values above 1 return true). REQUIRES den > 0.
bool bernoulli(RandomSource& rng, const Rational& p);
// Bernoulli(exp(-gamma)) for any rational gamma >= 0. REQUIRES gamma.den > 0.
bool bernoulli_exp(RandomSource& rng, const Rational& gamma);

// Limits (after reduction to lowest terms). Poisson: lambda <= 2^40 and denominator <= 2^24.
// Skellam: mu/2 within the Poisson limits. Discrete Gaussian: sigma^2 in (0, 2^40], denominator
// <= 2^20.
inline constexpr std::uint64_t kMaxPoissonMean = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxPoissonDenominator = std::uint64_t{1} << 24;
inline constexpr std::uint64_t kMaxGaussianVariance = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxGaussianDenominator = std::uint64_t{1} << 20;

class PoissonSampler {
 public:
  static Result<PoissonSampler> create(const Rational& lambda);
  std::uint64_t operator()(RandomSource& rng) const;
  const Rational& lambda() const { return lambda_; }

 private:
  PoissonSampler() = default;
  bool accept_center(RandomSource& rng, std::uint64_t n) const;
  Rational lambda_;
  std::uint64_t p_ = 0, q_ = 1;  // lambda = p/q
  std::uint64_t mode_ = 0;       // m = floor(lambda), a mode of the pmf
  std::uint64_t width_ = 0;      // W: the flat part of the envelope is [m-W, m+W] (clamped at 0)
  std::uint64_t lo_ = 0;         // max(0, m - W)
  std::uint64_t center_ = 0;     // number of points in the flat part
  std::uint64_t right_ceil_ = 0, left_ceil_ = 0;  // tail masses rounded up to integers
  unsigned __int128 right_den_ = 0, left_den_ = 0;
  bool has_left_ = false;
};

class SkellamSampler {
 public:
  // mu = the variance of the noise; mu = 0 always gives 0.
  static Result<SkellamSampler> create(const Rational& mu);
  std::int64_t operator()(RandomSource& rng) const;
  const Rational& mu() const { return mu_; }

 private:
  SkellamSampler(Rational mu, PoissonSampler half) : mu_(mu), half_(half) {}
  Rational mu_;
  PoissonSampler half_;  // Poisson(mu/2)
};

// P(x) ∝ exp(-|x|/t) on the integers; t >= 1. (CKS 2020 Algorithm 2 with s = 1.)
std::int64_t discrete_laplace(RandomSource& rng, std::uint64_t t);

class DiscreteGaussianSampler {
 public:
  static Result<DiscreteGaussianSampler> create(const Rational& sigma2);
  std::int64_t operator()(RandomSource& rng) const;
  const Rational& sigma2() const { return sigma2_; }

 private:
  DiscreteGaussianSampler() = default;
  Rational sigma2_;
  std::uint64_t t_ = 1;  // floor(sigma) + 1
};

}  // namespace cairn::dp

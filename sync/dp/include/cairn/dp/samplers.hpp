// Exact integer noise samplers. Every parameter is a Rational and every step is integer
// arithmetic on random bits from a RandomSource: no floating point anywhere on the sampling path
// (floating-point noise leaks the secret through its low bits, Mironov 2012). The algorithms and
// their proofs of exactness are in docs/privacy.md, "Exact sampling".
//
//   bernoulli_exp      Bernoulli(exp(-gamma))        CKS 2020 Algorithm 1
//   discrete_laplace   P(x) ∝ exp(-|x|/t)            CKS 2020 Algorithm 2 (s = 1)
//   DiscreteGaussianSampler  N_Z(0, sigma^2)         CKS 2020 Algorithm 3: the noise each
//                                                    aggregator adds (aggregator_noise.hpp)
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

// Limits (after reduction to lowest terms): 0 < sigma^2 < 2^40, denominator <= 2^20.
inline constexpr std::uint64_t kMaxGaussianVariance = std::uint64_t{1} << 40;
inline constexpr std::uint64_t kMaxGaussianDenominator = std::uint64_t{1} << 20;

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

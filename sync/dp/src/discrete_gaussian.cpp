// The discrete Laplace and discrete Gaussian samplers of Canonne, Kamath, Steinke 2020
// (Algorithms 2 and 3), in exact integer arithmetic (docs/privacy.md, "Discrete Gaussian").
#include "cairn/dp/samplers.hpp"
#include "exact.hpp"

namespace cairn::dp {

using detail::U256;
using detail::u128;

std::int64_t discrete_laplace(RandomSource& rng, std::uint64_t t) {
  // t <= 2^22 keeps U + t*V below 2^63 for V below the runaway bound.
  if (t == 0 || t > (std::uint64_t{1} << 22)) std::abort();
  for (;;) {
    const std::uint64_t u = rng.uniform_below(t);
    if (!detail::bernoulli_exp<std::uint64_t>(rng, u, t)) continue;  // Bernoulli(exp(-U/t))
    std::uint64_t v = 0;
    while (detail::bernoulli_exp_minus_one(rng)) {  // V ~ Geometric(1 - e^-1)
      if (++v > detail::kRunawayRounds) detail::runaway_loop();
    }
    const std::uint64_t x = u + t * v;  // X ~ Geometric(1 - e^(-1/t)) on {0, 1, ...}
    const bool negative = rng.next_bit();
    if (negative && x == 0) continue;  // otherwise 0 would be counted twice
    return negative ? -static_cast<std::int64_t>(x) : static_cast<std::int64_t>(x);
  }
}

Result<DiscreteGaussianSampler> DiscreteGaussianSampler::create(const Rational& sigma2_in) {
  auto sigma2 = CAIRN_TRY(Rational::make(sigma2_in.num, sigma2_in.den));
  if (sigma2.is_zero()) return make_error(Errc::usage, "the discrete Gaussian needs a positive variance");
  if (sigma2.den > kMaxGaussianDenominator) {
    return make_error(Errc::usage, "discrete Gaussian variance " + sigma2.to_string() +
                                       ": denominator above 2^20; round sigma to at most 3 decimals");
  }
  if (sigma2.num / sigma2.den >= kMaxGaussianVariance) {
    return make_error(Errc::usage, "discrete Gaussian variance above 2^40 is not supported");
  }
  DiscreteGaussianSampler s;
  s.sigma2_ = sigma2;
  s.t_ = detail::isqrt(sigma2.num / sigma2.den) + 1;  // floor(sqrt(x)) == isqrt(floor(x))
  return s;
}

std::int64_t DiscreteGaussianSampler::operator()(RandomSource& rng) const {
  // Accept Y ~ DLap(t) with probability exp(-(|Y| - sigma^2/t)^2 / (2 sigma^2)). With
  // sigma^2 = n/d:  gamma = (|Y| t d - n)^2 / (2 n t^2 d), numerator < 2^204, denominator < 2^124.
  const u128 n = sigma2_.num;
  const u128 d = sigma2_.den;
  const u128 t = t_;
  const U256 den = U256::of(2 * n * t * t * d);
  for (;;) {
    const std::int64_t y = discrete_laplace(rng, t_);
    const u128 abs_y = static_cast<u128>(y < 0 ? -static_cast<u128>(y) : static_cast<u128>(y));
    const u128 x = abs_y * t * d;
    const u128 a = x >= n ? x - n : n - x;
    if (detail::bernoulli_exp<U256>(rng, U256::mul(a, a), den)) return y;
  }
}

}  // namespace cairn::dp

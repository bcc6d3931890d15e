// Non-template parts of exact.hpp and the public Bernoulli(exp(-gamma)) entry point.
#include <cstdio>

#include "cairn/dp/samplers.hpp"
#include "exact.hpp"

namespace cairn::dp {
namespace detail {

U256 U256::mul(u128 a, u128 b) {
  const std::uint64_t a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
  const std::uint64_t b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0;
  const u128 p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0;
  const u128 p11 = static_cast<u128>(a1) * b1;
  // middle = (p00 >> 64) + low64(p01) + low64(p10): fits in 66 bits, carry goes to hi.
  const u128 middle = (p00 >> 64) + static_cast<std::uint64_t>(p01) + static_cast<std::uint64_t>(p10);
  U256 r;
  r.lo = (middle << 64) | static_cast<std::uint64_t>(p00);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
  return r;
}

void runaway_loop() {
  std::fputs("cairn: the random source produced an impossible run of successes; refusing to sample\n",
             stderr);
  std::abort();
}

bool bernoulli_exp_minus_one(RandomSource& rng) {
  // Algorithm 1 with gamma = 1: A_k ~ Bernoulli(1/k).
  std::uint64_t k = 1;
  for (;;) {
    if (!bernoulli<std::uint64_t>(rng, 1, k)) break;
    if (++k > kRunawayRounds) runaway_loop();
  }
  return (k & 1) == 1;
}

}  // namespace detail

bool bernoulli_exp(RandomSource& rng, const Rational& gamma) {
  if (gamma.den == 0) std::abort();
  return detail::bernoulli_exp<detail::u128>(rng, gamma.num, gamma.den);
}

bool bernoulli(RandomSource& rng, const Rational& p) {
  if (p.den == 0) std::abort();
  return detail::bernoulli<detail::u128>(rng, p.num, p.den);
}

}  // namespace cairn::dp

// Private building blocks of the exact samplers: a lazy Bernoulli(num/den) that compares a uniform
// random binary fraction with num/den one bit at a time (2 random bits on average, whatever the
// size of num and den), a minimal unsigned 256-bit integer for the discrete Gaussian's acceptance
// exponent, and Bernoulli(exp(-gamma)) for rational gamma (Canonne, Kamath, Steinke 2020,
// Algorithm 1). No floating point anywhere.
#pragma once

#include <cstdint>
#include <cstdlib>

#include "cairn/dp/random.hpp"

namespace cairn::dp::detail {

using u128 = unsigned __int128;

// Unsigned 256-bit integer: only what the lazy comparison needs (shift, compare, subtract).
struct U256 {
  u128 hi = 0;
  u128 lo = 0;

  static U256 of(u128 v) { return U256{0, v}; }
  static U256 mul(u128 a, u128 b);  // full 256-bit product
  bool is_zero() const { return hi == 0 && lo == 0; }
  void shl1() {
    hi = (hi << 1) | (lo >> 127);
    lo <<= 1;
  }
  friend bool operator>=(const U256& a, const U256& b) { return a.hi != b.hi ? a.hi > b.hi : a.lo >= b.lo; }
  U256& operator-=(const U256& b) {
    const u128 borrow = lo < b.lo ? 1 : 0;
    lo -= b.lo;
    hi -= b.hi + borrow;
    return *this;
  }
};

// floor(sqrt(v)), digit by digit.
inline std::uint64_t isqrt(std::uint64_t v) {
  std::uint64_t r = 0;
  for (int shift = 62; shift >= 0; shift -= 2) {
    r <<= 1;
    const std::uint64_t cand = r | 1;
    if ((v >> shift) >= cand * cand) r = cand;
  }
  return r;
}

inline bool is_zero(std::uint64_t v) { return v == 0; }
inline bool is_zero(u128 v) { return v == 0; }
inline bool is_zero(const U256& v) { return v.is_zero(); }
inline void shl1(std::uint64_t& v) { v <<= 1; }
inline void shl1(u128& v) { v <<= 1; }
inline void shl1(U256& v) { v.shl1(); }

// Bernoulli(num/den), exactly. REQUIRES den > 0 and den < 2^(bits-1) so that doubling the running
// remainder (always < den) cannot overflow. Each round computes the next binary digit of num/den
// by long division and compares it with one random bit of U ~ Uniform[0,1): the first
// disagreement decides whether U < num/den. Stops after 2 rounds on average.
template <class U>
bool bernoulli(RandomSource& rng, U num, const U& den) {
  if (num >= den) return true;
  if (is_zero(num)) return false;
  for (;;) {
    shl1(num);
    const bool digit = num >= den;
    if (digit) num -= den;
    if (rng.next_bit() != digit) return digit;
    if (is_zero(num)) return false;  // num/den's expansion ended; U >= num/den (U == it has prob. 0)
  }
}

// Loops that only continue on random successes abort past this many rounds: an honest source
// gets there with probability below 2^-(10^11); reaching it means the generator is broken.
inline constexpr std::uint64_t kRunawayRounds = std::uint64_t{1} << 40;
[[noreturn]] void runaway_loop();

// Bernoulli(exp(-1)).
bool bernoulli_exp_minus_one(RandomSource& rng);

// Bernoulli(exp(-num/den)) for any num >= 0, den > 0 (den < 2^(bits-1)). exp(-g) for g > 1 is the
// product of floor(g) factors exp(-1) and one exp(-(g - floor g)); the loop stops at the first
// failing factor, so it runs about 1.6 rounds on average however large g is.
template <class U>
bool bernoulli_exp(RandomSource& rng, U num, const U& den) {
  while (num >= den) {
    num -= den;
    if (!bernoulli_exp_minus_one(rng)) return false;
  }
  // CKS 2020 Algorithm 1 for gamma = num/den in [0, 1): K = first k with A_k = 0, where
  // A_k ~ Bernoulli(gamma / k); return [K odd]. Bernoulli(gamma/k) = Bernoulli(gamma) AND
  // Bernoulli(1/k) with independent draws, which keeps every comparison within den's width.
  std::uint64_t k = 1;
  for (;;) {
    if (!bernoulli(rng, num, den) || !bernoulli<std::uint64_t>(rng, 1, k)) break;
    if (++k > kRunawayRounds) runaway_loop();
  }
  return (k & 1) == 1;
}

}  // namespace cairn::dp::detail

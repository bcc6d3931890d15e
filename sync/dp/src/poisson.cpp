// Exact Poisson(lambda) and Skellam sampling for rational lambda (docs/privacy.md, "Poisson").
//
// Let m = floor(lambda) (a mode) and w(n) = P(n)/P(m). Every factor of w is a rational <= 1:
//   n > m:  w(n) = prod_{j=m+1..n} lambda/j        n < m:  w(n) = prod_{j=n+1..m} j/lambda
// Envelope h >= w: h = 1 on [max(0,m-W), m+W]; h(m+W+k) = r^k with r = lambda/(m+W+1); and
// h(m-W-k) = s^k with s = (m-W)/lambda. Propose n with probability h(n)/T, accept with
// probability w(n)/h(n), which is again a product of rationals <= 1, each drawn as an independent
// exact Bernoulli; the output is then exactly Poisson(lambda). With W ~ sqrt(lambda) about 63 % of
// proposals are accepted and each costs O(sqrt(lambda)) two-bit comparisons.
#include <bit>

#include "cairn/dp/samplers.hpp"
#include "exact.hpp"

namespace cairn::dp {

using detail::bernoulli;
using detail::isqrt;
using detail::u128;

namespace {

// Bernoulli(num/den) in the narrowest width that holds den (the 64-bit path is ~2x faster).
inline bool bern(RandomSource& rng, u128 num, u128 den) {
  if (den < (u128{1} << 63)) {
    return bernoulli<std::uint64_t>(rng, static_cast<std::uint64_t>(num), static_cast<std::uint64_t>(den));
  }
  return bernoulli<u128>(rng, num, den);
}

}  // namespace

Result<PoissonSampler> PoissonSampler::create(const Rational& lambda_in) {
  auto lambda = CAIRN_TRY(Rational::make(lambda_in.num, lambda_in.den));
  if (lambda.den > kMaxPoissonDenominator) {
    return make_error(Errc::usage, "Poisson mean " + lambda.to_string() +
                                       ": denominator above 2^24; round the parameter (e.g. to 3 decimals)");
  }
  if (lambda.num / lambda.den > kMaxPoissonMean ||
      (lambda.num / lambda.den == kMaxPoissonMean && lambda.num % lambda.den != 0)) {
    return make_error(Errc::usage, "Poisson mean above 2^40 is not supported; encode the metric more coarsely");
  }
  PoissonSampler s;
  s.lambda_ = lambda;
  s.p_ = lambda.num;
  s.q_ = lambda.den;
  if (s.p_ == 0) return s;
  s.mode_ = s.p_ / s.q_;
  s.width_ = isqrt(s.mode_) + 1;
  s.lo_ = s.mode_ >= s.width_ ? s.mode_ - s.width_ : 0;
  s.center_ = s.mode_ + s.width_ - s.lo_ + 1;
  // Right tail mass sum_{k>=1} r^k = r/(1-r) = p / (q(m+W+1) - p).
  s.right_den_ = static_cast<u128>(s.q_) * (s.mode_ + s.width_ + 1) - s.p_;
  s.right_ceil_ = static_cast<std::uint64_t>((s.p_ + s.right_den_ - 1) / s.right_den_);
  // Left tail (only when m - W >= 1): mass s/(1-s) = q(m-W) / (p - q(m-W)).
  s.has_left_ = s.mode_ > s.width_;
  if (s.has_left_) {
    const u128 a = static_cast<u128>(s.q_) * (s.mode_ - s.width_);
    s.left_den_ = s.p_ - a;
    s.left_ceil_ = static_cast<std::uint64_t>((a + s.left_den_ - 1) / s.left_den_);
  }
  return s;
}

bool PoissonSampler::accept_center(RandomSource& rng, std::uint64_t n) const {
  // Factors are drawn smallest first so that a rejection is found early.
  if (n > mode_) {
    for (std::uint64_t j = n; j > mode_; --j) {
      if (!bern(rng, p_, static_cast<u128>(q_) * j)) return false;
    }
  } else {
    for (std::uint64_t j = n + 1; j <= mode_; ++j) {
      if (!bern(rng, static_cast<u128>(q_) * j, p_)) return false;
    }
  }
  return true;
}

std::uint64_t PoissonSampler::operator()(RandomSource& rng) const {
  if (p_ == 0) return 0;
  const std::uint64_t total = center_ + right_ceil_ + left_ceil_;
  const std::uint64_t edge = mode_ + width_;  // last point of the flat part
  for (;;) {
    std::uint64_t u = rng.uniform_below(total);
    if (u < center_) {
      const std::uint64_t n = lo_ + u;
      if (accept_center(rng, n)) return n;
      continue;
    }
    u -= center_;
    if (u < right_ceil_) {
      // The region was picked with weight right_ceil_; keep it with probability R/right_ceil_.
      if (!bern(rng, p_, right_den_ * right_ceil_)) continue;
      const u128 r_den = static_cast<u128>(q_) * (edge + 1);  // r = p / r_den
      std::uint64_t k = 1;
      while (bern(rng, p_, r_den)) {
        if (++k > detail::kRunawayRounds) detail::runaway_loop();
      }
      const std::uint64_t n = edge + k;
      // w(n)/h(n) = prod_{j=m+1..m+W} lambda/j * prod_{j=m+W+1..n} (m+W+1)/j
      bool ok = true;
      for (std::uint64_t j = n; ok && j > edge + 1; --j) ok = bern(rng, edge + 1, j);
      for (std::uint64_t j = edge; ok && j > mode_; --j) ok = bern(rng, p_, static_cast<u128>(q_) * j);
      if (ok) return n;
      continue;
    }
    // Left tail.
    const std::uint64_t base = mode_ - width_;  // >= 1 here
    const u128 a = static_cast<u128>(q_) * base;  // s = a / p
    if (!bern(rng, a, left_den_ * left_ceil_)) continue;
    std::uint64_t k = 1;
    bool below_zero = false;
    while (bern(rng, a, p_)) {
      if (++k > base) {
        below_zero = true;  // n < 0 has w = 0: reject
        break;
      }
    }
    if (below_zero) continue;
    const std::uint64_t n = base - k;
    // w(n)/h(n) = prod_{j=n+1..m-W} j/(m-W) * prod_{j=m-W+1..m} j/lambda
    bool ok = true;
    for (std::uint64_t j = n + 1; ok && j < base; ++j) ok = bern(rng, j, base);
    for (std::uint64_t j = base + 1; ok && j <= mode_; ++j) ok = bern(rng, static_cast<u128>(q_) * j, p_);
    if (ok) return n;
  }
}

Result<SkellamSampler> SkellamSampler::create(const Rational& mu) {
  auto half = divide(mu, 2);
  if (!half.ok()) return make_error(Errc::usage, "Skellam variance " + mu.to_string() + " is out of range");
  auto poisson = PoissonSampler::create(*half);
  if (!poisson.ok()) {
    return make_error(Errc::usage, "Skellam variance " + mu.to_string() + ": " + poisson.error().message);
  }
  auto reduced = CAIRN_TRY(Rational::make(mu.num, mu.den));
  return SkellamSampler(reduced, *poisson);
}

std::int64_t SkellamSampler::operator()(RandomSource& rng) const {
  const std::uint64_t a = half_(rng);
  const std::uint64_t b = half_(rng);
  return static_cast<std::int64_t>(a) - static_cast<std::int64_t>(b);  // both < 2^42 in practice
}

}  // namespace cairn::dp

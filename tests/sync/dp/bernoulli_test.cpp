// Exact Bernoulli(p) and Bernoulli(exp(-gamma)) (CKS 2020 Algorithm 1): frequencies over 10^6
// trials within |z| <= 5.5 of the exact probability (std::exp in long double).
#include <doctest/doctest.h>

#include <cmath>

#include "cairn/dp/samplers.hpp"

using namespace cairn::dp;

namespace {
double z_score(std::uint64_t hits, std::uint64_t n, long double p) {
  return static_cast<double>((hits - n * p) / std::sqrt(n * p * (1 - p)));
}
}  // namespace

TEST_CASE("Bernoulli(num/den) frequencies") {
  DeterministicRandom rng(41);
  const std::uint64_t n = 1'000'000;
  for (const Rational& p : {Rational{1, 3}, Rational{2, 7}, Rational{999, 1000}, Rational{(1ULL << 62) - 1, 1ULL << 62}}) {
    CAPTURE(p.to_string());
    std::uint64_t hits = 0;
    for (std::uint64_t i = 0; i < n; ++i) hits += bernoulli(rng, p);
    if (p.num + 1 == p.den && p.den > 1000) {
      CHECK(hits >= n - 2);  // 1 - 2^-62: a failure is essentially impossible
    } else {
      CHECK(std::fabs(z_score(hits, n, p.to_long_double())) < 5.5);
    }
  }
  for (int i = 0; i < 1000; ++i) {
    CHECK_FALSE(bernoulli(rng, Rational{0, 5}));
    CHECK(bernoulli(rng, Rational{5, 5}));
  }
}

TEST_CASE("Bernoulli(exp(-gamma)) frequencies") {
  DeterministicRandom rng(42);
  const std::uint64_t n = 1'000'000;
  for (const Rational& g : {Rational{1, 3}, Rational{1, 1}, Rational{5, 2}, Rational{7, 1}, Rational{123, 100}}) {
    CAPTURE(g.to_string());
    std::uint64_t hits = 0;
    for (std::uint64_t i = 0; i < n; ++i) hits += bernoulli_exp(rng, g);
    CHECK(std::fabs(z_score(hits, n, std::exp(-g.to_long_double()))) < 5.5);
  }
  for (int i = 0; i < 1000; ++i) CHECK(bernoulli_exp(rng, Rational{0, 1}));
  // A huge gamma returns 0 quickly (the loop stops at the first failing exp(-1) factor).
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(bernoulli_exp(rng, Rational{1ULL << 62, 1}));
}

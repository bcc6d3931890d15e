// Statistical tests of the exact Poisson sampler (the Skellam building block) for small,
// fractional and large means, including each envelope region (flat part, both geometric tails).
#include <doctest/doctest.h>

#include "cairn/dp/samplers.hpp"
#include "stats.hpp"

using namespace cairn::dp;
using namespace cairn::dp::test;

TEST_CASE("Poisson sampler matches the exact distribution") {
  struct Param {
    Rational lambda;
    std::uint64_t n;
  };
  // 1/3 (mode 0, no left tail), 7/2, 10 (integer: two modes), 1000 (both tails in use), 123457/7.
  for (const Param& p : {Param{{1, 3}, 1'000'000}, Param{{7, 2}, 1'000'000}, Param{{10, 1}, 500'000},
                         Param{{1000, 1}, 1'000'000}, Param{{123457, 7}, 300'000}}) {
    CAPTURE(p.lambda.to_string());
    auto s = PoissonSampler::create(p.lambda);
    REQUIRE(s.ok());
    DeterministicRandom rng(p.lambda.num + p.lambda.den);
    const Battery b = run_battery(poisson_pmf(p.lambda.to_long_double()), p.n,
                                  [&] { return static_cast<std::int64_t>((*s)(rng)); });
    INFO(b.describe());
    CHECK(b.chi2_ok());
    CHECK(b.ks_ok());
    CHECK(b.mean_ok());
    CHECK(b.var_ok());
  }
}

TEST_CASE("Poisson(0) is always 0 and tiny means are mostly 0") {
  DeterministicRandom rng(5);
  auto zero = PoissonSampler::create(Rational{0, 1});
  REQUIRE(zero.ok());
  for (int i = 0; i < 1000; ++i) CHECK((*zero)(rng) == 0);
  auto tiny = PoissonSampler::create(Rational{1, 1000000});
  REQUIRE(tiny.ok());
  int nonzero = 0;
  for (int i = 0; i < 100000; ++i) nonzero += (*tiny)(rng) != 0;
  // Expected 0.1; P(>= 8) < 1e-9.
  CHECK(nonzero < 8);
}

// Statistical tests of the exact Skellam sampler against its exact pmf (stats.hpp for the checks
// and their thresholds), the rejection of a deliberately wrong sampler, and the distributed-noise
// property: k devices adding Sk(mu/k) each give Sk(mu).
#include <doctest/doctest.h>

#include "cairn/dp/samplers.hpp"
#include "stats.hpp"

using namespace cairn::dp;
using namespace cairn::dp::test;

namespace {

constexpr std::uint64_t kN = 1'000'000;

Battery skellam_battery(const Rational& mu, std::uint64_t seed, const Pmf& against) {
  auto s = SkellamSampler::create(mu);
  REQUIRE(s.ok());
  DeterministicRandom rng(seed);
  return run_battery(against, kN, [&] { return (*s)(rng); });
}

void require_honest_pass(const Battery& b) {
  INFO(b.describe());
  CHECK(b.chi2_ok());
  CHECK(b.ks_ok());
  CHECK(b.mean_ok());
  CHECK(b.var_ok());
}

}  // namespace

TEST_CASE("Skellam sampler matches the exact distribution (10^6 samples each)") {
  struct Param {
    Rational mu;
    std::uint64_t seed;
  };
  for (const Param& p : {Param{{1, 1}, 11}, Param{{5, 2}, 12}, Param{{100, 1}, 13}, Param{{2000, 1}, 14}}) {
    CAPTURE(p.mu.to_string());
    require_honest_pass(skellam_battery(p.mu, p.seed, skellam_pmf(p.mu.to_long_double())));
  }
}

TEST_CASE("a Skellam sampler whose variance is 5% too large is rejected") {
  // The wrong sampler draws Sk(1.05 mu); the tests compare it with Sk(mu). Mean is still 0, so only
  // the shape checks can and must catch it.
  for (std::uint64_t mu : {1, 100}) {
    CAPTURE(mu);
    const Battery b = skellam_battery(Rational{mu * 21, 20}, 21 + mu, skellam_pmf(mu));
    INFO(b.describe());
    CHECK_FALSE(b.chi2_ok());
    CHECK_FALSE(b.ks_ok());
    CHECK_FALSE(b.var_ok());
    CHECK(b.mean_ok());
  }
}

TEST_CASE("the sum of k devices' Sk(mu/k) shares is Sk(mu)") {
  // mu = 100, k = 7: each device adds Sk(100/7), a non-integer rational share.
  const std::uint32_t k = 7;
  auto share = SkellamSampler::create(Rational{100, 7});
  REQUIRE(share.ok());
  DeterministicRandom rng(31);
  const Battery b = run_battery(skellam_pmf(100), kN, [&] {
    std::int64_t sum = 0;
    for (std::uint32_t i = 0; i < k; ++i) sum += (*share)(rng);
    return sum;
  });
  require_honest_pass(b);
}

TEST_CASE("Skellam sampler with the production source (libsodium)") {
  auto s = SkellamSampler::create(Rational{30, 1});
  REQUIRE(s.ok());
  SodiumRandom rng;
  require_honest_pass(run_battery(skellam_pmf(30), kN, [&] { return (*s)(rng); }));
}

TEST_CASE("Skellam parameters: zero, limits and errors") {
  DeterministicRandom rng(1);
  auto zero = SkellamSampler::create(Rational{0, 1});
  REQUIRE(zero.ok());
  for (int i = 0; i < 100; ++i) CHECK((*zero)(rng) == 0);
  CHECK(SkellamSampler::create(Rational{std::uint64_t{1} << 41, 1}).ok());
  auto too_big = SkellamSampler::create(Rational{std::uint64_t{1} << 42, 1});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().code == cairn::Errc::usage);
  auto fine_den = SkellamSampler::create(Rational{1, std::uint64_t{1} << 30});
  REQUIRE_FALSE(fine_den.ok());
  CHECK(fine_den.error().message.find("denominator") != std::string::npos);
  // The largest mean samples without overflow (one draw takes ~50 ms: O(sqrt(mu)) comparisons).
  auto largest = SkellamSampler::create(Rational{std::uint64_t{1} << 41, 1});
  REQUIRE(largest.ok());
  const std::int64_t x = (*largest)(rng);
  CHECK(x > -(std::int64_t{1} << 30));  // 2^30 is ~700 standard deviations
  CHECK(x < (std::int64_t{1} << 30));
  // A large mean has the right spread: 50 draws of Sk(2^36); the mean square over 50 is
  // mu * chi^2_50 / 50 to within the Gaussian approximation, and P(chi^2_50 outside [15, 125]) < 1e-7.
  auto big = SkellamSampler::create(Rational{std::uint64_t{1} << 36, 1});
  REQUIRE(big.ok());
  long double sumsq = 0;
  for (int i = 0; i < 50; ++i) {
    const auto v = static_cast<long double>((*big)(rng));
    sumsq += v * v;
  }
  CHECK(sumsq / 50 > 0.3L * 68719476736.0L);
  CHECK(sumsq / 50 < 2.5L * 68719476736.0L);
}

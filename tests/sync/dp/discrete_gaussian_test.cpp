// Statistical tests of the discrete Gaussian (CKS 2020 Algorithm 3) and of the discrete Laplace
// it is built on (Algorithm 2), against their exact pmfs (stats.hpp for checks and thresholds),
// and of the sum of the two aggregators' layers that a release carries.
#include <doctest/doctest.h>

#include "cairn/dp/samplers.hpp"
#include "stats.hpp"

using namespace cairn::dp;
using namespace cairn::dp::test;

namespace {
constexpr std::uint64_t kN = 1'000'000;

// The pmf of X + Y for independent X ~ a, Y ~ b.
Pmf convolve(const Pmf& a, const Pmf& b) {
  Pmf out{a.lo + b.lo, std::vector<long double>(a.p.size() + b.p.size() - 1, 0.0L)};
  for (std::size_t i = 0; i < a.p.size(); ++i)
    for (std::size_t j = 0; j < b.p.size(); ++j) out.p[i + j] += a.p[i] * b.p[j];
  return out;
}
}  // namespace

TEST_CASE("discrete Gaussian matches N_Z(0, sigma^2) (10^6 samples each)") {
  // sigma^2 = 1, 25/4 (sigma = 2.5, the CLI's example), 1000 (t = 32), 3/7 (sigma < 1, t = 1).
  for (const Rational& s2 : {Rational{1, 1}, Rational{25, 4}, Rational{1000, 1}, Rational{3, 7}}) {
    CAPTURE(s2.to_string());
    auto s = DiscreteGaussianSampler::create(s2);
    REQUIRE(s.ok());
    DeterministicRandom rng(100 + s2.num);
    const Battery b = run_battery(discrete_gaussian_pmf(s2.to_long_double()), kN, [&] { return (*s)(rng); });
    INFO(b.describe());
    CHECK(b.chi2_ok());
    CHECK(b.ks_ok());
    CHECK(b.mean_ok());
    CHECK(b.var_ok());
  }
}

TEST_CASE("a discrete Gaussian whose variance is 5% too large is rejected") {
  for (std::uint64_t s2 : {1, 100}) {
    CAPTURE(s2);
    auto wrong = DiscreteGaussianSampler::create(Rational{s2 * 21, 20});
    REQUIRE(wrong.ok());
    DeterministicRandom rng(200 + s2);
    const Battery b = run_battery(discrete_gaussian_pmf(s2), kN, [&] { return (*wrong)(rng); });
    INFO(b.describe());
    CHECK_FALSE(b.chi2_ok());
    CHECK_FALSE(b.ks_ok());
    CHECK_FALSE(b.var_ok());
    CHECK(b.mean_ok());
  }
}

TEST_CASE("the released sum carries both aggregators' layers: N_Z(0, s2) + N_Z(0, s2), variance 2 s2") {
  // Each aggregator draws its own layer with its own source; the organisation sees their sum (the
  // sum of two discrete Gaussians is not itself one, so compare with the exact convolution).
  const Rational s2{1000, 1};
  auto layer = DiscreteGaussianSampler::create(s2);
  REQUIRE(layer.ok());
  DeterministicRandom leader(301), helper(302);
  const Pmf one = discrete_gaussian_pmf(1000);
  const Pmf both = convolve(one, one);
  CHECK(static_cast<double>(both.moment(2)) == doctest::Approx(2 * static_cast<double>(one.moment(2))).epsilon(1e-12));
  const Battery b = run_battery(both, kN, [&] { return (*layer)(leader) + (*layer)(helper); });
  INFO(b.describe());
  CHECK(b.chi2_ok());
  CHECK(b.ks_ok());
  CHECK(b.mean_ok());
  CHECK(b.var_ok());
}

TEST_CASE("discrete Gaussian with the production source (libsodium)") {
  auto s = DiscreteGaussianSampler::create(Rational{10, 1});
  REQUIRE(s.ok());
  SodiumRandom rng;
  const Battery b = run_battery(discrete_gaussian_pmf(10), kN, [&] { return (*s)(rng); });
  INFO(b.describe());
  CHECK(b.chi2_ok());
  CHECK(b.ks_ok());
  CHECK(b.mean_ok());
  CHECK(b.var_ok());
}

TEST_CASE("discrete Laplace matches exp(-|x|/t)") {
  for (std::uint64_t t : {1, 7}) {
    CAPTURE(t);
    DeterministicRandom rng(300 + t);
    const Battery b = run_battery(discrete_laplace_pmf(t), 500'000, [&] { return discrete_laplace(rng, t); });
    INFO(b.describe());
    CHECK(b.chi2_ok());
    CHECK(b.ks_ok());
    CHECK(b.mean_ok());
    CHECK(b.var_ok());
  }
}

TEST_CASE("discrete Gaussian parameter limits") {
  CHECK_FALSE(DiscreteGaussianSampler::create(Rational{0, 1}).ok());
  CHECK_FALSE(DiscreteGaussianSampler::create(Rational{std::uint64_t{1} << 41, 1}).ok());
  CHECK_FALSE(DiscreteGaussianSampler::create(Rational{1, std::uint64_t{1} << 21}).ok());
  auto big = DiscreteGaussianSampler::create(Rational{(std::uint64_t{1} << 40) - 1, 1});
  REQUIRE(big.ok());
  DeterministicRandom rng(9);
  long double sumsq = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto x = static_cast<long double>((*big)(rng));
    sumsq += x * x;
  }
  // Relative sd of the mean square over 2000 draws is sqrt(2/2000) = 0.03: 0.8..1.2 is > 6 sd.
  CHECK(sumsq / 2000 > 0.8L * 1099511627775.0L);
  CHECK(sumsq / 2000 < 1.2L * 1099511627775.0L);
}

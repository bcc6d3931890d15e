// Accounting against values computed independently in python3 (the one-liner beside each number
// reproduces it; `g` is the order grid of rdp_orders()).
#include <doctest/doctest.h>

#include <cmath>

#include "cairn/dp/accounting.hpp"

using namespace cairn::dp;

// Shared by the python lines below:
// g=list(range(2,65))+list(range(68,257,4))+list(range(264,1025,8))+list(range(1088,8193,64))
// def sk(a,mu,l1,l2): return a*l2/(2*mu)+min(((2*a-1)*l2+6*l1)/(4*mu*mu),3*l1/(2*mu))
// def eps(c,d): return max(0,min(r+(math.log(1/d)+(a-1)*math.log(1-1/a)-math.log(a))/(a-1) for r,a in zip(c,g)))

TEST_CASE("the order grid") {
  const auto g = rdp_orders();
  CHECK(g.size() == 319);  // python3 -c "print(len(list(range(2,65))+list(range(68,257,4))+list(range(264,1025,8))+list(range(1088,8193,64))))"
  CHECK(g.front() == 2);
  CHECK(g.back() == 8192);
}

TEST_CASE("Skellam RDP bound of Agarwal, Kairouz, Liu 2021 (ledger entries charged by version one)") {
  // python3 -c "a,mu,l1,l2=10,1000.0,30.0,900.0; print(repr(a*l2/(2*mu)+min(((2*a-1)*l2+6*l1)/(4*mu*mu),3*l1/(2*mu))))"
  CHECK(skellam_rdp(10, 1000, 30, 900) == doctest::Approx(4.50432).epsilon(1e-14));
  // Small mu: the min picks the second branch. (..., a,mu,l1,l2=2,5.0,3.0,9.0) -> 2.25
  CHECK(skellam_rdp(2, 5, 3, 9) == doctest::Approx(2.25).epsilon(1e-14));
  CHECK(skellam_rdp(5, 10, 0, 0) == 0);
  CHECK(std::isinf(skellam_rdp(5, 0, 1, 1)));
}

TEST_CASE("discrete Gaussian zCDP") {
  CHECK(gaussian_rho(50, 100) == doctest::Approx(1.0));  // rho = D2^2/(2 sigma^2)
  CHECK(gaussian_rdp(7, 50, 100) == doctest::Approx(7.0));
}

TEST_CASE("conversion to (epsilon, delta)") {
  // python3 -c "import math; <g>; rho,d=0.05,1e-6; print(repr(min(a*rho+(math.log(1/d)+(a-1)*math.log(1-1/a)-math.log(a))/(a-1) for a in g)))"
  //   -> 1.4716562679107283 (CKS 2020 Prop. 12)
  CHECK(epsilon_for_delta(zcdp_curve(0.05), 1e-6) == doctest::Approx(1.4716562679107283).epsilon(1e-12));
  //   classic: min(a*rho+math.log(1/d)/(a-1)) -> 1.7126770916449572
  CHECK(epsilon_for_delta_classic(zcdp_curve(0.05), 1e-6) == doctest::Approx(1.7126770916449572).epsilon(1e-12));
  // Bun-Steinke closed form: rho+2*sqrt(rho*log(1/d)) -> 1.71225813626911 (the grid optimum is
  // within 1e-3 of it: the classic conversion over continuous alpha gives exactly this).
  CHECK(zcdp_epsilon_bound(0.05, 1e-6) == doctest::Approx(1.71225813626911).epsilon(1e-12));
  CHECK(epsilon_for_delta_classic(zcdp_curve(0.05), 1e-6) - zcdp_epsilon_bound(0.05, 1e-6) < 1e-3);
  CHECK(epsilon_for_delta(zero_curve(), 1e-6) == 0);
}

TEST_CASE("composition adds per order") {
  const NoiseTerm t{Mechanism::skellam, Rational{10000, 1}, 100, 10000};
  // python3 -c "import math; <g>; <sk>; <eps>; print(repr(eps([sk(a,1e4,100,1e4) for a in g],1e-6)))"  -> 5.222705160953289
  CHECK(epsilon_for_delta(rdp_curve(t), 1e-6) == doctest::Approx(5.222705160953289).epsilon(1e-12));
  // ... eps([52*sk(a,1e4,100,1e4) for a in g],1e-6)  -> 64.43319419684438
  CHECK(epsilon_for_delta(repeat(rdp_curve(t), 52), 1e-6) == doctest::Approx(64.43319419684438).epsilon(1e-12));
  RdpCurve sum = zero_curve();
  for (int i = 0; i < 52; ++i) sum = compose(sum, rdp_curve(ReleaseCost{t}));
  CHECK(epsilon_for_delta(sum, 1e-6) == doctest::Approx(64.43319419684438).epsilon(1e-12));
  // Two terms in one release equal composing them.
  const NoiseTerm g{Mechanism::discrete_gaussian, Rational{5000, 1}, 0, 100};
  const RdpCurve both = rdp_curve(ReleaseCost{t, g});
  const RdpCurve composed = compose(rdp_curve(t), rdp_curve(g));
  for (std::size_t i = 0; i < both.rdp.size(); ++i) CHECK(both.rdp[i] == doctest::Approx(composed.rdp[i]));
}

TEST_CASE("inverse: the discrete Gaussian variance for a target epsilon") {
  // python3: bisection on s2 of eps([a*1e4/(2*s2)*12 for a in g],1e-5) <= 2.0  -> 554534.1020882151
  auto s2 = gaussian_sigma2_for_epsilon(2.0, 1e-5, 1e4, 12);
  REQUIRE(s2.ok());
  CHECK(*s2 == doctest::Approx(554534.1020882151).epsilon(1e-9));
  CHECK_FALSE(gaussian_sigma2_for_epsilon(0, 1e-6, 1).ok());
  CHECK_FALSE(gaussian_sigma2_for_epsilon(1, 0, 1).ok());
  CHECK_FALSE(gaussian_sigma2_for_epsilon(1, 1e-6, 1, 0).ok());
  CHECK(gaussian_sigma2_for_epsilon(1, 1e-6, 0).value() == 0);
}

TEST_CASE("Skellam costs approach the Gaussian's as mu grows") {
  // The extra term is O(D1/mu): at mu = 10^8, D = 100 the two agree to 1e-5 relative.
  for (double alpha : {2.0, 50.0}) {
    CHECK(skellam_rdp(alpha, 1e8, 100, 1e4) == doctest::Approx(gaussian_rdp(alpha, 1e8, 1e4)).epsilon(1e-5));
    CHECK(skellam_rdp(alpha, 1e8, 100, 1e4) >= gaussian_rdp(alpha, 1e8, 1e4));
  }
}

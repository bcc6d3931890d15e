// Checks of the test-only statistics themselves (stats.hpp) against closed forms and python.
#include <doctest/doctest.h>

#include <cmath>

#include "stats.hpp"

using namespace cairn::dp::test;

TEST_CASE("chi-square survival matches closed forms for 1 and 2 and 10 degrees of freedom") {
  for (long double x : {0.5L, 3.0L, 10.0L, 29.0L, 60.0L}) {
    CHECK(chi2_sf(x, 1) == doctest::Approx(static_cast<double>(std::erfc(std::sqrt(x / 2)))).epsilon(1e-9));
    CHECK(chi2_sf(x, 2) == doctest::Approx(static_cast<double>(std::exp(-x / 2))).epsilon(1e-9));
    // df = 10: Q(5, x/2) = e^{-x/2} sum_{i<5} (x/2)^i / i!
    long double s = 0, term = 1;
    for (int i = 0; i < 5; ++i) {
      s += term;
      term *= (x / 2) / (i + 1);
    }
    CHECK(chi2_sf(x, 10) == doctest::Approx(static_cast<double>(std::exp(-x / 2) * s)).epsilon(1e-9));
  }
}

TEST_CASE("chi-square critical values at 1e-7") {
  // df = 2: the quantile is exactly -2 ln(1e-7).
  // python3 -c "import math; print(-2*math.log(1e-7))"  -> 32.23619130191664
  CHECK(static_cast<double>(chi2_critical(2)) == doctest::Approx(32.23619130191664).epsilon(1e-9));
  // df = 1: erfc(sqrt(x/2)) = 1e-7, i.e. x = z^2 with z the two-sided 1e-7 normal quantile (5.3267).
  CHECK(static_cast<double>(std::sqrt(chi2_critical(1))) == doctest::Approx(5.326723886).epsilon(1e-6));
  // Large df sits a few standard deviations (sqrt(2 df)) above the mean.
  const long double c = chi2_critical(400);
  CHECK(c > 400 + 4.5 * std::sqrt(800.0L));
  CHECK(c < 400 + 6.5 * std::sqrt(800.0L));
}

TEST_CASE("KS critical value (DKW-Massart) at n = 10^6") {
  // python3 -c "import math; print(math.sqrt(math.log(2/1e-7)/(2*1e6)))"  -> 0.0028995...
  CHECK(static_cast<double>(ks_critical(1000000)) == doctest::Approx(0.002899458).epsilon(1e-6));
}

TEST_CASE("Skellam pmf by Miller's recurrence matches the Bessel series") {
  // python3 -c "import math; print(repr(math.exp(-1)*sum((0.5)**(2*j)/math.factorial(j)**2 for j in range(40))))"
  CHECK(static_cast<double>(skellam_pmf(1).at(0)) == doctest::Approx(0.4657596075936404).epsilon(1e-12));
  // python3 -c "import math; print(repr(math.exp(-1)*sum((0.5)**(2*j+3)/(math.factorial(j)*math.factorial(j+3)) for j in range(40))))"
  CHECK(static_cast<double>(skellam_pmf(1).at(-3)) == doctest::Approx(0.008155307772814292).epsilon(1e-12));
  // python3 -c "import math; print(repr(math.exp(-2.5)*sum((1.25)**(2*j+1)/(math.factorial(j)*math.factorial(j+1)) for j in range(60))))"
  CHECK(static_cast<double>(skellam_pmf(2.5L).at(1)) == doctest::Approx(0.20658464953126648).epsilon(1e-12));
  // Variance mu and the convolution of two Poisson(mu/2) pmfs, at a larger mu.
  const Pmf sk = skellam_pmf(300);
  CHECK(static_cast<double>(sk.moment(2)) == doctest::Approx(300).epsilon(1e-12));
  const Pmf po = poisson_pmf(150);
  for (std::int64_t k : {0, 7, -30}) {
    long double conv = 0;
    for (std::int64_t j = 0; j < static_cast<std::int64_t>(po.p.size()); ++j) conv += po.at(j) * po.at(j + k);
    CHECK(static_cast<double>(sk.at(k)) == doctest::Approx(static_cast<double>(conv)).epsilon(1e-12));
  }
}

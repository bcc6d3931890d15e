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

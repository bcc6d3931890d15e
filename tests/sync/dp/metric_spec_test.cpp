// MetricSpec: clipping and encoding, the sensitivities calibration charges, and validation with
// one-line reasons. (The calibration itself: aggregator_noise_test.cpp.)
#include <doctest/doctest.h>

#include <cmath>

#include "cairn/dp/metric_spec.hpp"
#include "fixtures.hpp"

using namespace cairn::dp;
using cairn::dp::test::metric;

TEST_CASE("MetricSpec encoding and sensitivity") {
  const MetricSpec m = metric("focus_hours", 10, 0, 40);
  CHECK(m.encoded_range() == 400);
  CHECK(m.encode(12.34) == 123);
  CHECK(m.encode(-5) == 0);
  CHECK(m.encode(99) == 400);
  CHECK(m.encode(std::nan("")) == 0);
  const MetricSpec k = metric("contributions_by_kind", 1, 0, 10, 4);
  CHECK(k.l1() == 40);
  CHECK(k.l2_squared() == 400);
  CHECK(validate(m).ok());
  CHECK_FALSE(validate(metric("x", 0, 0, 1)).ok());
  CHECK_FALSE(validate(metric("x", 1, 1, 1)).ok());
  CHECK_FALSE(validate(metric("x", 1000000, 0, 10)).ok());  // 10^7 units: above 2^20
  auto bad = validate(metric("bad_metric", 1, 5, 1));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("bad_metric") != std::string::npos);
}

// Private: the bisection shared by the accounting inverses and the plan calibration.
#pragma once

#include <cmath>

#include "cairn/base/result.hpp"

namespace cairn::dp::detail {

// Smallest v with cost(v) <= epsilon, for cost decreasing in v; bisection in log space.
template <class CostFn>
Result<double> smallest_variance(double epsilon, CostFn cost) {
  double hi = 1.0;
  while (cost(hi) > epsilon) {
    hi *= 4;
    if (hi > 1e30) return make_error(Errc::usage, "no noise level reaches that epsilon; raise the budget");
  }
  double lo = hi / 4;
  while (lo > 1e-12 && cost(lo) <= epsilon) lo /= 4;
  for (int i = 0; i < 200 && hi / lo > 1 + 1e-12; ++i) {
    const double mid = std::sqrt(lo * hi);
    (cost(mid) <= epsilon ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace cairn::dp::detail

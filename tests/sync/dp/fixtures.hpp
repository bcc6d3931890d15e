// Test fixtures shared by the cairn_dp tests: a MetricSpec in one line.
#pragma once

#include <cstdint>

#include "cairn/dp/metric_spec.hpp"

namespace cairn::dp::test {

inline MetricSpec metric(const char* name, std::int64_t scale, double lo, double hi, std::uint32_t coords = 1,
                         const char* unit = "u") {
  MetricSpec m;
  m.name = name;
  m.unit = unit;
  m.scale = scale;
  m.clip_lo = lo;
  m.clip_hi = hi;
  m.coordinates = coords;
  return m;
}

}  // namespace cairn::dp::test

// Computing a catalog metric for a period on the employee's device, from the store's day rollups
// (the definitions of cairn/store/summary.hpp). The catalog itself (cairn/metrics/catalog.hpp) is
// store-free so the aggregator can use it without linking the employee's store.
//
// Thread safety: reads the store (one thread per Store).
#pragma once

#include <cstdint>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/store/store.hpp"

namespace cairn::device {

// The true (unclipped) value of each coordinate of a metric over a period, in the metric's unit.
// Reads the day rollups (kept current by every import and every contribution write) and, for
// contributions_by_kind, the contributions. A period without data gives 0 for every coordinate
// (a share with nothing to share of is 0). Errc::usage for a metric that is not the catalog's own
// (unknown name, or a spec that differs from the catalog's) or a malformed period.
Result<std::vector<double>> compute(const store::Store& store, const metrics::Metric& metric, const metrics::Period& period);
// Clipped and encoded as integers (spec.encode), ready for wire::encode_measurement.
Result<std::vector<std::int64_t>> compute_encoded(const store::Store& store, const metrics::Metric& metric, const metrics::Period& period);

}  // namespace cairn::device

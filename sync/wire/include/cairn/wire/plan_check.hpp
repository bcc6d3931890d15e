// The plan checks both sides make the same way: the recomputation of a plan's aggregator noise
// from the catalog's metric specs, its cadence (dp::releases_per_year, 53/13/5) and its budget.
// A device, and the helper, refuse a plan whose stated sigma2 is below what they compute (an
// organization cannot under-noise a plan); the leader uses the same function to write one.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::wire {

// What a plan's noise means once checked.
struct PlanNoise {
  dp::Cadence cadence = dp::Cadence::month;
  std::vector<dp::MetricSpec> specs;  // the catalog's, same order as plan.metrics
  dp::AggregatorNoise required;       // what the budget needs from ONE layer
  dp::ReleaseCost cost;               // one release of ONE layer at the plan's sigma2 (what the
                                      // ledger charges; <= required.cost's when the plan over-noises)
};

// The noise a plan must carry: the catalog's specs for its metrics and dp::calibrate_aggregator_noise
// over its cadence and budget. Errc::refused (one line) for an unknown metric, one encoded
// differently from the catalog, an unknown cadence, or a budget that cannot be met.
Result<PlanNoise> plan_noise(const Plan& plan);
// plan_noise(), and Errc::refused ("... noise below what its privacy budget needs; refusing it")
// when any metric's sigma2 is below the recomputed one.
Result<PlanNoise> check_plan(const Plan& plan);

// --- the report window ---------------------------------------------------------------------
// A report for period P is prepared and accepted from P's first day until kReportGraceSeconds
// after P's end (both sides use this rule; 14 h of slack either side covers every UTC offset, as
// periods are in the employee's local days). After that the period is closed: the aggregators
// release it, and a late report would be refused anyway.
inline constexpr std::int64_t kReportGraceSeconds = 3 * 24 * 3600;
// The UTC second a period ends: midnight after its last day. The ledger charge of a report for P
// is timed here (never at the upload or preparation time), so that dp::releases_per_year releases
// fit one rolling budget window (dp/plan_budget.hpp).
std::int64_t period_end_time(const metrics::Period& p);
// Parses `label` for the plan's cadence and checks `now` is inside its report window.
// Errc::usage for a malformed label, Errc::refused (one line, saying which and until when) for a
// period that has not started or has closed.
Result<metrics::Period> report_period(const Plan& plan, const std::string& label, std::int64_t now);

}  // namespace cairn::wire

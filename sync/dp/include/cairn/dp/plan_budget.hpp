// A plan's privacy budget and how often it spends it: the budget (epsilon, delta, per release or
// per year), the cadence, and THE one rule for how many releases of a cadence one employee-year
// holds (releases_per_year). Calibration, the utility preview and the report path all take the
// count from here, so the noise a plan is calibrated for and the window the ledger enforces agree.
//
// Why 53 / 13 / 5 and not 52 / 12 / 4: the ledger (ledger.cpp, Ledger::window_curve) sums every
// entry with time > now - kBudgetWindowSeconds (366 days), and each report is charged once, at a
// time tied to its period (the period's end). 53 consecutive ISO weeks end 364 days apart, 13
// consecutive months 365 or 366 days, 5 consecutive quarters 365 or 366 days: each fits in one
// window; one more period would span at least 371 / 393 / 455 days and never does. A per-year
// budget calibrated for 52/12/4 would be refused on the last on-schedule release of a window.
// tests/sync/dp/plan_budget_test.cpp checks this against real calendar periods over 400 years,
// with the charge time jittered around the period's end. docs/privacy.md, "Accounting per
// employee-year".
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "cairn/base/result.hpp"
#include "cairn/dp/metric_spec.hpp"

namespace cairn::dp {

enum class BudgetScope : std::uint8_t { per_release, per_year };

struct Budget {
  double epsilon = 1.0;
  double delta = 1e-6;
  BudgetScope scope = BudgetScope::per_year;
};

// Errc::usage (one line) unless epsilon is positive and finite and delta is in (0, 1).
Status validate(const Budget& budget);

// Errc::usage (one line) for no metrics, an invalid metric or budget, or releases_per_year
// outside [1, 366]: what every calibration checks first.
Status validate_plan(std::span<const MetricSpec> metrics, std::uint32_t releases_per_year, const Budget& budget);

enum class Cadence : std::uint8_t { week, month, quarter };
std::string_view cadence_name(Cadence c);  // "week", "month", "quarter"
// Errc::usage for anything but "week", "month", "quarter".
Result<Cadence> parse_cadence(std::string_view name);

// The most releases of one cadence that one budget window can hold: 53, 13, 5 (see above).
std::uint32_t releases_per_year(Cadence c);

// How much on-schedule jitter of the charge time (e.g. a report uploaded a few days after its
// period ended, or a time-zone change) the count above tolerates: a charge time anywhere in
// [period end, period end + tolerance] keeps every window at or below releases_per_year(c).
// 5 days for weeks, 27 for months, 89 for quarters (window length minus the span of one period
// more than releases_per_year, at the shortest). Beyond it the ledger still never over-spends:
// it refuses the release that would pass the cap.
std::int64_t charge_time_tolerance_seconds(Cadence c);

}  // namespace cairn::dp

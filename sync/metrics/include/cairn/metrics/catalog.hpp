// The metrics catalog: every metric a collection plan may ask for, with its plain-language
// meaning, unit, integer encoding and clip range (the device computes it from the store's day
// rollups: cairn/device/compute.hpp). A plan naming anything not
// listed here is refused. Sensitivities follow from the clip ranges (dp::MetricSpec).
//
// Clip ranges do NOT depend on the cadence: totals (hours, counts) are reported per week of the
// period (the period's total divided by days/7), shares and rates are cadence-free already. So
// one Metric::spec is the single truth for encoding and sensitivity whatever the plan's cadence,
// and a team's weekly and quarterly means are on the same scale. docs/privacy.md §10.
//
// Thread safety: the catalog is immutable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/plan_budget.hpp"

namespace cairn::metrics {

// The cadence and its releases per year are dp's (cairn/dp/plan_budget.hpp): dp::cadence_name,
// dp::releases_per_year (53/13/5), the one rule calibration, the ledger and the device use.
using Cadence = dp::Cadence;
std::optional<Cadence> cadence_from_name(std::string_view name);

// A period in the employee's local calendar: "2026-W47", "2026-11", "2026-Q4".
struct Period {
  Cadence cadence = Cadence::week;
  std::string label;
  std::int64_t first_day = 0;  // local day numbers, inclusive
  std::int64_t last_day = 0;
};
Result<Period> parse_period(Cadence cadence, const std::string& label);
Period period_containing(Cadence cadence, std::int64_t local_day);
// The period just before p, same cadence (the last complete one when p holds today).
Period period_before(const Period& p);
// Days of the period / 7: a period's totals are divided by this to give "per week" values.
double weeks_in(const Period& p);

struct Metric {
  std::string name;         // e.g. "focus_hours"
  std::string meaning;      // plain words shown to the employee and the organisation
  dp::MetricSpec spec;      // unit, scale (integer units per unit), clip range, coordinates
  std::vector<std::string> coordinate_names;  // one per coordinate (e.g. impact kinds)
};

const std::vector<Metric>& catalog();
const Metric* find(const std::string& name);
// find() with a one-line Errc::usage naming the known metrics when `name` is not in the catalog.
Result<const Metric*> lookup(const std::string& name);
// The specs of the named metrics, in order, for calibration and the preview. Errc::usage for an
// unknown or repeated name (a repeated metric would be charged twice for one value).
Result<std::vector<dp::MetricSpec>> specs_for(const std::vector<std::string>& names);

}  // namespace cairn::metrics

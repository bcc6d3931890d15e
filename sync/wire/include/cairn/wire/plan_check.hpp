// The plan checks both sides make the same way: how many releases a cadence has a year, and the
// recomputation of a plan's calibration from the catalog's metric specs and the plan's budget. A
// device refuses a plan whose stated noise differs (an organization cannot under-noise a plan);
// the leader uses the same numbers when it creates one.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "cairn/base/result.hpp"
#include "cairn/dp/calibration.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::wire {

std::uint32_t releases_per_year(const std::string& cadence);  // 52, 12, 4

// The device's own calibration of a plan; Errc::refused when the plan's mu or scale differ from
// what its budget and the catalog give. specs: the catalog's specs of plan.metrics, same order.
Result<dp::Calibration> check_plan_calibration(const Plan& plan, std::span<const dp::MetricSpec> specs);

}  // namespace cairn::wire

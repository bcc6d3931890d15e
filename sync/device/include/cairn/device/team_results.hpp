// What the employee sees of the team results their reports went into: for each plan this device
// reported to, the periods the organisation released (fetched from the leader during `cairn share
// sync`, wire/results.hpp), each figure beside this device's own contribution for that period —
// the value it sent, before the aggregators' noise. `cairn share results` prints it; the panel's
// Sharing view can show the same (DeviceShare::team_results()).
//
// Thread safety: plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/wire/results.hpp"

namespace cairn::device {

// Store setting holding the team results fetched last (JSON {"plan": <answer>}, re-encoded after
// parsing with wire::parse_results_answer's caps).
inline constexpr const char* kTeamResultsSetting = "share.team_results";

struct TeamFigure {
  wire::TeamValue team;            // the released figure: mean, 95 % interval, verdict, range
  std::optional<double> own;       // what this device sent for the period (units), if it reported
};
struct TeamPeriodView {
  std::string plan_id, purpose, period;
  std::uint32_t n = 0, k = 0;
  bool released = false;           // false: closed below k, nothing released
  bool reported = false;           // this device's report for the period reached both aggregators
  std::vector<TeamFigure> figures;
};

}  // namespace cairn::device

// What the employee sees of the team results their reports went into: for each plan this device
// reported to, the periods the organisation released (fetched from the leader during `cairn share
// sync`, wire/results.hpp), each figure beside this device's own contribution for that period —
// the value it sent, before the aggregators' noise. `cairn share results` prints it and the panel's
// Sharing view shows it (DeviceShare::team_results()), both in team_period_text()'s words, which
// are the organisation's own (wire/results_text.hpp).
//
// Thread safety: plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/wire/results.hpp"
#include "cairn/wire/results_text.hpp"

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
  std::uint32_t n = 0, k = 0, dropped = 0;
  bool released = false;           // false: closed below k, nothing released
  bool reported = false;           // this device's report for the period reached both aggregators
  std::vector<TeamFigure> figures;
};

// One period in words, for the CLI and the panel alike. The strings embed the plan's names and
// units: pass each line through safe_outside_text before showing it.
struct TeamFigureText {
  wire::TeamValueText team;  // the organisation's lines: figure, verdict, out-of-range flag
  std::string own;           // "you sent 1.000 hours per week (what this device sent, before the
                             // aggregators' noise)"; "" when this device sent nothing for it
};
struct TeamPeriodText {
  std::string count;  // "team of 15 reports (k = 10)", or "not released: 2 reports held by both …"
  std::string note;   // "" or "you did not report for this period"
  std::vector<TeamFigureText> figures;
};
TeamPeriodText team_period_text(const TeamPeriodView& v);
// Said once under the team results: what the interval covers and what left the device.
std::string team_results_note();

}  // namespace cairn::device

// Released team figures in words, the one wording every reader of them uses: `cairn-aggregator
// results` (the organisation), `cairn share results` and the panel's Sharing view (the employee).
// The numbers are rounded the same way everywhere, the verdict is the preview's sentence, and a
// mean the noise carried outside the metric's range is flagged with the clamped estimate beside it
// (post-processing; the released mean stays what is shown first).
//
// The strings embed names and units that came from a plan or a server: a caller that shows them
// to a person passes each line through safe_outside_text (base/text.hpp).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "cairn/wire/results.hpp"

namespace cairn::wire {

// 2 decimals under 10, 1 under 100, none above; never "-0".
std::string result_number(double v);

// "metric", or "metric / coordinate" when the coordinate is not the metric itself.
std::string value_label(const TeamValue& v);

// The lines of one released value, without indentation.
struct TeamValueText {
  std::string figure;   // "focus_hours: team mean 11.2 hours per week, 95% interval 8.90 to 13.5"
  std::string verdict;  // "verdict: only broad differences: ±2.30 hours per week at 95%"
  std::string outside;  // "" or "OUTSIDE the metric's range 0.00 to 40.0 hours per week: …"
};
TeamValueText team_value_text(const TeamValue& v);

// One period's head count: "15 reports (k = 10)", "1 report (k = 1)" (", 2 dropped (held by one
// aggregator only)" when some were), or "not released: 2 reports held by both aggregators, below k = 10".
std::string release_count_text(std::uint32_t n, std::uint32_t k, std::uint32_t dropped, bool released);

// What the interval covers, said once under released figures.
std::string noise_note();
// Said once under figures when any mean was outside its range.
std::string outside_note();

}  // namespace cairn::wire

// The brag document: every contribution the employee logged in a range of local days, as
// Markdown, by goal then by impact kind, each with its date, AI-assisted flag, skills, evidence
// links and "did it hold?" answers. `cairn contributions --markdown` and the panel's
// Contributions export both write exactly this text.
//
// Thread safety: pure functions, except read_brag_input (reads the store it is given).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/store/store.hpp"

namespace cairn::views {

// Everything a brag document needs.
struct BragInput {
  std::vector<records::Contribution> contributions;  // oldest first
  std::vector<store::Goal> goals;
  std::map<std::int64_t, std::vector<store::Outcome>> outcomes;  // by contribution id
  std::string generated;  // "2026-12-02"
  std::string range;      // "all", "this week", "2026-11-01..2026-11-30"
};

// Reads the contributions whose local day is in [first_day, last_day], the goals and outcomes.
Result<BragInput> read_brag_input(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                  const std::string& range_label, const std::string& generated);
// The same from what a caller already holds (the panel's journal): contributions in any order.
BragInput brag_input(std::vector<records::Contribution> contributions, std::vector<store::Goal> goals,
                     const std::vector<store::Outcome>& outcomes, const std::string& range_label,
                     const std::string& generated);
std::string brag_markdown(const BragInput& in);

}  // namespace cairn::views

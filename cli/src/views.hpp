// The human views of the unlocked record: plain text for a person at their own terminal
// (`cairn week`, `apps`, `contributions`), registered by add_views() in cmd_views.cpp. What the
// employee or another program wrote (contribution text, application classes, links) goes through
// safe_outside_text before it reaches the terminal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cairn/store/store.hpp"
#include "session.hpp"
#include "view_text.hpp"

namespace cairn::cli {

int cmd_week(Context& ctx, const std::string& week);  // week: "" (this week) or YYYY-Www
int cmd_apps(Context& ctx, const std::string& range);

struct ContributionsArgs {
  std::string range = "all";
  bool markdown = false;
  std::string output;  // with markdown: a private file instead of standard output
  bool force = false;
};
int cmd_contributions(Context& ctx, const ContributionsArgs& args);

// Time per application over [from, to): active (non-idle) spans clipped to the window, summed by
// application class, largest first (ties by name).
struct AppTime {
  std::string app;       // the window class, as collected
  std::string category;  // the category most of its time fell in
  std::int64_t seconds = 0;
};
std::vector<AppTime> time_per_app(const std::vector<records::ActivitySpan>& spans, records::Instant from, records::Instant to);

// Everything a brag document needs, read from the store once.
struct BragInput {
  std::vector<records::Contribution> contributions;  // oldest first
  std::vector<store::Goal> goals;
  std::map<std::int64_t, std::vector<store::Outcome>> outcomes;  // by contribution id
  std::string generated;  // "2026-12-02"
  std::string range;      // DayRange::label
};
Result<BragInput> read_brag_input(const store::Store& s, const DayRange& range, const std::string& generated);
// All contributions as Markdown: by goal, then by kind, each with its date, AI-assisted flag,
// skills, evidence links and "did it hold?" answers.
std::string brag_markdown(const BragInput& in);

}  // namespace cairn::cli

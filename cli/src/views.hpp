// The human views of the unlocked record: plain text for a person at their own terminal
// (`cairn week`, `apps`, `contributions`), registered by add_views() in cmd_views.cpp. What the
// employee or another program wrote (contribution text, application classes, links) goes through
// safe_outside_text before it reaches the terminal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cairn/store/store.hpp"
#include "cairn/views/apps.hpp"
#include "cairn/views/brag.hpp"
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

// Time per application and the brag document live in cairn_views (agent/views/), shared with the
// panel so both show the same numbers and write the same Markdown.
using views::AppTime;
using views::BragInput;
using views::brag_markdown;
using views::time_per_app;
inline Result<BragInput> read_brag_input(const store::Store& s, const DayRange& range, const std::string& generated) {
  return views::read_brag_input(s, range.first, range.last, range.label, generated);
}

}  // namespace cairn::cli

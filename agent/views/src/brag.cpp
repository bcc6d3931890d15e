// The brag document (see brag.hpp). Text the employee wrote is kept as written except for
// terminal control characters (safe_outside_text), so the file reads the same in an editor and in
// a terminal.
#include "cairn/views/brag.hpp"

#include <algorithm>
#include <sstream>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"

namespace cairn::views {
namespace {

const char* kKindTitles[] = {"Impact: what changed and for whom", "Long-term: what will keep paying off",
                             "Systems: what made others faster", "Judgment: the calls you made"};

void entry(std::ostringstream& md, const BragInput& in, const records::Contribution& c) {
  md << "- **" << day_string(local_day(c.time, c.utc_offset)) << "** \xE2\x80\x94 " << safe_outside_text(c.text);
  if (c.ai_assisted) md << " _(AI-assisted)_";
  md << "\n";
  if (!c.skills.empty()) {
    md << "  - Skills: ";
    for (std::size_t i = 0; i < c.skills.size(); ++i) md << (i ? ", " : "") << safe_outside_text(c.skills[i]);
    md << "\n";
  }
  for (const auto& l : c.links) md << "  - Evidence: <" << safe_outside_text(l) << ">\n";
  if (auto it = in.outcomes.find(c.id); it != in.outcomes.end())
    for (const auto& o : it->second)
      md << "  - After " << o.horizon_days << " days: " << safe_outside_text(o.held)
         << (o.note.empty() ? "" : " \xE2\x80\x94 " + safe_outside_text(o.note)) << "\n";
}

// One goal's (or the unlinked) contributions, by kind.
void section(std::ostringstream& md, const BragInput& in, const std::vector<const records::Contribution*>& list) {
  for (int k = 0; k < 4; ++k) {
    bool any = false;
    for (const auto* c : list) {
      if (static_cast<int>(c->kind) != k) continue;
      if (!any) md << "\n### " << kKindTitles[k] << "\n\n";
      any = true;
      entry(md, in, *c);
    }
  }
}

void sort_by_time(std::vector<records::Contribution>& cs) {
  std::sort(cs.begin(), cs.end(), [](const auto& a, const auto& b) { return a.time != b.time ? a.time < b.time : a.id < b.id; });
}

}  // namespace

Result<BragInput> read_brag_input(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                  const std::string& range_label, const std::string& generated) {
  BragInput in;
  in.generated = generated;
  in.range = range_label;
  // Local days reach 14 h either side of UTC: read that much more, then keep the local days asked.
  for (auto& c : CAIRN_TRY(s.contributions(first_day * 86400 - 14 * 3600, (last_day + 1) * 86400 + 14 * 3600)))
    if (auto d = local_day(c.time, c.utc_offset); d >= first_day && d <= last_day) in.contributions.push_back(std::move(c));
  sort_by_time(in.contributions);
  in.goals = CAIRN_TRY(s.goals());
  for (auto& o : CAIRN_TRY(s.all_outcomes())) in.outcomes[o.contribution_id].push_back(std::move(o));
  return in;
}

BragInput brag_input(std::vector<records::Contribution> contributions, std::vector<store::Goal> goals,
                     const std::vector<store::Outcome>& outcomes, const std::string& range_label,
                     const std::string& generated) {
  BragInput in;
  in.contributions = std::move(contributions);
  sort_by_time(in.contributions);
  in.goals = std::move(goals);
  for (const auto& o : outcomes) in.outcomes[o.contribution_id].push_back(o);
  in.range = range_label;
  in.generated = generated;
  return in;
}

std::string brag_markdown(const BragInput& in) {
  std::ostringstream md;
  md << "# What I did\n\n_" << count_text(in.contributions.size(), "contribution", "contributions") << ", " << in.range << ", from my Cairn record ("
     << in.generated << ")._\n";
  if (in.contributions.empty()) md << "\nNothing logged in this range yet (`cairn log \"what changed and for whom\"`).\n";
  for (const auto& g : in.goals) {
    std::vector<const records::Contribution*> list;
    for (const auto& c : in.contributions)
      if (c.goal_id == g.id) list.push_back(&c);
    if (list.empty()) continue;
    md << "\n## Goal: " << safe_outside_text(g.current.title) << (g.current.status == "active" ? "" : " (" + g.current.status + ")") << "\n";
    if (!g.current.description.empty()) md << "\n" << safe_outside_text(g.current.description) << "\n";
    section(md, in, list);
  }
  std::vector<const records::Contribution*> rest;
  for (const auto& c : in.contributions) {
    bool known = false;
    for (const auto& g : in.goals) known |= c.goal_id == g.id;
    if (!known) rest.push_back(&c);
  }
  if (!rest.empty()) {
    md << "\n## " << (rest.size() == in.contributions.size() ? "Contributions" : "Not linked to a goal") << "\n";
    section(md, in, rest);
  }
  return md.str();
}

}  // namespace cairn::views

// The self-review draft (see review.hpp). The draft never invents: each sentence is either the
// employee's own words from a contribution, or a count read from the record, and says which.
#include "review.hpp"

#include <algorithm>
#include <map>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "format.hpp"

namespace cairn::ui {
namespace {

std::int64_t day_of(const records::Contribution& c) { return local_day(c.time, c.utc_offset); }

// Picks up to k items spread evenly over the list (which is in time order), so a long period is
// not described by its last few weeks alone.
template <class T>
std::vector<T> spread_pick(const std::vector<T>& items, std::size_t k) {
  if (items.size() <= k) return items;
  std::vector<T> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(items[(i * (items.size() - 1)) / (k - 1)]);
  return out;
}

std::string evidence_label(const records::Contribution& c, const std::map<std::int64_t, store::DayRollup>& days,
                           const std::vector<store::Outcome>& outcomes) {
  std::int64_t d = day_of(c);
  std::string s = "contribution #" + std::to_string(c.id) + ", " + day_string(d);
  if (auto it = days.find(d); it != days.end()) {
    if (it->second.commits > 0) s += "; " + count_text(it->second.commits, "commit", "commits") + " that day";
    if (it->second.meetings > 0) s += "; " + count_text(it->second.meetings, "meeting", "meetings") + " that day";
  }
  for (const auto& o : outcomes)
    if (o.contribution_id == c.id) s += "; after " + std::to_string(o.horizon_days) + " days: " + o.held;
  if (c.ai_assisted) s += "; made with AI assistance";
  return s;
}

// What an entry of each kind answers; used to say what a missing entry would add.
const char* kind_prompt(records::ImpactKind kind) {
  switch (kind) {
    case records::ImpactKind::impact: return "what changed because of your work, and for whom";
    case records::ImpactKind::long_term: return "work whose value will show later (a capability built, a risk reduced)";
    case records::ImpactKind::system: return "how you made others faster or improved how the team works";
    case records::ImpactKind::judgment: return "a decision you weighed: the options, and why you chose as you did";
  }
  return "";
}

// Concrete steps for the entries a section shows: evidence links, a goal, a later look back.
void entry_steps(DraftSection& sec, const std::vector<const records::Contribution*>& shown, const ReviewInput& in) {
  auto add = [&](std::string step) {
    if (static_cast<int>(sec.strengthen.size()) < kStrengthenSteps) sec.strengthen.push_back(std::move(step));
  };
  for (const auto* c : shown) {
    const std::string who = "Entry #" + std::to_string(c->id) + " (" + day_string(day_of(*c)) + ")";
    if (c->links.empty()) add(who + " names no evidence: add a link to the commit, ticket or document it rests on.");
    bool looked_back = false;
    for (const auto& o : *in.outcomes) looked_back |= o.contribution_id == c->id;
    if (!looked_back && in.to_day - day_of(*c) >= 30)
      add(who + " is over 30 days old: answering \"did it hold?\" shows whether its effect lasted.");
    if (!c->goal_id && !in.goals->empty()) add(who + " is linked to no goal: linking it places it under that goal too.");
  }
}

DraftSection kind_section(records::ImpactKind kind, const char* title, const char* about,
                          const std::vector<const records::Contribution*>& in_period, const ReviewInput& in) {
  DraftSection sec{title, about, {}, {}, {}, {}};
  std::vector<const records::Contribution*> mine;
  for (const auto* c : in_period)
    if (c->kind == kind) mine.push_back(c);
  const std::string name = records::impact_kind_name(kind);
  if (mine.empty()) {
    sec.empty_reason = "No entry marked " + name + " in the period yet.";
    sec.strengthen.push_back("Log one in Contributions, marked " + name + ": " + kind_prompt(kind) + ".");
    return sec;
  }
  const auto shown = spread_pick(mine, kSentencesPerSection);
  for (const auto* c : shown) {
    std::string text = c->text;
    if (!text.empty() && text.back() != '.') text += '.';
    DraftSentence sen{text, {{c->id, day_of(*c), evidence_label(*c, *in.days, *in.outcomes)}}};
    for (const auto& l : c->links) sen.evidence.push_back({0, day_of(*c), "linked: " + l});
    sec.sentences.push_back(std::move(sen));
  }
  if (static_cast<int>(mine.size()) < kThinEvidence) {
    sec.thin_note = "One entry so far, shown as you wrote it: one moment, not yet a pattern.";
    sec.strengthen.push_back("A second entry marked " + name + " (" + kind_prompt(kind) +
                             ") would let this section describe a pattern.");
  }
  entry_steps(sec, shown, in);
  if (mine.size() > static_cast<std::size_t>(kSentencesPerSection))
    sec.sentences.push_back({std::to_string(mine.size()) + " entries of this kind in total; " +
                                 std::to_string(kSentencesPerSection) + " shown, picked evenly across the period.",
                             {{0, in.to_day, "count of your contributions of this kind in the period"}}});
  return sec;
}

// Goals: how the period's entries relate to them, from the links the employee made.
DraftSection goals_section(const std::vector<const records::Contribution*>& in_period, const ReviewInput& in) {
  DraftSection goals{"Goals", "Each goal with the entries you linked to it in the period.", {}, {}, {}, {}};
  for (const auto& g : *in.goals) {
    int n = 0;
    std::int64_t last = 0;
    for (const auto* c : in_period)
      if (c->goal_id && *c->goal_id == g.id) { ++n; last = c->id; }
    if (n == 0) continue;
    const std::size_t revised = g.history.empty() ? 0 : g.history.size() - 1;
    goals.sentences.push_back({g.current.title + ": " + count_text(n, "linked entry", "linked entries") +
                                   " (status: " + g.current.status + ", revised " + count_text(static_cast<std::int64_t>(revised), "time", "times") + ").",
                               {{last, in.to_day, "entries linked to goal #" + std::to_string(g.id)}}});
  }
  if (!goals.sentences.empty()) return goals;
  if (in.goals->empty()) {
    goals.empty_reason = "You have no goals yet.";
    goals.strengthen.push_back("Add a goal in Goals, then link entries to it when you log or edit them.");
  } else {
    goals.empty_reason = "No entry in the period is linked to a goal.";
    if (!in_period.empty())
      goals.strengthen.push_back("Open an entry in Contributions, choose Edit and pick the goal it served.");
  }
  return goals;
}

}  // namespace

ReviewDraft build_review(const ReviewInput& in) {
  ReviewDraft d;
  d.from_day = in.from_day;
  d.to_day = in.to_day;
  std::vector<const records::Contribution*> in_period;
  for (const auto& c : *in.contributions) {
    auto day = day_of(c);
    if (day >= in.from_day && day <= in.to_day) in_period.push_back(&c);
  }
  std::sort(in_period.begin(), in_period.end(), [](auto* a, auto* b) { return a->time < b->time; });

  d.sections.push_back(kind_section(records::ImpactKind::impact, "Impact",
                                    "What changed because of the work, in your own words from entries marked impact.",
                                    in_period, in));
  d.sections.push_back(kind_section(records::ImpactKind::long_term, "Long-term value",
                                    "Work whose value unfolds over time; later \"did it hold?\" answers are shown.",
                                    in_period, in));
  d.sections.push_back(kind_section(records::ImpactKind::system, "Contribution to the team and system",
                                    "How you enabled others or improved how the team works.", in_period, in));
  d.sections.push_back(kind_section(records::ImpactKind::judgment, "Judgment calls",
                                    "Decisions you weighed, and why, from entries marked judgment.", in_period, in));

  d.sections.push_back(goals_section(in_period, in));

  // How the work was made: AI co-production made visible, never scored.
  DraftSection how{"How the work was made", "Counts from the record, shown for completeness, not as a judgment.", {}, {}, {}, {}};
  std::int64_t commits = 0, ai_commits = 0;
  for (auto it = in.days->lower_bound(in.from_day); it != in.days->end() && it->first <= in.to_day; ++it) {
    commits += it->second.commits;
    ai_commits += it->second.ai_commits;
  }
  int ai_contrib = 0;
  for (const auto* c : in_period) ai_contrib += c->ai_assisted ? 1 : 0;
  if (!in_period.empty())
    how.sentences.push_back({std::to_string(ai_contrib) + " of " + std::to_string(in_period.size()) +
                                 " logged contributions were made with AI assistance.",
                             {{0, in.to_day, "the AI-assisted flag on your contributions"}}});
  if (commits > 0)
    how.sentences.push_back({std::to_string(ai_commits) + " of " + std::to_string(commits) +
                                 " commits carried an AI co-author or assisted-by trailer.",
                             {{0, in.to_day, "commit trailers in the repositories you listed"}}});
  if (how.sentences.empty()) how.empty_reason = "Left empty: nothing recorded in the period.";
  d.sections.push_back(std::move(how));

  // Spread of evidence across the period, week by week.
  std::int64_t first = week_start_day(in.from_day);
  for (std::int64_t w = first; w <= in.to_day; w += 7) {
    d.week_starts.push_back(w);
    d.evidence_per_week.push_back(0);
  }
  const std::int64_t quarter_start = in.to_day - (in.to_day - in.from_day + 1) / 4;
  int late = 0;
  for (const auto* c : in_period) {
    auto idx = static_cast<std::size_t>((day_of(*c) - first) / 7);
    if (idx < d.evidence_per_week.size()) d.evidence_per_week[idx] += 1;
    if (day_of(*c) > quarter_start) ++late;
  }
  d.total_evidence = static_cast<int>(in_period.size());
  d.last_quarter_share = in_period.empty() ? 0 : static_cast<double>(late) / static_cast<double>(in_period.size());
  return d;
}

std::string review_markdown(const ReviewDraft& d) {
  std::string md = "# Self-review draft: " + day_string(d.from_day) + " to " + day_string(d.to_day) + "\n\n";
  md += "_A draft built by Cairn from your own record. Every sentence is your own words or a count from the "
        "record, and names its evidence; nothing is padded. Edit freely before sharing._\n\n";
  for (const auto& s : d.sections) {
    md += "## " + s.title + "\n\n";
    if (!s.empty_reason.empty()) md += "_" + s.empty_reason + "_\n\n";
    if (!s.thin_note.empty()) md += "_" + s.thin_note + "_\n\n";
    for (const auto& sen : s.sentences) {
      md += "- " + sen.text;
      for (const auto& e : sen.evidence) md += " _(evidence: " + e.label + ")_";
      md += "\n";
    }
    if (!s.sentences.empty()) md += "\n";
    if (!s.strengthen.empty()) {
      md += "To make this section stronger:\n\n";
      for (const auto& step : s.strengthen) md += "- [ ] " + step + "\n";
      md += "\n";
    }
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "## Evidence over the period\n\n%d entries; %.0f %% of them fall in the last quarter of the period.\n",
                d.total_evidence, 100.0 * d.last_quarter_share);
  md += buf;
  return md;
}

}  // namespace cairn::ui

// The self-review draft: built from the employee's own record for a chosen period, where every
// sentence names its evidence, a section with a single entry shows that entry as written (marked
// as one moment, not a pattern) rather than staying empty or being padded, every section says
// concretely what would make it stronger, and the spread of evidence over the period is kept so
// the panel can make recency bias visible. Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cairn/store/store.hpp"

namespace cairn::ui {

struct EvidenceRef {
  std::int64_t contribution_id = 0;  // 0 when the evidence is a count from the record
  std::int64_t day = 0;
  std::string label;  // "contribution #12, 2026-05-04; 3 commits that day"
};

struct DraftSentence {
  std::string text;
  std::vector<EvidenceRef> evidence;
};

struct DraftSection {
  std::string title;
  std::string about;        // what goes here and how it is chosen
  std::vector<DraftSentence> sentences;
  std::string empty_reason;  // set when the section has nothing to show
  std::string thin_note;     // set when it shows fewer entries than make a pattern
  std::vector<std::string> strengthen;  // concrete steps that would make the section stronger
};

struct ReviewDraft {
  std::int64_t from_day = 0, to_day = 0;  // inclusive, local days
  std::vector<DraftSection> sections;
  std::vector<float> evidence_per_week;  // contributions per week across the period, oldest first
  std::vector<std::int64_t> week_starts;
  double last_quarter_share = 0;  // share of the period's evidence in its last quarter
  int total_evidence = 0;
};

// Sections with fewer than this many entries show them with a thin_note: one moment, not a pattern.
inline constexpr int kThinEvidence = 2;
// At most this many "to make it stronger" steps per section.
inline constexpr int kStrengthenSteps = 3;
// At most this many sentences per section, picked evenly across the period (not the latest).
inline constexpr int kSentencesPerSection = 5;

struct ReviewInput {
  std::int64_t from_day = 0, to_day = 0;
  const std::vector<records::Contribution>* contributions = nullptr;  // any order
  const std::vector<store::Outcome>* outcomes = nullptr;
  const std::vector<store::Goal>* goals = nullptr;
  const std::map<std::int64_t, store::DayRollup>* days = nullptr;  // by local day
};

ReviewDraft build_review(const ReviewInput& in);
std::string review_markdown(const ReviewDraft& d);

}  // namespace cairn::ui

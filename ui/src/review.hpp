// The self-review draft: built from the employee's own record for a chosen period, where every
// sentence names its evidence, sections stay empty when evidence is thin, and the spread of
// evidence over the period is kept so the panel can make recency bias visible. Pure: no I/O.
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
  std::string empty_reason;  // set when the section is left empty on purpose
};

struct ReviewDraft {
  std::int64_t from_day = 0, to_day = 0;  // inclusive, local days
  std::vector<DraftSection> sections;
  std::vector<float> evidence_per_week;  // contributions per week across the period, oldest first
  std::vector<std::int64_t> week_starts;
  double last_quarter_share = 0;  // share of the period's evidence in its last quarter
  int total_evidence = 0;
};

// Sections with fewer than this many entries are left empty rather than padded.
inline constexpr int kThinEvidence = 2;
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

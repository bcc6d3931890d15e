// The self-review draft: every sentence carries evidence, a thin section shows its one entry marked
// as thin (never padded), entries are picked across the period rather than from its end, and the
// recency share is computed.
#include <doctest/doctest.h>

#include "cairn/base/clock.hpp"
#include "review.hpp"

using namespace cairn;
using namespace cairn::ui;

namespace {
records::Contribution make(std::int64_t id, std::int64_t day, records::ImpactKind kind, std::string text) {
  records::Contribution c;
  c.id = id;
  c.time = day * 86400 + 12 * 3600;
  c.kind = kind;
  c.text = std::move(text);
  return c;
}
}  // namespace

TEST_CASE("review draft: evidence on every sentence, thin sections marked, spread picks") {
  const std::int64_t from = days_from_civil(2026, 1, 1), to = from + 179;
  std::vector<records::Contribution> cs;
  for (int i = 0; i < 20; ++i) cs.push_back(make(i + 1, from + i * 9, records::ImpactKind::impact, "impact " + std::to_string(i)));
  cs.push_back(make(100, from + 50, records::ImpactKind::judgment, "one judgment call"));
  cs.push_back(make(101, from - 10, records::ImpactKind::system, "before the period"));
  cs.push_back(make(102, from + 170, records::ImpactKind::system, "late system work"));
  std::vector<store::Outcome> outcomes{{1, 1, 0, 30, "held", ""}};
  std::vector<store::Goal> goals;
  std::map<std::int64_t, store::DayRollup> days;
  days[from].commits = 3;
  days[from].ai_commits = 1;
  ReviewInput in{from, to, &cs, &outcomes, &goals, &days};
  auto d = build_review(in);

  REQUIRE(d.sections.size() >= 5);
  const auto& impact = d.sections[0];
  CHECK(impact.empty_reason.empty());
  // Five picked evenly plus one count sentence.
  REQUIRE(impact.sentences.size() == static_cast<std::size_t>(kSentencesPerSection) + 1);
  CHECK(impact.sentences.front().text == "impact 0.");
  CHECK(impact.sentences[kSentencesPerSection - 1].text == "impact 19.");
  for (const auto& s : d.sections)
    for (const auto& sen : s.sentences) CHECK_FALSE(sen.evidence.empty());
  CHECK(impact.sentences.front().evidence[0].label.find("3 commits that day") != std::string::npos);
  CHECK(impact.sentences.front().evidence[0].label.find("after 30 days: held") != std::string::npos);

  // One judgment entry is thin: shown as written, marked as one moment, with no count sentence.
  REQUIRE(d.sections[3].sentences.size() == 1);
  CHECK(d.sections[3].sentences[0].text == "one judgment call.");
  CHECK_FALSE(d.sections[3].thin_note.empty());
  CHECK(d.sections[3].empty_reason.empty());
  // System: only one entry inside the period (the other is before it).
  REQUIRE(d.sections[2].sentences.size() == 1);
  CHECK(d.sections[2].sentences[0].text == "late system work.");
  CHECK(impact.thin_note.empty());

  CHECK(d.total_evidence == 22);
  CHECK(d.evidence_per_week.size() == d.week_starts.size());
  float sum = 0;
  for (float v : d.evidence_per_week) sum += v;
  CHECK(sum == doctest::Approx(22));
  CHECK(d.last_quarter_share > 0.1);
  CHECK(d.last_quarter_share < 0.4);

  auto md = review_markdown(d);
  CHECK(md.find("# Self-review draft") == 0);
  CHECK(md.find("(evidence: contribution #1") != std::string::npos);
  CHECK(md.find("One entry so far") != std::string::npos);
}

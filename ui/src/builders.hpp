// Snapshot parts built from the Store on the worker thread. Each builder reads only what its part
// needs (the week's records, the year's day rollups, the contributions once) so a week switch
// stays well under the 20 ms budget on a year of data.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "cairn/base/paths.hpp"
#include "cairn/base/result.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

// Everything the employee wrote, loaded once per unlock and kept current by the worker.
struct Journal {
  std::vector<records::Contribution> contributions;  // oldest first
  std::vector<store::Outcome> outcomes;
  std::vector<store::Goal> goals;
};

Result<Journal> load_journal(const store::Store& s);
// The week from its day rollups and the journal: cheap (no raw spans). timeline may be null.
Result<std::shared_ptr<const WeekData>> build_week(const store::Store& s, std::int64_t start_day, const Journal& j,
                                                   std::shared_ptr<const WeekTimeline> timeline);
// Approximate heap held by a week part (its day strips included), for the read-ahead budget.
std::size_t approx_bytes(const WeekData& w);
// The week's day strips and focus blocks from its raw spans and meetings.
Result<std::shared_ptr<const WeekTimeline>> build_week_timeline(const store::Store& s, std::int64_t start_day);
Result<std::shared_ptr<const YearData>> build_year(const store::Store& s, std::int64_t today);
std::shared_ptr<const ContributionData> build_contributions(const Journal& j, std::int64_t today);
std::shared_ptr<const GoalsData> build_goals(const Journal& j, std::int64_t today);
std::shared_ptr<const SkillsData> build_skills(const Journal& j, std::int64_t today);
Result<std::shared_ptr<const Evidence>> build_evidence(const store::Store& s, const records::Contribution& c);
std::shared_ptr<const ReviewDraft> build_review_part(const Journal& j, const YearData& y, std::int64_t from_day,
                                                     std::int64_t to_day);
// Time per application over local days [first_day, last_day] at utc_offset (views::apps_in_days,
// as `cairn apps --range`) and the timeline of `day`.
Result<std::shared_ptr<const AppsData>> build_apps(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                                   std::string label, std::int64_t day, std::int32_t utc_offset);

// Reads consent.conf and its change log (no store needed: works while locked too).
std::shared_ptr<const ConsentData> build_consent(const Paths& paths, const store::Store* s);

// The local day of a contribution.
std::int64_t day_of(const records::Contribution& c);

}  // namespace cairn::ui

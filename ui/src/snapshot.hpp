// What the views draw from: an immutable snapshot the worker builds off the UI thread. Parts that
// did not change are shared between consecutive snapshots (shared_ptr<const ...>), so switching
// weeks rebuilds only the week. Views never see the Store.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/consent/consent.hpp"
#include "cairn/crypto/secret.hpp"
#include "cairn/device/device.hpp"
#include "cairn/store/store.hpp"
#include "cairn/views/apps.hpp"
#include "review.hpp"

namespace cairn::ui {

enum class Phase {
  no_vault,       // first run: create a vault
  locked,         // vault exists: unlock
  working,        // Argon2id or opening the store; progress may be set
  recovery_code,  // vault just created: show the recovery code once
  onboarding,     // walk through each source's consent
  unlocked,
};

// One piece of a day's timeline: seconds since local midnight.
struct Segment {
  std::int32_t from = 0, to = 0;
  int kind = 0;  // category index; 7 = meeting
};

// The part of a week that needs its raw spans: the day strips and the focus blocks. Built apart
// (and cached by the worker) because reading a week of spans costs far more than its rollups.
struct WeekTimeline {
  std::array<std::vector<Segment>, 7> days;  // merged, for the day strips
  std::int64_t focus_blocks = 0, longest_focus_seconds = 0;
};

struct WeekData {
  std::int64_t start_day = 0;  // Monday, local day number
  std::string label;           // "Week 47 · 16–22 Nov 2026"
  std::array<store::DayRollup, 7> days{};
  store::DayRollup total{};
  std::shared_ptr<const WeekTimeline> timeline;  // null until built (a moment after the rest)
  std::vector<records::Contribution> contributions;
  std::optional<store::Reflection> reflection;
  std::array<std::string, 3> prefill;  // reflection prompts pre-filled from the week's signals
};

// Every week of the year strip, complete (numbers and day strips), read ahead by the worker while
// it is idle so the UI can show any of them in the frame of the click. Immutable like the rest:
// the worker publishes a new cache when weeks are added or dropped.
struct WeekCache {
  std::map<std::int64_t, std::shared_ptr<const WeekData>> weeks;  // by Monday (local day)
  std::size_t wanted = 0;  // weeks of the year strip
  std::size_t bytes = 0;   // approximate heap held by the weeks (timelines included)
  std::shared_ptr<const WeekData> find(std::int64_t start_day) const {
    auto it = weeks.find(start_day);
    return it == weeks.end() ? nullptr : it->second;
  }
};

struct YearWeek {
  std::int64_t start_day = 0;
  float active_hours = 0;
  float focus_hours = 0;
};
struct YearData {
  std::vector<YearWeek> weeks;  // oldest first, ends with the current week
  std::map<std::int64_t, store::DayRollup> days;  // by local day, for evidence beside contributions
};

struct ContributionEntry {
  records::Contribution c;
  std::vector<store::Outcome> outcomes;
  std::int64_t day = 0;
};
struct FollowUp {
  std::int64_t contribution_id = 0;
  int horizon_days = 30;
  std::int64_t age_days = 0;
};
struct ContributionData {
  std::vector<ContributionEntry> entries;  // newest first
  std::vector<FollowUp> due;               // "did it hold?" prompts that are due, oldest first
  std::vector<std::string> known_skills;   // for tag suggestions
};

// The commits and meetings around one contribution (loaded when it is selected).
struct Evidence {
  std::int64_t contribution_id = 0;
  std::int64_t from_day = 0, to_day = 0;
  std::vector<records::CommitRecord> commits;
  std::vector<records::MeetingRecord> meetings;
};

struct GoalsData {
  std::vector<store::Goal> goals;
  std::map<std::int64_t, std::vector<std::int64_t>> linked;  // goal id -> contribution ids, newest first
  std::vector<std::int64_t> unmatched;                       // recent contributions with no goal
  std::int64_t unmatched_window_days = 90;
};

struct SkillRow {
  std::string name;
  std::vector<int> per_month;  // oldest first, aligned with SkillsData::months
  int total = 0;
  std::int64_t last_day = 0;
};
struct SkillsData {
  std::vector<std::string> months;  // "Dec", "Jan", ...
  std::vector<SkillRow> rows;       // most recently practised first
};

// Time per application over a range of local days (the numbers of `cairn apps --range`: both
// call views::apps_in_days) and one day's timeline with the application of every stretch.
struct AppSegment {
  std::int32_t from = 0, to = 0;  // seconds since local midnight
  int kind = 0;                   // category index; 7 = calendar meeting; 8 = away (idle or a break)
  std::string app;                // the window class; empty for a meeting
};
struct AppsData {
  std::int64_t first_day = 0, last_day = 0;  // inclusive, local days
  std::string label;                         // "today", "this week", "this month", "2026-11-01..2026-11-30"
  std::vector<views::AppTime> apps;          // largest first
  std::int64_t total_seconds = 0;
  std::int64_t day = 0;                      // the day of the timeline
  std::vector<AppSegment> timeline;          // active and away stretches, then meetings; adjacent alike joined
};

// The category rules file (activity-rules.conf) as the panel's editor opens it: the file's text,
// or the defaults when there is no file yet.
struct RulesData {
  std::string text;
  bool from_file = false;
};

struct ConsentData {
  consent::State state;
  std::vector<store::ConsentEvent> log;  // newest first
  std::string activity_status;  // the agent's activity status file, one line (no titles, no values)
};

// Sharing (device::DeviceShare over the store): plans, reports awaiting approval with everything
// the employee decides on, and the history. Plan and report texts come from the organisation:
// views draw them with TextUnformatted only.
struct SharingPlan {
  std::string id, org, team, purpose, cadence, state;  // state: offered | joined | declined
  std::uint32_t k = 0;
  std::vector<std::string> metrics;
  std::string cost;  // device::plan_cost_line: per report, and what is left of the year
};
struct SharingPending {
  std::string report_id, plan_id, period, purpose;
  std::vector<device::ValueLine> values;       // exactly what is shared (the device adds no noise)
  std::vector<device::MetricNoise> noise;      // what the organisation will see: both aggregators' layers
  std::string guarantee;                       // device::guarantee_line: the promise and its one condition
  std::uint32_t k = 0;                         // the plan's smallest group (the team-mean error uses it)
  double epsilon_release = 0, spent_after = 0, cap_epsilon = 0, budget_left = 0;
  std::string cost;                            // device::cost_line, as `cairn share show` says it
  std::size_t bytes = 0;
  std::string envelope_hex;  // the start of the bytes that would leave, as hex
};
struct SharingRow {
  std::string report_id, plan_id, period, state;
  std::int64_t created = 0;
  std::optional<std::int64_t> decided, uploaded;
  std::string cost;  // device::cost_line ("nothing for this report (declined: ...)" once declined)
};
// One released period of a plan this device reported to, in device::team_period_text's words (the
// organisation's own lines for each figure, then what this device sent), every line made safe; the
// numbers beside them draw the figure's strip.
struct SharingTeamFigure {
  std::string figure, verdict, outside;  // wire::team_value_text: "outside" is "" inside the range
  std::string own;                       // "you sent …"; "" when this device did not report
  std::string unit;
  double mean = 0, lo = 0, hi = 0, clip_lo = 0, clip_hi = 0;
  std::optional<double> own_value;
};
struct SharingTeamPeriod {
  std::string plan_id, purpose, period;
  std::string count, note;  // "team of 15 reports (k = 10)"; "" or "you did not report for this period"
  bool released = false;
  std::vector<SharingTeamFigure> figures;
};
struct SharingData {
  bool enrolled = false;
  std::string org, team;
  std::vector<SharingPlan> plans;
  std::vector<SharingPending> pending;  // oldest first
  std::vector<SharingRow> history;      // newest first
  std::vector<SharingTeamPeriod> results;  // plans in id order, periods oldest first (DeviceShare::team_results)
  std::string team_note;                // device::team_results_note(): what the intervals cover
  std::string error;                    // one line when the sharing record could not be read
};
// What runs around the record without a terminal: the keyless uploader's status line
// (uploader::status_line) and the panel's own checks for plans and due reports. No record values.
struct SharingStatus {
  std::string sending;  // "3 reports waiting to send, last try 10:02: leader unreachable"; "" if never
  std::string checks;   // "Checked for plans at 10:02", "Last check 10:02: ..."
  bool checking = false;
  bool enrolled = false;  // checks only run for an enrolled device
};

struct Snapshot {
  std::uint64_t version = 0;
  Phase phase = Phase::locked;
  std::string message;        // one line for the employee: an error or what just happened
  bool message_is_error = false;
  std::uint64_t message_id = 0;  // new for each message, so a live update does not show it again
  std::vector<std::string> message_lines;  // listed under the message (each made safe), e.g. every import problem
  float progress = -1;        // 0..1 while importing, else < 0
  std::string progress_label;
  std::shared_ptr<const crypto::SecretBytes> recovery_code;  // only in Phase::recovery_code
  bool weak_kdf = false;

  std::int64_t today = 0;  // local day number
  std::int32_t utc_offset = 0;  // the clock's offset now, to show instants in local time
  int autolock_minutes = 10;
  std::shared_ptr<const WeekData> week;
  std::shared_ptr<const WeekCache> weeks;  // read ahead; may lack some weeks (or be null)
  std::shared_ptr<const YearData> year;
  std::shared_ptr<const ContributionData> contributions;
  std::shared_ptr<const Evidence> evidence;
  std::shared_ptr<const GoalsData> goals;
  std::shared_ptr<const SkillsData> skills;
  std::shared_ptr<const ReviewDraft> review;
  std::shared_ptr<const ConsentData> consent;
  std::shared_ptr<const AppsData> apps;  // built on the first ShowApps
  std::shared_ptr<const RulesData> rules;  // read on ReadRules
  std::shared_ptr<const SharingData> sharing;
  std::shared_ptr<const SharingStatus> sharing_status;
  std::optional<store::Store::Counts> counts;  // counted in the background after unlock
};

}  // namespace cairn::ui

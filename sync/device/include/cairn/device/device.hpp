// The device side of sharing over the employee's unlocked store: enrollment, plans (joined or
// declined explicitly), the approval queue of prepared reports, and the offline outbox that
// uploads approved reports with retry and backoff. The CLI (`cairn enroll`, `cairn share ...`)
// and the panel's Sharing view both call this API; neither prepares or uploads anything itself.
//
// A report's states (store::SharedReport::state):
//   pending   computed, clipped, encoded, Prio3-sharded, sealed and signed; waiting for the employee
//   declined  the employee said no; its envelope is erased and never leaves; nothing is charged
//   approved  charged, and queued in the spool (Paths::outbox(), one file per report, readable by
//             the keyless uploader: sync/uploader); survives restarts
//   uploaded  the leader answered that BOTH aggregators hold it (answers.hpp, "held_by")
//   refused   refused for good: by an aggregator (e.g. the period had closed), or at approval
//             because the organisation had closed the period meanwhile (then nothing was charged)
// The privacy cost is checked against the cap when a report is prepared and CHARGED WHEN THE
// EMPLOYEE APPROVES it, timed at the period's end: a declined report costs nothing, because
// nothing left the device. A period is prepared once (declining does not prepare it again).
//
// Which periods are prepared: never one that ended before the plan was joined, never one the
// organisation has closed (the leader's plan list names them; the report window too), and,
// unless asked for explicitly (`cairn share sync --period`), never the period the plan was joined
// in: the first report is for the first whole period after joining.
//
// Sending: approve() writes the envelope to the spool; `cairn-upload` (a systemd user timer, no
// key) or upload_outbox() (`cairn share sync`) sends it; reconcile_outbox() records in the store
// what the uploader did since (sent -> uploaded, refused -> refused) at the next unlock.
//
// One budget per employee: enrolling a second device with the same token replaces the first at
// the aggregators, and their answer lists what that employee already reported in the rolling
// year; enroll() writes those as carry-over entries into this device's ledger (same plan, period,
// time and cost), so both devices' reports draw on one budget.
//
// Thread safety: one DeviceShare per thread, like the Store it wraps.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/device/report.hpp"
#include "cairn/device/team_results.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/transport.hpp"
#include "cairn/store/store.hpp"

namespace cairn::device {

inline constexpr const char* kEnrollmentSetting = "share.enrollment";

// What `cairn enroll` pinned: kept in the store's settings as JSON.
struct Enrollment {
  std::string org, team;
  crypto::SignPublicKey org_key{};
  wire::Endpoint leader, helper;
  std::int64_t enrolled = 0;
};
Result<std::optional<Enrollment>> load_enrollment(const store::Store& store);
// Registers the device key with the leader and then the helper, pins the token's keys, and
// carries the employee's earlier reports (the helper's answer, else the leader's) into `ledger`.
// Safe to repeat after a partial failure (aggregators answer 200 for the same device; a carried
// entry already in the ledger is not added twice).
struct EnrollResult {
  bool replaced = false;  // this token was enrolled on another device, which no longer reports
  std::size_t carried = 0;  // earlier reports added to the ledger
};
Result<EnrollResult> enroll(store::Store& store, const crypto::SignKeyPair& device, const wire::EnrollToken& token,
                            wire::Transport& transport, dp::Ledger& ledger, std::int64_t now);
// The carry-over on its own: adds each earlier release not yet in the ledger (same plan and
// period), oldest first, at its own time (or the chain's last time if later). Returns how many.
Result<std::size_t> carry_over(dp::Ledger& ledger, const std::vector<wire::PriorRelease>& reported);

struct PlanView {
  wire::Plan plan;
  std::string state;      // offered | joined | declined
  std::int64_t since = 0;  // when the state was set: for "joined", when the plan was joined
};

// Store setting holding the periods the leader says are closed (JSON {"plan": ["period", ...]}).
inline constexpr const char* kClosedPeriodsSetting = "share.closed_periods";

struct ValueLine {
  std::string metric, coordinate, unit;
  double value = 0;         // in units, clipped: exactly what is shared (no noise on the device)
  std::int64_t encoded = 0;
};
struct ReportDetail {
  store::SharedReport report;
  std::vector<ValueLine> values;
  std::vector<MetricNoise> noise;  // what the organisation will see: both aggregators' layers
  std::uint32_t k = 0;             // the plan's smallest group (n used for the team-mean error)
  double epsilon_release = 0;  // this report's privacy cost at the cap's delta
  double spent_after = 0;      // the rolling-year spend: with this report if pending, else as it is now
  double cap_epsilon = 0;
  double budget_left = 0;      // cap - spent_after
  bool charged = false;        // in the ledger (approved); false while pending and once declined
  std::string purpose;
  std::size_t bytes = 0;       // size of the envelope
  crypto::Bytes envelope;      // the exact bytes that would leave
};

// The one line `cairn share show` (and the panel) states for a pending report: the guarantee and
// its only condition.
std::string guarantee_line(const ReportDetail& d);

// The cost, shown ONE way everywhere (CLI and panel): per report, and what is left of the year.
//   pending:  "ε 0.122 for this report if you approve it; ε 1.756 of your 2.000 left this year after it"
//   charged:  "ε 0.122 for this report (charged); ε 1.756 of your 2.000 left this year"
//   declined: "nothing for this report (declined: nothing left this device); ε 1.878 of your 2.000 left this year"
// `epsilon` names the symbol: the panel's font has no Greek glyphs and passes "epsilon".
std::string cost_line(const ReportDetail& d, std::string_view epsilon = "ε");
// What one report of `plan` costs at the cap's delta (one aggregator layer, one release);
// Errc::refused for a plan the device would refuse.
Result<double> report_epsilon(const wire::Plan& plan, const dp::Ledger& ledger);
// The plan card's line: "ε 0.122 per report (ε 1.000 per year over 53 weekly reports); ε 1.878 of
// your 2.000 left this year".
std::string plan_cost_line(const wire::Plan& plan, const dp::Ledger& ledger, std::int64_t now,
                           std::string_view epsilon = "ε");

// What reconcile_outbox() found.
struct ReconcileSummary {
  int uploaded = 0;   // sent by the uploader since: now recorded as uploaded
  int refused = 0;    // refused since, or closed before the employee decided
  int respooled = 0;  // approved, but missing from the spool: written again from the store
  int dropped = 0;    // in the spool but no longer approved: shredded
  std::vector<std::string> notes;
};
struct SyncSummary {
  int plans_new = 0, plans_refused = 0;
  int prepared = 0, uploaded = 0, queued = 0, refused = 0;
  std::vector<std::string> notes;  // one line each, for the person
};

struct RetryPolicy {
  int attempts = 3;            // per report per sync
  int first_delay_ms = 200;    // then x4
};

class DeviceShare {
 public:
  DeviceShare(store::Store& store, const crypto::SignKeyPair& device, dp::Ledger& ledger, wire::Transport& transport,
              const Clock& clock, std::filesystem::path outbox);

  Result<std::vector<PlanView>> plans();
  Status join(const std::string& plan_id);
  Status leave(const std::string& plan_id);

  Result<std::vector<store::SharedReport>> pending_reports();
  Result<std::vector<store::SharedReport>> history();  // everything, oldest first
  Result<ReportDetail> report_detail(const std::string& report_id);
  Status approve(const std::string& report_id);
  Status decline(const std::string& report_id);

  // Fetches plans (checking the organization's signature and the pinned keys), prepares a report
  // for each joined plan and due period (or `period` when given), and uploads the outbox.
  Result<SyncSummary> sync(const std::optional<std::string>& period);
  Result<SyncSummary> fetch_plans();
  Result<SyncSummary> prepare_due(const std::optional<std::string>& period);
  // Reconciles the spool with the store, then sends the spool like `cairn-upload`, then reconciles.
  Result<SyncSummary> upload_outbox();
  // Spool <-> store, without the network: what the keyless uploader sent or was refused is
  // recorded, an approved report missing from the spool is queued again, an envelope no longer
  // approved is shredded, and a pending report whose period the leader said is closed is refused
  // (uncharged; the report window itself is checked at approval).
  // The CLI's share commands and the panel call it after unlocking.
  Result<ReconcileSummary> reconcile_outbox();
  // Team results: fetch_team_results() asks the leader, for each plan this device has a report
  // uploaded to, for the plan's released periods (signed with the device key; wire/results.hpp)
  // and keeps them in the store; sync() calls it last. team_results() reads what was kept, each
  // figure beside the value this device sent for that period (before the aggregators' noise),
  // plans in id order and periods oldest first. Nothing about other devices is ever kept.
  Result<SyncSummary> fetch_team_results();
  Result<std::vector<TeamPeriodView>> team_results();
  // Periods the leader said are closed, as "plan\nperiod".
  Result<std::vector<std::string>> closed_periods();
  void set_retry_policy(RetryPolicy p) { retry_ = p; }

 private:
  Result<Enrollment> enrollment();
  Result<std::optional<PlanView>> find_plan(const std::string& plan_id);
  // Errc::refused (one line) when the report window or the leader says the period is closed.
  Status period_open(const wire::Plan& plan, const std::string& period);
  Status prepare_one(const wire::Plan& plan, const std::string& period, SyncSummary& out);
  store::Store& store_;
  const crypto::SignKeyPair& device_;
  dp::Ledger& ledger_;
  wire::Transport& transport_;
  const Clock& clock_;
  std::filesystem::path outbox_;
  RetryPolicy retry_;
};

}  // namespace cairn::device

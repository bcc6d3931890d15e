// The encrypted record: a SQLCipher database keyed with the raw store key from the vault.
// One on-disk format for SQLCipher 3.4 (Debian 12) and 4.x (cipher_compatibility = 3 on 4.x),
// 4 KiB cipher pages, WAL, temp_store = MEMORY (a temp file would be plaintext), secure_delete,
// schema migrations by user_version (schema.cpp). Files 0600 in a 0700 directory.
//
// A wrong key or a damaged file is detected on open (the first read of sqlite_master fails with
// SQLITE_NOTADB) and reported as Errc::corrupt with a message that says "wrong key or damaged";
// the vault already rules out a wrong passphrase, so from the CLI this means damage.
//
// Thread safety: a Store is one connection; use it from one thread at a time. Several Store
// objects (threads or processes) may open the same file; writers serialise on SQLite's lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::store {

using records::ActivitySpan;
using records::CommitRecord;
using records::Contribution;
using records::Instant;
using records::MeetingRecord;

inline constexpr int kSchemaVersion = 3;

// Rows the privacy and sharing code (sync/) keeps in the store. Their meaning belongs to sync/;
// the store only keeps them, encrypted, with the invariants noted.
struct LedgerRow {  // one privacy-budget charge; hash-chained by sync/dp (docs/privacy.md)
  std::int64_t seq = 0;
  Instant time = 0;
  std::string plan_id, period, cost, prev_hash, hash;
};
struct SharedReport {  // one report: pending approval, approved, declined, queued, uploaded
  std::string report_id;
  std::string plan_id, period, state;
  Instant created = 0;
  std::optional<Instant> decided, uploaded;
  std::string detail;    // JSON the approval view shows (values, noise, cost, bytes)
  std::string envelope;  // the exact bytes that leave (base64 or raw), empty until prepared
};
struct PlanRow {  // a collection plan the device has seen
  std::string plan_id;
  std::string state;  // "offered", "joined", "declined"
  std::string body;   // the signed plan as received
  Instant updated = 0;
};

struct Outcome {  // a later answer to "did it hold?" on a contribution
  std::int64_t id = 0;
  std::int64_t contribution_id = 0;
  Instant time = 0;
  int horizon_days = 30;  // 30 or 90
  std::string held;       // "held", "partly", "did-not-hold"
  std::string note;
};

struct GoalRevision {
  Instant time = 0;
  std::string title;
  std::string description;
  std::string status;  // "active", "done", "dropped"
};

struct Goal {
  std::int64_t id = 0;
  Instant created = 0;
  GoalRevision current;
  std::vector<GoalRevision> history;  // oldest first, current last
};

struct Reflection {
  std::string week;  // "2026-W47"
  Instant updated = 0;
  std::string changed;   // what changed because of your work
  std::string helped;    // who you helped
  std::string judgment;  // which judgment call you made and why
  bool skipped = false;
};

struct ConsentEvent {
  Instant time = 0;
  std::string source;
  std::string action;  // "grant", "revoke", "delete-data"
  std::string detail;
};

// One day's rollup: seconds and counts, cut in local time (summary.hpp computes them).
struct DayRollup {
  std::int64_t day = 0;  // local day number (days since 1970-01-01)
  std::int64_t active_seconds = 0;
  std::int64_t idle_seconds = 0;
  std::int64_t focus_seconds = 0;       // in uninterrupted blocks of >= 25 minutes
  std::int64_t fragmented_seconds = 0;  // active time outside focus blocks
  std::int64_t meeting_seconds = 0;
  std::int64_t after_hours_seconds = 0;
  std::int64_t context_switches = 0;
  std::int64_t commits = 0;
  std::int64_t ai_commits = 0;
  std::int64_t lines_changed = 0;
  std::int64_t meetings = 0;
  std::int64_t one_on_ones = 0;
  std::int64_t contributions = 0;
  std::int64_t ai_contributions = 0;
  std::int64_t category_seconds[7] = {};  // indexed like records::kCategories
};

// Rows outside the limits of cairn/base/plausible.hpp (written before the inbox decoder refused
// them, or by a damaged copy): counted by `cairn verify`, removed by `cairn verify --repair`.
struct ImplausibleRows {
  std::int64_t spans = 0, commits = 0, meetings = 0;
  std::int64_t total() const { return spans + commits + meetings; }
};

// The employee's correction of a stretch of activity (marks.cpp): local time is the caller's; the
// store sees the UTC instants [from, to). "break" makes the stretch idle time (a break in every
// number: not active, not in a category, it ends focus blocks and context switches); a category
// re-labels the active time in it (idle time in it stays idle: the record does not invent work).
// Marks are kept, so spans the daemon delivers later for the same stretch are corrected on import.
inline constexpr const char* kBreak = "break";
inline constexpr std::int64_t kMaxMarkSeconds = 31 * 86400;
struct ActivityMark {
  Instant from = 0, to = 0;
  std::string as;  // kBreak or one of records::kCategories
  Instant made = 0;
};
struct MarkCounts {
  std::int64_t spans = 0;  // spans re-assigned (in full or their part inside the stretch)
  std::int64_t split = 0;  // spans cut at the stretch's edges (their outside parts kept as they were)
  std::int64_t first_day = 0, last_day = -1;  // local days whose rollups were rebuilt
};
// The one-line reason a mark is refused at `now` (empty range, in the future, longer than
// kMaxMarkSeconds, unknown category), or ok.
Status check_mark(const ActivityMark& m, Instant now);
// The pieces of one span after a mark: the parts outside [m.from, m.to) unchanged, the part inside
// re-assigned. Pure; the store applies it to stored spans and to spans imported later.
std::vector<ActivitySpan> apply_mark(const ActivitySpan& s, const ActivityMark& m);

// What an import adds, so the caller can report counts.
struct ImportCounts {
  std::int64_t spans = 0, commits = 0, meetings = 0, consent_events = 0;
};

class Store {
 public:
  enum class Mode { open_existing, create };

  // key: the 32-byte store key from the vault. Creates the directory (0700) in create mode.
  static Result<Store> open(const std::filesystem::path& path, const crypto::SecretBytes& key, Mode mode);
  // The same engine without a key, for benchmarks that compare against plain SQLite only.
  static Result<Store> open_unencrypted_for_benchmark(const std::filesystem::path& path);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;
  std::string cipher_version() const;
  // SQLite's PRAGMA data_version for this connection: it changes when ANOTHER connection (the CLI,
  // an import, another panel) committed since the previous call, never for this connection's own
  // writes. Reads no table (the WAL index only), so the panel polls it to stay live.
  Result<std::int64_t> data_version() const;

  // --- collected records (imported from the inbox) ----------------------------------------
  Status add_spans(std::span<const ActivitySpan> spans);
  Status add_commits(std::span<const CommitRecord> commits);    // idempotent per (repo, id)
  Status add_meetings(std::span<const MeetingRecord> meetings);  // idempotent per uid
  Result<std::vector<ActivitySpan>> spans(Instant from, Instant to) const;  // overlapping [from, to)
  Result<std::vector<CommitRecord>> commits(Instant from, Instant to) const;
  Result<std::vector<MeetingRecord>> meetings(Instant from, Instant to) const;

  // Exactly-once import: a batch id is recorded in the same transaction as its records.
  Result<bool> batch_imported(const std::string& batch_id) const;
  // Runs fn inside one transaction that also records batch_id and marks the days it touched as
  // needing their rollups rebuilt. Either all of it lands or none of it (a crash at any point).
  Status import_batch(const std::string& batch_id, const std::function<Status(Store&)>& fn);
  // The same for several batches in one transaction (fn gets the index of the batch to add);
  // batches already imported are skipped. One commit per group keeps imports fast.
  Status import_batches(const std::vector<std::string>& batch_ids,
                        const std::function<Status(Store&, std::size_t)>& fn);
  // Rebuilds the rollups of every day marked by import_batch (once per import, not per batch).
  // Only days between 2000-01-01 and two days past time(2) are rebuilt (base/plausible.hpp): an
  // implausible row already in the store cannot make the rebuild fail and so stop an unlock.
  Status rebuild_dirty_rollups();

  // --- corrections of the collected activity (marks.cpp) -------------------------------------
  // Checks the mark (check_mark), splits the spans that straddle its edges, re-assigns the spans
  // inside, keeps the mark and rebuilds the rollups of the days it touches: one transaction, so a
  // crash leaves the old record or the new one. A refused mark changes nothing.
  Result<MarkCounts> mark_activity(const ActivityMark& m, Instant now);
  Result<std::vector<ActivityMark>> activity_marks() const;  // oldest first

  // --- the employee's own words --------------------------------------------------------------
  Result<std::int64_t> add_contribution(const Contribution& c);
  Status update_contribution(const Contribution& c);  // by c.id
  Status delete_contribution(std::int64_t id);
  Result<std::vector<Contribution>> contributions(Instant from, Instant to) const;
  Result<Contribution> contribution(std::int64_t id) const;
  Status add_outcome(const Outcome& o);
  Result<std::vector<Outcome>> outcomes(std::int64_t contribution_id) const;
  Result<std::vector<Outcome>> all_outcomes() const;

  Result<std::int64_t> add_goal(const GoalRevision& first, Instant created);
  Status revise_goal(std::int64_t goal_id, const GoalRevision& revision);
  Result<std::vector<Goal>> goals() const;

  Status put_reflection(const Reflection& r);
  Result<std::optional<Reflection>> reflection(const std::string& week) const;
  Result<std::vector<Reflection>> reflections() const;

  // --- consent and data deletion ----------------------------------------------------------
  Status log_consent(const ConsentEvent& e);
  Result<std::vector<ConsentEvent>> consent_log() const;
  // Deletes raw activity spans that ended before `cutoff` (retention), and the activity marks that
  // ended before it; day rollups stay.
  Result<std::int64_t> prune_spans_before(Instant cutoff);
  // Deletes a source's records (activity spans, titles only, commits, meetings) and logs it.
  Status delete_source_data(records::Source source, Instant now);

  // --- rollups ------------------------------------------------------------------------------
  // Recomputes the rollups of the local days [from_day, to_day] from the records.
  Status rebuild_rollups(std::int64_t from_day, std::int64_t to_day);
  Result<std::vector<DayRollup>> rollups(std::int64_t from_day, std::int64_t to_day) const;

  // --- privacy ledger and sharing (sync/ owns their meaning) ------------------------------
  Result<std::vector<LedgerRow>> ledger_rows() const;
  // Appends one row; Errc::exists unless row.seq equals the number of rows (no gaps, no rewrites).
  Status append_ledger_row(const LedgerRow& row);
  Status put_shared_report(const SharedReport& r);  // insert or replace by report_id
  Result<std::vector<SharedReport>> shared_reports() const;
  Result<std::optional<SharedReport>> shared_report(const std::string& report_id) const;
  Status put_plan(const PlanRow& p);  // insert or replace by plan_id
  Result<std::vector<PlanRow>> plans() const;

  // --- settings (non-secret preferences kept encrypted with the record) -------------------
  Status set_setting(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> setting(const std::string& key) const;

  // Reads and authenticates every page of every table and index (PRAGMA integrity_check):
  // Errc::corrupt names the first problem. Slow on big stores; for `cairn verify`.
  Status verify() const;
  // Implausible rows relative to `now` (see ImplausibleRows); removing them also drops the day
  // rollups outside the plausible window, rebuilds the others and logs the repair in the consent
  // log (source "store", action "repair"), all in one transaction.
  Result<ImplausibleRows> implausible_rows(Instant now) const;
  Result<ImplausibleRows> remove_implausible_rows(Instant now);

  // --- counts and export --------------------------------------------------------------------
  struct Counts { std::int64_t spans, commits, meetings, contributions, goals, reflections; };
  Result<Counts> counts() const;
  // Everything in the record as one JSON document (the employee's explicit export).
  Result<std::string> export_json() const;

  // For code in this folder that extends the schema (ledger, shared reports): the raw handle.
  struct Impl;
  Impl& impl() { return *impl_; }
  const Impl& impl() const { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  Status mark_rollups_dirty(std::int64_t from_day, std::int64_t to_day);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::store

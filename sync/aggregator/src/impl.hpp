// The aggregator's private state shared by its source files.
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/sql/sql.hpp"
#include "forward_batch.hpp"
#include "group_commit.hpp"
#include "prep.hpp"

namespace cairn::aggregator {

struct PendingReport;  // reports.cpp

struct Aggregator::Impl {
  std::filesystem::path dir;
  Role role = Role::leader;
  std::string org;
  crypto::SignPublicKey org_key{};
  std::optional<crypto::SignKeyPair> org_sign;  // leader only
  crypto::BoxKeyPair box;
  std::function<std::int64_t()> clock;  // the report window's; nullptr: the system's
  std::function<void(const std::string&)> log;  // serve's event lines (set_log); nullptr: none
  std::mutex mu;  // guards db and link
  sql::Db db;
  std::unique_ptr<HelperLink> link;
  // Published plans never change (a new version is a new id), so each is parsed and its signature
  // verified once, not on every report.
  std::map<std::string, wire::Plan> published_plans;
  // The same plans with their Prio3 instance and verify key (prep.hpp). Guarded by prep_mu as well
  // as mu, so the per-report work on the request threads finds its plan without waiting for a
  // batch's transaction (which holds mu).
  std::mutex prep_mu;
  std::map<std::string, std::shared_ptr<const PlanPrep>> plan_preps;
  // The key that authenticates forwarded batches (forward_batch.hpp), derived on first use;
  // shared so a batch in flight keeps its key when configure() replaces it.
  std::shared_ptr<const crypto::SecretBytes> link_key;
  // Leader: reports waiting to be checked, forwarded to the helper and stored, in batches. Two in
  // flight: the leader checks the next batch while the helper works on one (aggregator_bench: more
  // made batches smaller and cost more CPU per report).
  GroupCommit<PendingReport> forwards{kMaxForwardReports, kMaxBodyBytes - kForwardHeaderBytes, 2};
};

// Reports the leader asks the helper to give back per /v1/helper/recover call: an envelope is at
// most 64 KiB, so an answer stays well under the link's 16 MiB cap.
inline constexpr std::size_t kMaxRecoverReports = 64;

// Helpers used across files. All take the lock themselves unless named *_locked.
Response json_response(int status, const nlohmann::json& body);
Response error_response(int status, const std::string& message);
int status_for_parse(const Error& e);  // 413 for Errc::too_large, else 400
Result<std::string> config_get_locked(sql::Db& db, const std::string& key);  // Errc::not_found when unset
Status config_set_locked(sql::Db& db, const std::string& key, const std::string& value);
// The leader signs every call to the helper (a forwarded batch of reports is one call): "cairn-leader-v1\n" || path || "\n" || body.
std::string org_sign_request(const crypto::SignKeyPair& org, const std::string& path, const std::string& body);
bool org_verify_request(const crypto::SignPublicKey& org, const std::string& path, const std::string& body,
                        const std::string& signature_b64);
HelperLink* helper_link_locked(Aggregator::Impl& impl);  // nullptr when no helper configured
// The leader-to-helper link key: the leader's from the configured helper key, the helper's from the
// leader key of its registered plans. Errc::not_found while that key is not known yet.
Result<std::shared_ptr<const crypto::SecretBytes>> link_key_locked(Aggregator::Impl& impl);
std::int64_t now_seconds();
inline std::int64_t now_of(const Aggregator::Impl& impl) { return impl.clock ? impl.clock() : now_seconds(); }

// A published plan by id (cached); nullopt when unknown or not yet published. Lock held.
Result<std::optional<wire::Plan>> published_plan_locked(Aggregator::Impl& impl, const std::string& plan_id);
// The same plan with its Prio3 instance and verify key; nullptr when unknown or not published.
Result<std::shared_ptr<const PlanPrep>> plan_prep_locked(Aggregator::Impl& impl, const std::string& plan_id);
// The cached one only (takes prep_mu, not mu); nullptr when not cached yet.
std::shared_ptr<const PlanPrep> cached_plan_prep(Aggregator::Impl& impl, const std::string& plan_id);

// One event line to serve's log (Impl::log), if any: counts, plans and periods only.
inline void log_event(const Aggregator::Impl& impl, const std::string& line) {
  if (impl.log) impl.log(line);
}

// The released periods of a plan (or just `period`), annotated (annotate_release), oldest first.
Result<std::vector<Release>> released_periods_locked(Aggregator::Impl& impl, const std::string& plan_id,
                                                     const std::optional<std::string>& period);

// Routes (ingest.cpp, release.cpp, results.cpp).
Response handle_results(Aggregator::Impl& impl, const Request& r);         // leader: team results for a device
Response handle_enroll(Aggregator::Impl& impl, const Request& r);
Response handle_plans(Aggregator::Impl& impl, const Request& r);
Response handle_report(Aggregator::Impl& impl, const Request& r);          // leader (reports.cpp)
Response handle_helper_reports(Aggregator::Impl& impl, const Request& r);  // helper (reports.cpp)
Response handle_helper_plan(Aggregator::Impl& impl, const Request& r);    // helper
Response handle_helper_close(Aggregator::Impl& impl, const Request& r);      // helper (release.cpp)
Response handle_helper_aggregate(Aggregator::Impl& impl, const Request& r);  // helper
Response handle_helper_recover(Aggregator::Impl& impl, const Request& r);    // helper

// Leader, at release: the output share of a report the helper holds and the leader lacks, from the
// envelope and prep message the helper kept (checked: the device signature, plan, period and
// report id, the leader's own share opened and prepared, and the prep message against it). Stores
// it with the rest of the period's reports. Errc::refused when it does not check.
Result<crypto::Bytes> recover_report_locked(Aggregator::Impl& impl, const PlanPrep& plan, const std::string& period,
                                            const std::string& id_hex, crypto::ByteView envelope, crypto::ByteView prep);

}  // namespace cairn::aggregator

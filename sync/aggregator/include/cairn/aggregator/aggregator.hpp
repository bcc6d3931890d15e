// cairn-aggregator's core: one program, two roles (docs/sharing.md, "Aggregators").
//
//   leader  the organization: issues enrollment tokens, signs and publishes plans, accepts report
//           envelopes from devices, forwards each envelope to the helper (which can open only its
//           own share), and at the end of a period asks the helper for its aggregate share over a
//           batch both agree on (count + checksum over report ids), then combines and publishes n,
//           noisy sums, means and 95 % intervals.
//   helper  a separate party: keeps its own registry of enrolled devices (it must approve every
//           token by hash), verifies every signature, accepts one report per device and period,
//           witnesses that each device's ledger chain never goes backwards, and refuses batches
//           below k.
//
// State lives in an SQLCipher database in the aggregator's directory, keyed by a random key file
// created at init (docs/sharing.md says why). handle() is the HTTP surface without HTTP: the
// server (http.hpp) only adapts requests to it, and tests call it directly. A rejected request
// changes nothing: every check runs before the one transaction that records a report.
//
// Thread safety: an Aggregator may be shared by the server's threads; handle() and the admin
// calls serialise their database access internally. Signature checks and share opening run
// outside the lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/preview.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::aggregator {

enum class Role { leader, helper };
const char* role_name(Role r);

inline constexpr std::size_t kMaxBodyBytes = 128 * 1024;
inline constexpr const char* kOrgSignatureHeader = "X-Cairn-Org-Signature";

struct Request {
  std::string method;  // "GET" | "POST"
  std::string path;    // "/v1/reports"
  std::string body;
  std::string org_signature;  // the X-Cairn-Org-Signature header (leader -> helper calls)
  std::string team;           // ?team= on GET /v1/plans
};
struct Response {
  int status = 200;
  std::string body;  // JSON; errors are {"error": "<one line>"}
};

// How the leader reaches the helper. The HTTP one is in http.hpp; tests connect two Aggregators
// in-process.
class HelperLink {
 public:
  virtual ~HelperLink() = default;
  virtual Response post(const std::string& path, const std::string& body, const std::string& org_signature) = 0;
};

struct InitOptions {
  Role role = Role::leader;
  std::string org;            // leader: the organization's display name
  std::string org_key;        // helper: the organization's public signing key (base64)
  std::string url;            // this aggregator's URL as devices reach it (may be set later)
};

struct Info {
  Role role = Role::leader;
  std::string org;
  crypto::SignPublicKey org_key{};
  crypto::BoxPublicKey box_key{};
  std::string url;
  std::string helper_url;
  std::optional<crypto::BoxPublicKey> helper_box_key;
};

struct PlanRequest {
  std::string id;
  std::string team;
  std::string purpose;
  std::string cadence = "month";
  std::uint32_t k = 10;
  dp::Budget budget;
  std::vector<std::string> metrics;
  std::uint32_t expected_reports = 0;  // for the preview; 0 = k
};

struct CoordinateResult {
  std::string metric, coordinate, unit;
  double noisy_sum = 0;       // in units
  double mean = 0;            // noisy_sum / n
  double noise_variance = 0;  // of the sum, encoded units^2: 2 sigma^2 (one layer per aggregator)
  double se = 0;              // of the mean, in units
  double lo = 0, hi = 0;      // 95 % interval of the mean
  // Filled when results are read (annotate_release), never stored: the metric's clip range from
  // the catalog, the preview's verdict for this interval, and whether the mean fell outside the
  // range (possible: the noise is unbounded). The clamped mean is post-processing of the released
  // figure (no privacy cost); the mean itself is never changed.
  double clip_lo = 0, clip_hi = 0;
  dp::Verdict verdict = dp::Verdict::too_noisy;
  std::string verdict_sentence;  // "too noisy to be useful: ±1255 hours per week at 95%"
  bool out_of_range = false;
  double clamped_mean = 0;
};
struct Release {
  std::string plan_id, team, period;
  std::uint32_t n = 0;
  std::uint32_t k = 0;
  std::uint32_t dropped = 0;  // reports one aggregator lacked at release, dropped from both (logged)
  std::vector<CoordinateResult> values;  // empty when nothing was released
};

class Aggregator {
 public:
  // Creates dir (0700), the key file (0600) and the state; Errc::exists when already initialised.
  static Status init(const std::filesystem::path& dir, const InitOptions& options, std::int64_t now);
  static Result<std::unique_ptr<Aggregator>> open(const std::filesystem::path& dir);
  ~Aggregator();

  Role role() const;
  Result<Info> info();
  // Leader: its own URL, the helper's URL and X25519 key. Helper: its own URL.
  Status configure(const std::optional<std::string>& url, const std::optional<std::string>& helper_url,
                   const std::optional<std::string>& helper_box_key);
  // Leader only; without it, a link over HTTP to the configured helper URL is made on first use.
  void set_helper_link(std::unique_ptr<HelperLink> link);
  // The clock the report window is checked against (default: the system's, UTC seconds). Tests
  // fix it. Call before the aggregator is shared between threads.
  void set_clock(std::function<std::int64_t()> now);

  Response handle(const Request& request);

  // --- administration (the CLI) ---------------------------------------------------------------
  struct Token {
    std::string token;  // give to the employee
    std::string hash;   // give to the helper (token allow)
  };
  Result<std::vector<Token>> create_tokens(const std::string& team, std::uint32_t count, std::int64_t now);
  Status allow_tokens(const std::string& team, const std::vector<std::string>& hashes, std::int64_t now);

  // The utility preview of the plan `request` describes (dp::utility_preview over the catalog's
  // specs): the noise each aggregator adds and the precision of the released means.
  Result<dp::UtilityPreview> preview_plan(const PlanRequest& request, std::string* text);
  Result<wire::SignedPlan> create_plan(const PlanRequest& request, std::int64_t now);
  Status publish_plan(const std::string& plan_id);  // leader; also registers the plan with the helper

  // Closes the period for new reports at both aggregators and releases it when at least k reports
  // arrived: the helper answers every report it holds, a report only one side holds is dropped
  // from both (ids logged to stderr, count in Release::dropped), each side adds its noise layer.
  // Errc::refused below k before closing (nothing released, the period stays open); below k after
  // dropping, the period is released with no values.
  Result<Release> release(const std::string& plan_id, const std::string& period);
  Result<std::vector<Release>> results(const std::string& plan_id, const std::optional<std::string>& period);

  // The schedule `serve` runs on the leader: every period that holds reports, is not released yet
  // and ended at least `grace_seconds` before `now` (a period ends at 00:00 UTC after its last day;
  // the grace covers devices' time zones and uploads that wait for the employee's approval) is
  // released now. Below k it stays open and is tried again next time.
  struct DueRelease {
    std::string plan_id, period;
    bool released = false;
    std::string message;  // "n = 15", or why not (below k, helper unreachable)
  };
  Result<std::vector<DueRelease>> release_due(std::int64_t now, std::int64_t grace_seconds);

  // Where serve's log lines go (one per enrolment, per report accepted or refused, per release at
  // the helper): never a value, a token or a device key. Call before the aggregator is shared.
  void set_log(std::function<void(const std::string&)> log);

  // The UTC second `period` of a published plan ends (00:00 UTC after its last day); Errc::not_found
  // for an unknown plan, Errc::usage for a period that does not fit its cadence.
  Result<std::int64_t> period_end(const std::string& plan_id, const std::string& period);

  // `plan list`: every plan this aggregator holds, oldest id first.
  struct PlanSummary {
    std::string id, team, purpose, cadence;
    std::uint32_t k = 0;
    bool published = false;
    std::vector<std::string> released;  // periods released (with or without values)
  };
  Result<std::vector<PlanSummary>> list_plans();

  // `status`: counts only, never values or device identities.
  struct OpenPeriod {
    std::string plan_id, period;
    std::uint32_t reports = 0;  // received and held here
    std::uint32_t k = 0;
    bool closing = false;       // closed for new reports, release not finished
    std::int64_t ends = 0;      // UTC second the period ends
  };
  struct Overview {
    std::vector<std::pair<std::string, std::uint32_t>> devices_by_team;  // enrolled, not replaced
    std::vector<OpenPeriod> open;  // periods holding reports, not released yet
  };
  Result<Overview> overview();

  // BLAKE2b over every row of every table: tests compare it before and after a refused request.
  Result<std::string> state_digest();

  struct Impl;

 private:
  explicit Aggregator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Fills each value's clip range, verdict and out-of-range flag from the catalog (see CoordinateResult).
void annotate_release(Release& release);
// The human text `results` prints by default: per period n and k, and per coordinate the mean, its
// 95 % interval, the verdict, and any mean outside the metric's range flagged with the clamped
// estimate beside it (docs/privacy.md, "Utility preview"; docs/sharing.md, "Reading results").
std::string render_results_text(const std::vector<Release>& releases);
std::string render_results_json(const std::vector<Release>& releases);
std::string render_results_csv(const std::vector<Release>& releases);

// The batch both aggregators agree on: BLAKE2b("cairn-batch-v1" || plan || period || sorted ids).
std::string batch_checksum(const std::string& plan_id, const std::string& period, std::vector<std::string> report_ids_hex);
// Whether `label` is a period of `cadence`: "2026-W47", "2026-11", "2026-Q4".
bool valid_period(const std::string& cadence, const std::string& label);

}  // namespace cairn::aggregator

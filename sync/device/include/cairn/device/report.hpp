// Device-side preparation of one report (docs/sharing.md, "A report's life"): given the plan, the
// period and the encoded values, it
//   1. checks the plan (wire::check_plan: its noise recomputed from the catalog and its budget; an
//      under-noised plan is refused) and the period's report window (wire::report_period),
//   2. clips and encodes every coordinate as clip(v) - lo in [0, range] (wire::encode_measurement),
//   3. checks the privacy ledger's cap for one aggregator layer's cost, timed at the period's end
//      (refused over the employee's cap BEFORE anything is sharded or shown), WITHOUT charging:
//      the envelope carries the head the chain will have once this report is charged,
//   4. shards with Prio3 (wire::prio3_for, randomness from the CSPRNG), seals the leader's and the
//      helper's input shares, and signs the envelope with the device key.
// The charge happens only when the employee approves (charge_report): a declined report costs
// nothing, because nothing left the device. No noise is added on the device: each aggregator adds
// its own (docs/privacy.md). Nothing here touches the network.
//
// Thread safety: not thread-safe (the Ledger is not).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::device {

// What the organisation will see of one metric: both aggregators' noise on the released sum.
struct MetricNoise {
  std::string metric, unit;
  dp::Rational sigma2_per_layer;  // encoded units^2, what each aggregator adds
  double sum_sd_units = 0;        // sqrt(2 sigma^2) / scale: the noise on the team's released sum
  double mean_se_units = 0;       // sum_sd_units / n for the plan's smallest group (n = k)
};

struct PreparedReport {
  std::string report_id;                  // hex
  crypto::Bytes envelope;                 // the exact bytes that will leave
  std::vector<std::int64_t> values;       // clipped and encoded (encoded units), exactly what is shared
  std::vector<std::uint64_t> measurement; // values - lo per coordinate: the Prio3 measurement
  std::vector<MetricNoise> noise;         // per metric
  dp::ReleaseCost cost;                   // one layer, one release: what approving will charge
  std::int64_t charged_at = 0;            // the ledger entry's time once approved: the period's end
  double epsilon_release = 0;             // this release alone at the cap's delta
  double spent_after = 0;                 // the employee's rolling-year spend if approved now
  double cap_epsilon = 0;
  dp::ChainHead ledger;                   // carried in the envelope: the chain once this is charged
};

// Errc::refused for a plan or period the device will not report for, or a report that would pass
// the cap; Errc::internal when values do not match the plan's coordinates. The ledger is never
// changed here.
Result<PreparedReport> prepare_report(const wire::Plan& plan, const std::string& period,
                                      std::span<const std::int64_t> encoded_values, const dp::Ledger& ledger,
                                      const crypto::SignKeyPair& device, std::int64_t now);

// The approval's charge. Appends the report's ledger entry (the plan's one-layer cost, at
// `charged_at` or the chain's last time if later; Errc::refused over the cap, nothing appended)
// unless the ledger already holds (plan, period) — a report prepared before charges moved to
// approval, or an approval retried after its charge — and returns the envelope carrying the
// chain's head through that entry: the prepared bytes when the chain did not move since, else the
// same sealed shares with the new head, signed again by the device.
struct ChargedReport {
  crypto::Bytes envelope;
  dp::LedgerEntry entry;
  bool charged_now = false;  // false: the entry was already there
  bool resigned = false;     // the head changed, so did the signature
};
Result<ChargedReport> charge_report(const wire::Plan& plan, const std::string& period, crypto::ByteView envelope,
                                    dp::Ledger& ledger, const crypto::SignKeyPair& device, std::int64_t charged_at);

}  // namespace cairn::device

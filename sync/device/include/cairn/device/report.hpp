// Device-side preparation of one report (docs/sharing.md, "A report's life"): given the plan, the
// period and the clipped, encoded values, it
//   1. recomputes the plan's calibration (wire::check_plan_calibration) from the catalog's metric specs and the plan's budget and
//      refuses a plan whose stated noise differs (an organization cannot under-noise a plan),
//   2. charges the privacy ledger (refused over the employee's cap, BEFORE any noise is drawn),
//   3. adds Skellam noise Sk(mu/k) to every coordinate, sampled exactly,
//   4. splits the noisy vector into two additive shares, seals each to its aggregator with the
//      report's context inside, and signs the envelope with the device key.
// The result is held for the employee's approval; nothing here touches the network.
//
// Thread safety: not thread-safe (the Ledger and the RandomSource are not).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/calibration.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/dp/random.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/plan_check.hpp"

namespace cairn::device {

struct PreparedReport {
  std::string report_id;             // hex
  crypto::Bytes envelope;            // the exact bytes that will leave
  std::vector<std::int64_t> values;  // clipped and encoded, before noise
  std::vector<std::int64_t> noise;   // what was added per coordinate
  dp::ReleaseCost cost;
  double epsilon_release = 0;        // this release alone at the cap's delta
  double spent_after = 0;            // the employee's rolling-year spend including this release
  double cap_epsilon = 0;
  dp::ChainHead ledger;              // carried in the envelope
};

Result<PreparedReport> prepare_report(const wire::Plan& plan, std::span<const dp::MetricSpec> specs, const std::string& period,
                                      std::span<const std::int64_t> encoded_values, dp::Ledger& ledger,
                                      const crypto::SignKeyPair& device, std::int64_t now, dp::RandomSource& rng);

}  // namespace cairn::device

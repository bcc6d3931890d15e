// The one place that turns a plan into its Prio3 instance and encoding (PRIO3_SPEC, docs/formats.md
// "Prio3 parameters"), used by the device to shard and by both aggregators to prepare and decode.
//
// Variant: Prio3SumVecWithMultiproof over Field64 with 3 proofs (docs/vdaf.md: about half the
// size and twice the speed of SumVec over Field128, with soundness from three proofs), length =
// the plan's coordinates, max_measurement = the largest encoded clip range of its metrics,
// chunk_length = Prio3::suggested_chunk_length(length * bits).
//
// Encoding: coordinate j of metric m carries clip(value) - lo_m in encoded integers, in
// [0, range_m]. Prio3 proves only [0, max_measurement] for every coordinate, so a cheating device
// can move one coordinate of a metric with a smaller range by up to max_measurement; an honest
// device clips to range_m, which is what the DP sensitivity uses (docs/sharing.md, "Validity").
// A released sum is decoded from the field by the centred lift and shifted back by n * lo_m.
//
// Thread safety: pure functions; a Prio3Scheme is immutable and may be shared.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/metric_spec.hpp"
#include "cairn/vdaf/prio3.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::wire {

inline constexpr std::size_t kPrio3Proofs = 3;

struct Prio3Scheme {
  vdaf::Prio3 vdaf;
  std::size_t length = 0;            // coordinates
  std::uint64_t max_measurement = 0;  // max over metrics of the encoded range
  std::size_t chunk_length = 0;
  std::vector<dp::MetricSpec> specs;  // the catalog's specs of plan.metrics, same order
  std::vector<std::int64_t> lo;       // per coordinate: the metric's encoded_lo()
  std::vector<std::uint64_t> range;   // per coordinate: the metric's encoded_range()
};

// Errc::refused (one line) for a metric not in this build's catalog or encoded differently from
// it (scale, coordinates); Errc::usage for a plan whose reports would not fit the envelope.
Result<Prio3Scheme> prio3_for(const Plan& plan);

// Device: clip each encoded value to its metric's range and shift it to [0, range]. REQUIRES
// encoded.size() == scheme.length.
std::vector<std::uint64_t> encode_measurement(const Prio3Scheme& scheme, std::span<const std::int64_t> encoded);

// Device: Prio3 shard of `measurement` (from encode_measurement) for the report `ctx` (nonce =
// report id, application context = prio3_context(plan, period)), with rand drawn from libsodium's
// CSPRNG through cairn_crypto. Errc::usage for a measurement out of [0, max_measurement].
// REQUIRES crypto::init() succeeded.
Result<Prio3Shares> shard(const Prio3Scheme& scheme, const ReportContext& ctx, std::span<const std::uint64_t> measurement);

// Collector: a sum of n measurements (plus noise) as field residues, decoded by the centred lift
// (residues above p/2 are negative) and shifted back by n * lo. In encoded units. REQUIRES
// sum.size() == scheme.length and every residue < p (Field64).
std::vector<std::int64_t> decode_sum(const Prio3Scheme& scheme, std::span<const std::uint64_t> field_sum, std::uint64_t n);

}  // namespace cairn::wire

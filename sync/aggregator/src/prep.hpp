// Prio3 on the aggregators: a published plan's Prio3 instance and verify key (cached), the
// aggregation of stored output shares and each aggregator's noise layer on its aggregate share
// (docs/sharing.md, "Validity" and "Noise at each aggregator").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/prio3_plan.hpp"

namespace cairn::aggregator {

inline constexpr std::size_t kVerifyKeyBytes = 32;  // = vdaf::Prio3::kVerifyKeySize

// A published plan with what preparation needs. Immutable once made; shared by batches in flight.
struct PlanPrep {
  wire::Plan plan;
  wire::Prio3Scheme scheme;
  crypto::Bytes verify_key;  // secret from devices; never leaves the two aggregators
};

// Field64 arithmetic on encoded aggregate shares (8 bytes little-endian per element).
inline constexpr std::uint64_t kField64Modulus = 0xFFFFFFFF00000001ull;
std::vector<std::uint64_t> field_words(const crypto::Bytes& encoded);
crypto::Bytes field_bytes(const std::vector<std::uint64_t>& words);
std::uint64_t field_add(std::uint64_t a, std::uint64_t b);
std::uint64_t field_from_signed(std::int64_t z);

// Sums encoded Field64 output shares (all of scheme.length entries). Errc::corrupt when one does
// not decode.
Result<std::vector<std::uint64_t>> sum_out_shares(const wire::Prio3Scheme& scheme, const std::vector<crypto::Bytes>& shares);

// This aggregator's noise layer: adds N_Z(0, sigma2_m) (dp::DiscreteGaussianSampler, libsodium
// randomness) to every coordinate of metric m, as a field element. Errc::refused when a sigma2
// cannot be sampled.
Status add_noise_layer(const wire::Plan& plan, std::vector<std::uint64_t>& agg);

// The helper's refusal of a plan whose noise is below what its budget needs, or cannot be sampled.
Status check_plan_noise(const wire::Plan& plan);

}  // namespace cairn::aggregator

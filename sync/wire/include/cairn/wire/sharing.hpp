// VERSION 1, TO BE DELETED: kept only so sync/aggregator (P2's, still on the v1 release path)
// compiles until it moves to Prio3 aggregation. Nothing on the device or in the wire formats uses
// it any more (reports are Prio3: envelope.hpp, prio3_plan.hpp).
//
// Additive secret sharing of a noisy integer vector y over Z/2^64 (docs/sharing.md, "Shares").
// The helper gets a 32-byte seed s; the leader gets y - PRG(s) mod 2^64, where PRG is
// crypto_stream_xchacha20 under key s and a fixed nonce. Each share alone is uniformly random:
// the seed is 32 fresh random bytes, and y - PRG(s) is y masked by a keystream the leader cannot
// compute without s. Sums of shares from many devices are added coordinate-wise mod 2^64 and the
// total decoded by the centred lift into [-2^63, 2^63).
//
// Thread safety: pure functions (split draws from libsodium's CSPRNG, which is thread-safe).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace cairn::wire {

inline constexpr std::size_t kSeedBytes = 32;
using Seed = std::array<std::uint8_t, kSeedBytes>;

struct Split {
  std::vector<std::uint64_t> leader;  // y - PRG(seed) mod 2^64
  Seed helper{};                      // the seed
};

// REQUIRES crypto::init() succeeded.
Split split(std::span<const std::int64_t> y);
// PRG(seed) as n words (little-endian u64 of the keystream).
std::vector<std::uint64_t> expand_seed(const Seed& seed, std::size_t n);
// acc += add (mod 2^64), coordinate-wise. REQUIRES equal sizes.
void add_into(std::vector<std::uint64_t>& acc, std::span<const std::uint64_t> add);
// Interprets a residue mod 2^64 as the integer in [-2^63, 2^63) congruent to it.
std::int64_t centred_lift(std::uint64_t v);
// Leader total + helper total, decoded.
std::vector<std::int64_t> combine(std::span<const std::uint64_t> leader_sum, std::span<const std::uint64_t> helper_sum);

}  // namespace cairn::wire

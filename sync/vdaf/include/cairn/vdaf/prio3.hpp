// Prio3 (draft-irtf-cfrg-vdaf-20 §7) with XofTurboShake128 and the generic BBCGGI19 FLP: a client
// splits a measurement into shares for two (or more) aggregators together with a zero-knowledge
// proof of validity; the aggregators check the proof jointly without learning the measurement and
// add up output shares; the collector adds the aggregate shares.
//
// Variants (algorithm ids as in the draft):
//   Prio3Count                 id 1           Field64   measurement 0 or 1
//   Prio3Sum(max)              id 2           Field64   measurement in [0, max]
//   Prio3SumVec(len,max,chunk) id 3           Field128  `len` entries each in [0, max]
//   Prio3Histogram(len,chunk)  id 4           Field128  one bucket index in [0, len)
//   Prio3SumVecWithMultiproof  id 0xFFFFFFFF  Field64 or Field128, num_proofs in [1, 255]
//
// Flow for one report (SHARES = 2: aggregator 0 is the leader, 1 the helper):
//   client:      shard(ctx, measurement, nonce, rand)           -> public share, input shares
//   aggregator:  prep_init(verify_key, ctx, id, nonce, public share, its input share)
//                                                               -> prep state, prep share
//   either one:  prep_shares_to_prep(ctx, all prep shares)      -> prep message (fails when the
//                                                                  proof does not verify)
//   aggregator:  prep_next(ctx, prep state, prep message)       -> output share (fails when the
//                                                                  joint randomness disagrees)
//   aggregator:  aggregate(out shares) / merge(agg shares)      -> aggregate share
//   collector:   unshard(aggregate shares, number of reports)   -> the sums
//
// Every message crossing the wire is passed as its encoding (std::vector<uint8_t>), exactly as the
// draft encodes it; the decoders check lengths exactly and reject field elements >= p, returning
// Errc::corrupt for hostile bytes (never aborting, never reading out of bounds). Sizes are fixed by
// the parameters (see the *_size() accessors); docs/vdaf.md lists them.
//
// Preconditions (violations return Errc::usage): nonce of kNonceSize bytes, rand of rand_size()
// bytes (uniformly random, from the caller's CSPRNG), verify_key of kVerifyKeySize bytes shared by
// the aggregators and secret from clients, agg_id < shares(), ctx < 65536 - 8 bytes.
//
// Thread safety: a Prio3 object is immutable after construction; every method is const and
// re-entrant, so one object may be shared by any number of threads. PrepState is a plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::vdaf {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

enum class FieldId { f64, f128 };

struct PrivateAccess;

struct ShardResult {
  Bytes public_share;               // joint randomness parts (empty for Count and Sum)
  std::vector<Bytes> input_shares;  // [0] leader (explicit shares), [1..] helpers (seeds)
};

// What an aggregator keeps between prep_init and prep_next.
struct PrepState {
  Bytes out_share;                       // encoded output share
  std::optional<Bytes> corrected_seed;   // the joint randomness seed it derived, if any
};

struct PrepInitResult {
  PrepState state;
  Bytes prep_share;  // verifier shares || joint randomness part
};

class Prio3 {
 public:
  static constexpr std::size_t kSeedSize = 32;
  static constexpr std::size_t kNonceSize = 16;
  static constexpr std::size_t kVerifyKeySize = 32;
  static constexpr std::uint32_t kIdCount = 1, kIdSum = 2, kIdSumVec = 3, kIdHistogram = 4,
                                 kIdSumVecWithMultiproof = 0xFFFFFFFF;

  // Factories; Errc::usage when a parameter is out of range (zero lengths, max_measurement of 0
  // or too large for the field, num_proofs of 0, shares outside [2, 255], ...).
  static Result<Prio3> count(std::size_t shares = 2);
  static Result<Prio3> sum(std::uint64_t max_measurement, std::size_t shares = 2);
  static Result<Prio3> sum_vec(std::size_t length, std::uint64_t max_measurement, std::size_t chunk_length,
                               std::size_t shares = 2);
  static Result<Prio3> histogram(std::size_t length, std::size_t chunk_length, std::size_t shares = 2);
  static Result<Prio3> sum_vec_multiproof(FieldId field, std::size_t num_proofs, std::size_t length,
                                          std::uint64_t max_measurement, std::size_t chunk_length,
                                          std::size_t shares = 2);
  // A good chunk length for a vector circuit of `measurement_len` 0/1 entries: ≈ sqrt of it.
  static std::size_t suggested_chunk_length(std::size_t measurement_len);

  Prio3(const Prio3&);
  Prio3(Prio3&&) noexcept;
  Prio3& operator=(const Prio3&);
  Prio3& operator=(Prio3&&) noexcept;
  ~Prio3();

  // Client. `measurement`: one value for Count/Sum/Histogram (the bucket index), `length` values for
  // SumVec. Errc::usage for a measurement out of range or of the wrong length.
  Result<ShardResult> shard(ByteView ctx, std::span<const std::uint64_t> measurement, ByteView nonce,
                            ByteView rand) const;

  // Aggregator `agg_id`. Errc::corrupt when the public or input share does not decode; Errc::refused
  // when the query point is degenerate (the draft's "test point is a root of unity").
  Result<PrepInitResult> prep_init(ByteView verify_key, ByteView ctx, std::size_t agg_id, ByteView nonce,
                                   ByteView public_share, ByteView input_share) const;
  // Combines one prep share per aggregator, in aggregator order. Errc::corrupt for shares that do
  // not decode; Errc::refused when a proof does not verify (the report is invalid).
  Result<Bytes> prep_shares_to_prep(ByteView ctx, std::span<const Bytes> prep_shares) const;
  // Errc::corrupt for a message that does not decode; Errc::refused when the joint randomness check
  // fails. On success, the encoded output share.
  Result<Bytes> prep_next(ByteView ctx, const PrepState& state, ByteView prep_msg) const;

  // Sums encoded output shares (or aggregate shares, which share the encoding). Errc::corrupt if
  // one does not decode.
  Result<Bytes> aggregate(std::span<const Bytes> out_shares) const;
  // Collector: the aggregate result, one integer per output entry. Errc::corrupt for shares that do
  // not decode; Errc::too_large if an entry does not fit 64 bits.
  Result<std::vector<std::uint64_t>> unshard(std::span<const Bytes> agg_shares,
                                             std::uint64_t num_measurements) const;

  // Parameters and sizes.
  std::uint32_t algorithm_id() const;
  FieldId field() const;
  std::size_t shares() const;
  std::size_t num_proofs() const;
  std::size_t rand_size() const;
  std::size_t public_share_size() const;
  std::size_t input_share_size(std::size_t agg_id) const;
  std::size_t prep_share_size() const;
  std::size_t prep_message_size() const;
  std::size_t out_share_size() const;  // also the aggregate share size
  std::size_t output_len() const;      // entries of the aggregate result
  bool uses_joint_rand() const;

  struct Impl;

 private:
  friend struct PrivateAccess;  // src/private_access.hpp, for the tests' malicious client
  explicit Prio3(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::vdaf

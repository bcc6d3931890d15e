// Prio3's algorithms for one field (private to cairn_vdaf): the draft's shard, prep_init,
// prep_shares_to_prep, prep_next and the XOF derivations they share (draft-irtf-cfrg-vdaf-20 §7.2).
// prio3.cpp checks sizes and preconditions before calling in, and instantiates this for Field64
// and Field128.
#pragma once

#include <array>
#include <cstring>
#include <vector>

#include "cairn/vdaf/prio3.hpp"
#include "cairn/vdaf/xof.hpp"
#include "flp.hpp"

namespace cairn::vdaf {

// Document version in the domain separation tag (VERSION in the draft).
inline constexpr std::uint8_t kDraftVersion = 18;

struct Prio3::Impl {
  detail::CircuitSpec spec;
  FieldId field = FieldId::f128;
  std::uint32_t id = 0;
  std::size_t shares = 2;
  std::size_t proofs = 1;
  bool jr() const { return spec.joint_rand_len > 0; }
};

namespace detail {

enum Usage : std::uint16_t {
  kUsageMeasShare = 1,
  kUsageProofShare = 2,
  kUsageJointRandomness = 3,
  kUsageProveRandomness = 4,
  kUsageQueryRandomness = 5,
  kUsageJointRandSeed = 6,
  kUsageJointRandPart = 7,
};

using Seed = std::array<std::uint8_t, 32>;

template <class F>
class Core {
 public:
  Core(const Prio3::Impl& impl, ByteView ctx) : I(impl), s(impl.spec), ctx_(ctx) {}

  std::size_t fsize() const { return F::kEncodedSize; }

  XofTurboShake128 xof(ByteView seed, std::uint16_t usage) const {
    std::uint8_t dst[8] = {kDraftVersion, 0,
                           static_cast<std::uint8_t>(I.id >> 24), static_cast<std::uint8_t>(I.id >> 16),
                           static_cast<std::uint8_t>(I.id >> 8), static_cast<std::uint8_t>(I.id),
                           static_cast<std::uint8_t>(usage >> 8), static_cast<std::uint8_t>(usage)};
    return XofTurboShake128(seed, dst, ctx_);
  }

  void helper_meas_share(std::size_t agg_id, ByteView k_share, F* out) const {
    auto x = xof(k_share, kUsageMeasShare);
    const std::uint8_t b[1] = {static_cast<std::uint8_t>(agg_id)};
    x.binder(b);
    x.next_vec(out, s.meas_len);
  }
  void helper_proofs_share(std::size_t agg_id, ByteView k_share, F* out) const {
    auto x = xof(k_share, kUsageProofShare);
    const std::uint8_t b[2] = {static_cast<std::uint8_t>(I.proofs), static_cast<std::uint8_t>(agg_id)};
    x.binder(b);
    x.next_vec(out, s.proof_len() * I.proofs);
  }
  void prove_rands(ByteView k_prove, F* out) const {
    auto x = xof(k_prove, kUsageProveRandomness);
    const std::uint8_t b[1] = {static_cast<std::uint8_t>(I.proofs)};
    x.binder(b);
    x.next_vec(out, s.prove_rand_len() * I.proofs);
  }
  void query_rands(ByteView verify_key, ByteView nonce, F* out) const {
    auto x = xof(verify_key, kUsageQueryRandomness);
    const std::uint8_t b[1] = {static_cast<std::uint8_t>(I.proofs)};
    x.binder(b);
    x.binder(nonce);
    x.next_vec(out, s.query_rand_len() * I.proofs);
  }
  Seed joint_rand_part(std::size_t agg_id, ByteView k_blind, const F* meas_share, ByteView nonce) const {
    auto x = xof(k_blind, kUsageJointRandPart);
    const std::uint8_t b[1] = {static_cast<std::uint8_t>(agg_id)};
    x.binder(b);
    x.binder(nonce);
    std::uint8_t buf[F::kEncodedSize * 64];
    for (std::size_t i = 0; i < s.meas_len;) {
      std::size_t n = 0;
      for (; n < 64 && i < s.meas_len; ++n, ++i) meas_share[i].encode(buf + n * F::kEncodedSize);
      x.binder(ByteView(buf, n * F::kEncodedSize));
    }
    Seed out;
    x.next(out.data(), out.size());
    return out;
  }
  // parts: SHARES seeds concatenated.
  Seed joint_rand_seed(ByteView parts) const {
    const Seed zeros{};
    auto x = xof(zeros, kUsageJointRandSeed);
    x.binder(parts);
    Seed out;
    x.next(out.data(), out.size());
    return out;
  }
  void joint_rands(ByteView seed, F* out) const {
    auto x = xof(seed, kUsageJointRandomness);
    const std::uint8_t b[1] = {static_cast<std::uint8_t>(I.proofs)};
    x.binder(b);
    x.next_vec(out, s.joint_rand_len * I.proofs);
  }

  // Measurement encoding, already range-checked by the caller.
  void encode_measurement(std::span<const std::uint64_t> m, F* out) const {
    auto weighted_bits = [&](std::uint64_t val, F* o) {
      std::uint64_t rest_max = (std::uint64_t{1} << (s.bits - 1)) - 1;
      // Branch-free choice between the plain encoding and the one using the last weight.
      std::uint64_t high = detail::mask_if(val > rest_max);
      std::uint64_t v = val - (high & s.last_weight);
      for (std::size_t l = 0; l + 1 < s.bits; ++l) o[l] = F::from_u64((v >> l) & 1);
      o[s.bits - 1] = F::from_u64(high & 1);
    };
    switch (s.kind) {
      case CircuitKind::count: out[0] = F::from_u64(m[0]); break;
      case CircuitKind::sum: weighted_bits(m[0], out); break;
      case CircuitKind::sum_vec:
        for (std::size_t i = 0; i < s.length; ++i) weighted_bits(m[i], out + i * s.bits);
        break;
      case CircuitKind::histogram:
        for (std::size_t i = 0; i < s.length; ++i) out[i] = F::from_u64(i == m[0] ? 1 : 0);
        break;
    }
  }

  void truncate(const F* meas, F* out) const {
    auto decode_bits = [&](const F* b) {
      F acc = F::zero(), w = F::one(), two = F::from_u64(2);
      for (std::size_t l = 0; l + 1 < s.bits; ++l) acc += w * b[l], w *= two;
      return acc + b[s.bits - 1] * F::from_u64(s.last_weight);
    };
    switch (s.kind) {
      case CircuitKind::count:
      case CircuitKind::histogram:
        for (std::size_t i = 0; i < s.output_len; ++i) out[i] = meas[i];
        break;
      case CircuitKind::sum: out[0] = decode_bits(meas); break;
      case CircuitKind::sum_vec:
        for (std::size_t i = 0; i < s.length; ++i) out[i] = decode_bits(meas + i * s.bits);
        break;
    }
  }

  const Prio3::Impl& I;
  const CircuitSpec& s;

 private:
  ByteView ctx_;
};

template <class F>
void encode_vec(const F* v, std::size_t n, Bytes& out) {
  std::size_t at = out.size();
  out.resize(at + n * F::kEncodedSize);
  for (std::size_t i = 0; i < n; ++i) v[i].encode(out.data() + at + i * F::kEncodedSize);
}

// False when an element is >= p. `in` holds exactly n elements.
template <class F>
bool decode_vec(const std::uint8_t* in, std::size_t n, F* out) {
  for (std::size_t i = 0; i < n; ++i)
    if (!F::decode(in + i * F::kEncodedSize, &out[i])) return false;
  return true;
}

}  // namespace detail
}  // namespace cairn::vdaf

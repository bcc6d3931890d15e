// Prio3's shard / prep_init / prep_shares_to_prep / prep_next / aggregate for one field (private
// to cairn_vdaf, included by prio3.cpp only). Callers have checked every size and precondition;
// what remains to fail here is decoding field elements and the proof checks.
#pragma once

#include "prio3_core.hpp"

namespace cairn::vdaf::detail {

// Shards an already encoded measurement (meas_len elements). The tests call this directly to play
// a malicious client whose encoding is out of range.
template <class F>
ShardResult shard_encoded(const Core<F>& c, const std::vector<F>& meas, ByteView nonce, ByteView rand) {
  const auto& I = c.I;
  const auto& s = c.s;
  const std::size_t S = I.shares, P = I.proofs, ss = Prio3::kSeedSize;
  auto seed = [&](std::size_t i) { return rand.subspan(i * ss, ss); };
  const bool jr = I.jr();
  auto k_share = [&](std::size_t j) { return jr ? seed(2 * j) : seed(j); };
  auto k_blind = [&](std::size_t j) { return seed(2 * j + 1); };
  ByteView k_leader_blind = jr ? seed(2 * (S - 1)) : ByteView{};
  ByteView k_prove = jr ? seed(2 * (S - 1) + 1) : seed(S - 1);

  std::vector<F> leader_meas = meas, helper(s.meas_len);
  Bytes parts;
  if (jr) parts.resize(S * ss);
  for (std::size_t j = 0; j + 1 < S; ++j) {
    c.helper_meas_share(j + 1, k_share(j), helper.data());
    for (std::size_t i = 0; i < s.meas_len; ++i) leader_meas[i] -= helper[i];
    if (jr) {
      Seed part = c.joint_rand_part(j + 1, k_blind(j), helper.data(), nonce);
      std::memcpy(parts.data() + (j + 1) * ss, part.data(), ss);
    }
  }
  std::vector<F> joint_rands;
  if (jr) {
    Seed part = c.joint_rand_part(0, k_leader_blind, leader_meas.data(), nonce);
    std::memcpy(parts.data(), part.data(), ss);
    Seed jseed = c.joint_rand_seed(parts);
    joint_rands.resize(s.joint_rand_len * P);
    c.joint_rands(jseed, joint_rands.data());
  }
  std::vector<F> prove_rands(s.prove_rand_len() * P), proofs(s.proof_len() * P), hp(s.proof_len() * P);
  c.prove_rands(k_prove, prove_rands.data());
  for (std::size_t k = 0; k < P; ++k)
    flp_prove(s, meas.data(), prove_rands.data() + k * s.prove_rand_len(),
              jr ? joint_rands.data() + k * s.joint_rand_len : nullptr, proofs.data() + k * s.proof_len());
  for (std::size_t j = 0; j + 1 < S; ++j) {
    c.helper_proofs_share(j + 1, k_share(j), hp.data());
    for (std::size_t i = 0; i < proofs.size(); ++i) proofs[i] -= hp[i];
  }

  ShardResult out;
  out.public_share = std::move(parts);
  Bytes leader;
  leader.reserve(c.fsize() * (s.meas_len + proofs.size()) + (jr ? ss : 0));
  encode_vec(leader_meas.data(), s.meas_len, leader);
  encode_vec(proofs.data(), proofs.size(), leader);
  if (jr) leader.insert(leader.end(), k_leader_blind.begin(), k_leader_blind.end());
  out.input_shares.push_back(std::move(leader));
  for (std::size_t j = 0; j + 1 < S; ++j) {
    Bytes h(k_share(j).begin(), k_share(j).end());
    if (jr) h.insert(h.end(), k_blind(j).begin(), k_blind(j).end());
    out.input_shares.push_back(std::move(h));
  }
  return out;
}

template <class F>
ShardResult shard_impl(const Core<F>& c, std::span<const std::uint64_t> measurement, ByteView nonce,
                       ByteView rand) {
  std::vector<F> meas(c.s.meas_len);
  c.encode_measurement(measurement, meas.data());
  return shard_encoded(c, meas, nonce, rand);
}

// Sizes of public_share and input_share are already checked.
template <class F>
Result<PrepInitResult> prep_init_impl(const Core<F>& c, ByteView verify_key, std::size_t agg_id, ByteView nonce,
                                      ByteView public_share, ByteView input_share) {
  const auto& I = c.I;
  const auto& s = c.s;
  const std::size_t P = I.proofs, ss = Prio3::kSeedSize;
  const bool jr = I.jr();
  std::vector<F> meas(s.meas_len), proofs(s.proof_len() * P);
  ByteView k_blind;
  if (agg_id == 0) {
    const std::uint8_t* at = input_share.data();
    if (!decode_vec(at, meas.size(), meas.data()) ||
        !decode_vec(at + meas.size() * c.fsize(), proofs.size(), proofs.data()))
      return make_error(Errc::corrupt, "prio3: leader input share holds a value outside the field");
    if (jr) k_blind = input_share.subspan((meas.size() + proofs.size()) * c.fsize(), ss);
  } else {
    ByteView k_share = input_share.subspan(0, ss);
    c.helper_meas_share(agg_id, k_share, meas.data());
    c.helper_proofs_share(agg_id, k_share, proofs.data());
    if (jr) k_blind = input_share.subspan(ss, ss);
  }
  std::vector<F> out_share(s.output_len);
  c.truncate(meas.data(), out_share.data());

  PrepInitResult r;
  Bytes part_bytes;
  std::vector<F> joint_rands;
  if (jr) {
    Seed part = c.joint_rand_part(agg_id, k_blind, meas.data(), nonce);
    Bytes parts(public_share.begin(), public_share.end());
    std::memcpy(parts.data() + agg_id * ss, part.data(), ss);
    Seed corrected = c.joint_rand_seed(parts);
    r.state.corrected_seed = Bytes(corrected.begin(), corrected.end());
    joint_rands.resize(s.joint_rand_len * P);
    c.joint_rands(corrected, joint_rands.data());
    part_bytes.assign(part.begin(), part.end());
  }
  std::vector<F> query_rands(s.query_rand_len() * P), verifiers(s.verifier_len() * P);
  c.query_rands(verify_key, nonce, query_rands.data());
  for (std::size_t k = 0; k < P; ++k) {
    if (!flp_query(s, meas.data(), proofs.data() + k * s.proof_len(), query_rands.data() + k * s.query_rand_len(),
                   jr ? joint_rands.data() + k * s.joint_rand_len : nullptr, I.shares,
                   verifiers.data() + k * s.verifier_len()))
      return make_error(Errc::refused, "prio3: the query point is a root of unity; the report cannot be checked");
  }
  encode_vec(out_share.data(), out_share.size(), r.state.out_share);
  encode_vec(verifiers.data(), verifiers.size(), r.prep_share);
  r.prep_share.insert(r.prep_share.end(), part_bytes.begin(), part_bytes.end());
  return r;
}

// Sizes of the prep shares are already checked.
template <class F>
Result<Bytes> prep_shares_to_prep_impl(const Core<F>& c, std::span<const Bytes> prep_shares) {
  const auto& s = c.s;
  const std::size_t P = c.I.proofs, ss = Prio3::kSeedSize, vlen = s.verifier_len() * P;
  std::vector<F> sum(vlen, F::zero()), v(vlen);
  Bytes parts;
  for (const Bytes& share : prep_shares) {
    if (!decode_vec(share.data(), vlen, v.data()))
      return make_error(Errc::corrupt, "prio3: prep share holds a value outside the field");
    for (std::size_t i = 0; i < vlen; ++i) sum[i] += v[i];
    if (c.I.jr()) parts.insert(parts.end(), share.begin() + vlen * c.fsize(), share.begin() + vlen * c.fsize() + ss);
  }
  for (std::size_t k = 0; k < P; ++k)
    if (!flp_decide(s, sum.data() + k * s.verifier_len()))
      return make_error(Errc::refused, "prio3: proof verifier check failed; the report is invalid");
  if (!c.I.jr()) return Bytes{};
  Seed seed = c.joint_rand_seed(parts);
  return Bytes(seed.begin(), seed.end());
}

// Adds decoded vectors of `len` elements; each input is exactly len·ENCODED_SIZE bytes.
template <class F>
Result<Bytes> sum_vectors(std::span<const Bytes> vecs, std::size_t len) {
  std::vector<F> acc(len, F::zero()), v(len);
  for (const Bytes& b : vecs) {
    if (!decode_vec(b.data(), len, v.data()))
      return make_error(Errc::corrupt, "prio3: share holds a value outside the field");
    for (std::size_t i = 0; i < len; ++i) acc[i] += v[i];
  }
  Bytes out;
  encode_vec(acc.data(), len, out);
  return out;
}

template <class F>
Result<std::vector<u128>> unshard_impl(std::span<const Bytes> agg_shares, std::size_t len) {
  auto sum = sum_vectors<F>(agg_shares, len);
  if (!sum.ok()) return sum.error();
  std::vector<F> v(len);
  decode_vec(sum->data(), len, v.data());
  std::vector<u128> out(len);
  for (std::size_t i = 0; i < len; ++i) out[i] = v[i].to_u128();
  return out;
}

}  // namespace cairn::vdaf::detail

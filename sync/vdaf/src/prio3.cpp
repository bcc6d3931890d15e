// Prio3's public surface (cairn/vdaf/prio3.hpp): factories, sizes, precondition and length checks,
// and the dispatch to the field-specific algorithms in prio3_algo.hpp.
#include "cairn/vdaf/prio3.hpp"

#include <algorithm>
#include <cmath>

#include "prio3_algo.hpp"

namespace cairn::vdaf {

using detail::CircuitKind;
using detail::CircuitSpec;
using detail::Core;

namespace {

Error usage(const char* what) { return make_error(Errc::usage, std::string("prio3: ") + what); }
Error corrupt(const char* what) { return make_error(Errc::corrupt, std::string("prio3: ") + what); }

constexpr std::size_t kMaxCtx = 0xFFFF - 8;

// Runs f with a Core<Field64> or Core<Field128> according to the instance's field.
template <class Fn>
auto with_field(const Prio3::Impl& impl, ByteView ctx, Fn&& fn) {
  if (impl.field == FieldId::f64) return fn(Core<Field64>(impl, ctx));
  return fn(Core<Field128>(impl, ctx));
}

}  // namespace

Prio3::Prio3(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Prio3::Prio3(const Prio3& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
Prio3::Prio3(Prio3&&) noexcept = default;
Prio3& Prio3::operator=(const Prio3& o) {
  impl_ = std::make_unique<Impl>(*o.impl_);
  return *this;
}
Prio3& Prio3::operator=(Prio3&&) noexcept = default;
Prio3::~Prio3() = default;

namespace {

Result<Prio3::Impl> make_impl(CircuitSpec spec, FieldId field, std::uint32_t id, std::size_t proofs,
                              std::size_t shares) {
  if (shares < 2 || shares > 255) return usage("shares must be in [2, 255]");
  if (proofs < 1 || proofs > 255) return usage("num_proofs must be in [1, 255]");
  if (!detail::finish_spec(spec)) return usage("circuit parameters out of range");
  Prio3::Impl impl;
  impl.spec = spec;
  impl.field = field;
  impl.id = id;
  impl.proofs = proofs;
  impl.shares = shares;
  return impl;
}

}  // namespace

#define CAIRN_VDAF_MAKE(...)                                    \
  do {                                                          \
    auto impl = make_impl(__VA_ARGS__);                         \
    if (!impl.ok()) return impl.error();                        \
    return Prio3(std::make_unique<Impl>(std::move(*impl)));     \
  } while (0)

Result<Prio3> Prio3::count(std::size_t shares) {
  CircuitSpec s;
  s.kind = CircuitKind::count;
  CAIRN_VDAF_MAKE(s, FieldId::f64, kIdCount, 1, shares);
}

Result<Prio3> Prio3::sum(std::uint64_t max_measurement, std::size_t shares) {
  CircuitSpec s;
  s.kind = CircuitKind::sum;
  s.max_measurement = max_measurement;
  CAIRN_VDAF_MAKE(s, FieldId::f64, kIdSum, 1, shares);
}

Result<Prio3> Prio3::sum_vec(std::size_t length, std::uint64_t max_measurement, std::size_t chunk_length,
                             std::size_t shares) {
  CircuitSpec s;
  s.kind = CircuitKind::sum_vec;
  s.length = length, s.max_measurement = max_measurement, s.chunk_length = chunk_length;
  CAIRN_VDAF_MAKE(s, FieldId::f128, kIdSumVec, 1, shares);
}

Result<Prio3> Prio3::histogram(std::size_t length, std::size_t chunk_length, std::size_t shares) {
  CircuitSpec s;
  s.kind = CircuitKind::histogram;
  s.length = length, s.chunk_length = chunk_length;
  CAIRN_VDAF_MAKE(s, FieldId::f128, kIdHistogram, 1, shares);
}

Result<Prio3> Prio3::sum_vec_multiproof(FieldId field, std::size_t num_proofs, std::size_t length,
                                        std::uint64_t max_measurement, std::size_t chunk_length,
                                        std::size_t shares) {
  CircuitSpec s;
  s.kind = CircuitKind::sum_vec;
  s.length = length, s.max_measurement = max_measurement, s.chunk_length = chunk_length;
  CAIRN_VDAF_MAKE(s, field, kIdSumVecWithMultiproof, num_proofs, shares);
}

#undef CAIRN_VDAF_MAKE

std::size_t Prio3::suggested_chunk_length(std::size_t measurement_len) {
  auto c = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(measurement_len))));
  return c < 1 ? 1 : c;
}

std::uint32_t Prio3::algorithm_id() const { return impl_->id; }
FieldId Prio3::field() const { return impl_->field; }
std::size_t Prio3::shares() const { return impl_->shares; }
std::size_t Prio3::num_proofs() const { return impl_->proofs; }
bool Prio3::uses_joint_rand() const { return impl_->jr(); }
std::size_t Prio3::output_len() const { return impl_->spec.output_len; }

namespace {
std::size_t elem_size(const Prio3::Impl& i) { return i.field == FieldId::f64 ? 8 : 16; }
}  // namespace

std::size_t Prio3::rand_size() const {
  return impl_->shares * kSeedSize * (impl_->jr() ? 2 : 1);
}
std::size_t Prio3::public_share_size() const { return impl_->jr() ? impl_->shares * kSeedSize : 0; }
std::size_t Prio3::input_share_size(std::size_t agg_id) const {
  std::size_t blind = impl_->jr() ? kSeedSize : 0;
  if (agg_id > 0) return kSeedSize + blind;
  const auto& s = impl_->spec;
  return elem_size(*impl_) * (s.meas_len + s.proof_len() * impl_->proofs) + blind;
}
std::size_t Prio3::prep_share_size() const {
  return elem_size(*impl_) * impl_->spec.verifier_len() * impl_->proofs + (impl_->jr() ? kSeedSize : 0);
}
std::size_t Prio3::prep_message_size() const { return impl_->jr() ? kSeedSize : 0; }
std::size_t Prio3::out_share_size() const { return elem_size(*impl_) * impl_->spec.output_len; }

Result<ShardResult> Prio3::shard(ByteView ctx, std::span<const std::uint64_t> measurement, ByteView nonce,
                                 ByteView rand) const {
  const auto& s = impl_->spec;
  if (ctx.size() > kMaxCtx) return usage("ctx too long");
  if (nonce.size() != kNonceSize) return usage("nonce must be 16 bytes");
  if (rand.size() != rand_size()) return usage("rand has the wrong size");
  std::size_t want = s.kind == CircuitKind::sum_vec ? s.length : 1;
  if (measurement.size() != want) return usage("measurement has the wrong length");
  for (std::uint64_t m : measurement) {
    bool ok = true;
    switch (s.kind) {
      case CircuitKind::count: ok = m <= 1; break;
      case CircuitKind::sum:
      case CircuitKind::sum_vec: ok = m <= s.max_measurement; break;
      case CircuitKind::histogram: ok = m < s.length; break;
    }
    if (!ok) return usage("measurement out of range");
  }
  return with_field(*impl_, ctx, [&](const auto& core) -> Result<ShardResult> {
    return detail::shard_impl(core, measurement, nonce, rand);
  });
}

Result<PrepInitResult> Prio3::prep_init(ByteView verify_key, ByteView ctx, std::size_t agg_id, ByteView nonce,
                                        ByteView public_share, ByteView input_share) const {
  if (verify_key.size() != kVerifyKeySize) return usage("verify key must be 32 bytes");
  if (ctx.size() > kMaxCtx) return usage("ctx too long");
  if (nonce.size() != kNonceSize) return usage("nonce must be 16 bytes");
  if (agg_id >= impl_->shares) return usage("aggregator id out of range");
  if (public_share.size() != public_share_size()) return corrupt("public share has the wrong length");
  if (input_share.size() != input_share_size(agg_id)) return corrupt("input share has the wrong length");
  return with_field(*impl_, ctx, [&](const auto& core) {
    return detail::prep_init_impl(core, verify_key, agg_id, nonce, public_share, input_share);
  });
}

Result<Bytes> Prio3::prep_shares_to_prep(ByteView ctx, std::span<const Bytes> prep_shares) const {
  if (ctx.size() > kMaxCtx) return usage("ctx too long");
  if (prep_shares.size() != impl_->shares) return usage("need one prep share per aggregator");
  for (const Bytes& p : prep_shares)
    if (p.size() != prep_share_size()) return corrupt("prep share has the wrong length");
  return with_field(*impl_, ctx, [&](const auto& core) { return detail::prep_shares_to_prep_impl(core, prep_shares); });
}

Result<Bytes> Prio3::prep_next(ByteView ctx, const PrepState& state, ByteView prep_msg) const {
  if (ctx.size() > kMaxCtx) return usage("ctx too long");
  if (prep_msg.size() != prep_message_size()) return corrupt("prep message has the wrong length");
  if (state.out_share.size() != out_share_size() || state.corrected_seed.has_value() != impl_->jr())
    return usage("prep state does not belong to this Prio3 instance");
  if (impl_->jr() && !std::equal(prep_msg.begin(), prep_msg.end(), state.corrected_seed->begin()))
    return make_error(Errc::refused, "prio3: joint randomness check failed; the report is invalid");
  return state.out_share;
}

Result<Bytes> Prio3::aggregate(std::span<const Bytes> out_shares) const {
  for (const Bytes& b : out_shares)
    if (b.size() != out_share_size()) return corrupt("output share has the wrong length");
  if (impl_->field == FieldId::f64) return detail::sum_vectors<Field64>(out_shares, impl_->spec.output_len);
  return detail::sum_vectors<Field128>(out_shares, impl_->spec.output_len);
}

Result<std::vector<std::uint64_t>> Prio3::unshard(std::span<const Bytes> agg_shares,
                                                  std::uint64_t num_measurements) const {
  if (num_measurements == 0) return usage("unshard needs at least one measurement");
  if (agg_shares.size() != impl_->shares) return usage("need one aggregate share per aggregator");
  for (const Bytes& b : agg_shares)
    if (b.size() != out_share_size()) return corrupt("aggregate share has the wrong length");
  auto sums = impl_->field == FieldId::f64 ? detail::unshard_impl<Field64>(agg_shares, impl_->spec.output_len)
                                           : detail::unshard_impl<Field128>(agg_shares, impl_->spec.output_len);
  if (!sums.ok()) return sums.error();
  std::vector<std::uint64_t> out;
  out.reserve(sums->size());
  for (u128 v : *sums) {
    if (v >> 64) return make_error(Errc::too_large, "prio3: an aggregate entry does not fit 64 bits");
    out.push_back(static_cast<std::uint64_t>(v));
  }
  return out;
}

}  // namespace cairn::vdaf

// Plan -> Prio3 instance and encoding: see prio3_plan.hpp.
#include "cairn/wire/prio3_plan.hpp"

#include <algorithm>
#include <cstdlib>

#include "cairn/metrics/catalog.hpp"
#include "cairn/vdaf/field.hpp"
#include "cairn/wire/envelope.hpp"

namespace cairn::wire {

Result<Prio3Scheme> prio3_for(const Plan& plan) {
  if (plan.metrics.empty()) return make_error(Errc::usage, "plan " + plan.id + " has no metrics");
  std::vector<dp::MetricSpec> specs;
  std::vector<std::int64_t> lo;
  std::vector<std::uint64_t> range;
  std::uint64_t max = 0;
  for (const auto& pm : plan.metrics) {
    const auto* m = metrics::find(pm.name);
    if (!m) return make_error(Errc::refused, "plan " + plan.id + " asks for " + pm.name + ", which is not in this build's catalog");
    if (m->spec.scale != pm.scale || m->spec.coordinates != pm.coordinates)
      return make_error(Errc::refused, "plan " + plan.id + ": metric " + pm.name +
                                           " is encoded differently from this build's catalog; update Cairn or ask the organization");
    specs.push_back(m->spec);
    for (std::uint32_t j = 0; j < pm.coordinates; ++j) {
      lo.push_back(m->spec.encoded_lo());
      range.push_back(m->spec.encoded_range());
    }
    max = std::max(max, m->spec.encoded_range());
  }
  if (max == 0) return make_error(Errc::refused, "plan " + plan.id + ": every metric has an empty range");
  const std::size_t length = lo.size();
  if (length > kMaxCoordinates) return make_error(Errc::usage, "plan " + plan.id + " has more than 512 coordinates");
  std::size_t bits = 0;
  while (bits < 64 && (max >> bits) != 0) ++bits;
  const std::size_t chunk = vdaf::Prio3::suggested_chunk_length(length * bits);
  auto v = vdaf::Prio3::sum_vec_multiproof(vdaf::FieldId::f64, kPrio3Proofs, length, max, chunk);
  if (!v.ok()) return make_error(Errc::usage, "plan " + plan.id + ": no Prio3 instance for it: " + v.error().message);
  if (v->input_share_size(0) > kMaxPrio3Bytes || v->public_share_size() > kMaxPrio3Bytes ||
      v->input_share_size(0) + v->input_share_size(1) + v->public_share_size() + 2048 > kMaxEnvelopeBytes)
    return make_error(Errc::usage, "plan " + plan.id + ": its reports would not fit a 64 KiB envelope; ask for fewer metrics");
  return Prio3Scheme{std::move(*v), length, max, chunk, std::move(specs), std::move(lo), std::move(range)};
}

std::vector<std::uint64_t> encode_measurement(const Prio3Scheme& s, std::span<const std::int64_t> encoded) {
  if (encoded.size() != s.length) std::abort();
  std::vector<std::uint64_t> out(s.length);
  for (std::size_t i = 0; i < s.length; ++i) {
    const std::int64_t hi = s.lo[i] + static_cast<std::int64_t>(s.range[i]);
    out[i] = static_cast<std::uint64_t>(std::clamp(encoded[i], s.lo[i], hi) - s.lo[i]);
  }
  return out;
}

Result<Prio3Shares> shard(const Prio3Scheme& s, const ReportContext& ctx, std::span<const std::uint64_t> measurement) {
  crypto::Bytes rand(s.vdaf.rand_size());
  crypto::random_bytes(rand);
  const auto app = prio3_context(ctx.plan_id, ctx.period);
  auto r = s.vdaf.shard(app, measurement, ctx.report_id, rand);
  crypto::wipe(rand);
  if (!r.ok()) return r.error();
  Prio3Shares out{std::move(r->public_share), std::move(r->input_shares.at(0)), std::move(r->input_shares.at(1))};
  for (auto& b : r->input_shares) crypto::wipe(b);
  return out;
}

std::vector<std::int64_t> decode_sum(const Prio3Scheme& s, std::span<const std::uint64_t> field_sum, std::uint64_t n) {
  constexpr std::uint64_t p = vdaf::Field64::kModulus;
  if (field_sum.size() != s.length) std::abort();
  std::vector<std::int64_t> out(s.length);
  for (std::size_t i = 0; i < s.length; ++i) {
    const std::uint64_t r = field_sum[i];
    if (r >= p) std::abort();
    const std::int64_t centred = r > p / 2 ? -static_cast<std::int64_t>(p - r) : static_cast<std::int64_t>(r);
    out[i] = centred + static_cast<std::int64_t>(n) * s.lo[i];
  }
  return out;
}

}  // namespace cairn::wire

// Prio3 plan cache helpers, Field64 sums and the noise layer: see prep.hpp.
#include "prep.hpp"

#include "cairn/dp/random.hpp"
#include "cairn/dp/samplers.hpp"
#include "cairn/wire/plan_check.hpp"

namespace cairn::aggregator {

std::vector<std::uint64_t> field_words(const crypto::Bytes& b) {
  std::vector<std::uint64_t> out(b.size() / 8);
  for (std::size_t i = 0; i < out.size(); ++i)
    for (int k = 0; k < 8; ++k) out[i] |= std::uint64_t{b[i * 8 + static_cast<std::size_t>(k)]} << (8 * k);
  return out;
}

crypto::Bytes field_bytes(const std::vector<std::uint64_t>& v) {
  crypto::Bytes out(v.size() * 8);
  for (std::size_t i = 0; i < v.size(); ++i)
    for (int b = 0; b < 8; ++b) out[i * 8 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(v[i] >> (8 * b));
  return out;
}

std::uint64_t field_add(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 s = static_cast<unsigned __int128>(a) + b;
  return static_cast<std::uint64_t>(s % kField64Modulus);
}

std::uint64_t field_from_signed(std::int64_t z) {
  if (z >= 0) return static_cast<std::uint64_t>(z) % kField64Modulus;
  const std::uint64_t m = static_cast<std::uint64_t>(-(z + 1)) + 1;  // |z| without overflow
  return kField64Modulus - (m % kField64Modulus);
}

Result<std::vector<std::uint64_t>> sum_out_shares(const wire::Prio3Scheme& scheme, const std::vector<crypto::Bytes>& shares) {
  std::vector<std::uint64_t> sum(scheme.length, 0);
  if (shares.empty()) return sum;
  auto agg = scheme.vdaf.aggregate(shares);
  if (!agg.ok()) return make_error(Errc::corrupt, "a stored output share does not decode: " + agg.error().message);
  auto w = field_words(*agg);
  if (w.size() != scheme.length) return make_error(Errc::corrupt, "a stored output share has the wrong length");
  return w;
}

Status add_noise_layer(const wire::Plan& plan, std::vector<std::uint64_t>& agg) {
  dp::SodiumRandom rng;
  std::size_t c = 0;
  for (const auto& m : plan.metrics) {
    auto g = dp::DiscreteGaussianSampler::create(m.sigma2);
    if (!g.ok()) return make_error(Errc::refused, "the noise of metric " + m.name + " cannot be sampled: " + g.error().message);
    for (std::uint32_t i = 0; i < m.coordinates; ++i, ++c) {
      if (c >= agg.size()) return make_error(Errc::corrupt, "aggregate share shorter than the plan");
      agg[c] = field_add(agg[c], field_from_signed((*g)(rng)));
    }
  }
  if (c != agg.size()) return make_error(Errc::corrupt, "aggregate share longer than the plan");
  return {};
}

Status check_plan_noise(const wire::Plan& plan) {
  CAIRN_TRY(wire::check_plan(plan));
  for (const auto& m : plan.metrics)
    if (auto g = dp::DiscreteGaussianSampler::create(m.sigma2); !g.ok())
      return make_error(Errc::refused, "the noise of metric " + m.name + " cannot be sampled: " + g.error().message);
  return {};
}

}  // namespace cairn::aggregator

// Additive secret sharing: see sharing.hpp.
#include "cairn/wire/sharing.hpp"

#include <cstdlib>

#include "cairn/crypto/sodium.hpp"

namespace cairn::wire {
namespace {
// A fixed nonce is safe: every seed is fresh and used for exactly one report. The nonce only
// separates this use of the key from any other.
constexpr std::array<std::uint8_t, 24> kPrgNonce = {'c', 'a', 'i', 'r', 'n', ' ', 's', 'h', 'a', 'r', 'e', ' ',
                                                   'p', 'r', 'g', ' ', 'v', '1', 0, 0, 0, 0, 0, 0};
}  // namespace

std::vector<std::uint64_t> expand_seed(const Seed& seed, std::size_t n) {
  std::vector<std::uint8_t> stream(n * 8);
  crypto::stream_xchacha20(stream, kPrgNonce, seed);
  std::vector<std::uint64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= std::uint64_t{stream[i * 8 + b]} << (8 * b);
    out[i] = v;
  }
  crypto::wipe(stream);
  return out;
}

Split split(std::span<const std::int64_t> y) {
  Split s;
  crypto::random_bytes(s.helper);
  auto mask = expand_seed(s.helper, y.size());
  s.leader.resize(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) s.leader[i] = static_cast<std::uint64_t>(y[i]) - mask[i];
  crypto::wipe({reinterpret_cast<std::uint8_t*>(mask.data()), mask.size() * 8});
  return s;
}

void add_into(std::vector<std::uint64_t>& acc, std::span<const std::uint64_t> add) {
  if (acc.size() != add.size()) std::abort();
  for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += add[i];
}

std::int64_t centred_lift(std::uint64_t v) {
  // Two's complement reinterpretation is exactly the centred representative (C++20 defines it).
  return static_cast<std::int64_t>(v);
}

std::vector<std::int64_t> combine(std::span<const std::uint64_t> leader_sum, std::span<const std::uint64_t> helper_sum) {
  if (leader_sum.size() != helper_sum.size()) std::abort();
  std::vector<std::int64_t> out(leader_sum.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = centred_lift(leader_sum[i] + helper_sum[i]);
  return out;
}

}  // namespace cairn::wire

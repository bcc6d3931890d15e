// TurboSHAKE128 (RFC 9861: Keccak-p[1600] with 12 rounds, rate 168 bytes) and the XOF that
// draft-irtf-cfrg-vdaf-20 (§6.2.1) builds on it, XofTurboShake128: TurboSHAKE128 with domain byte 1
// over  len(dst) (2 bytes, little-endian) || dst || len(seed) (1 byte) || seed || binder.
// `next_vec` draws field elements by rejection sampling as the draft's `next_vec` does.
//
// Thread safety: an object is a running hash; use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "cairn/vdaf/field.hpp"

namespace cairn::vdaf {

class TurboShake128 {
 public:
  explicit TurboShake128(std::uint8_t domain);  // domain byte in [0x01, 0x7F]
  void absorb(std::span<const std::uint8_t> data);  // only before the first squeeze
  void squeeze(std::uint8_t* out, std::size_t n);    // the first call ends absorbing

 private:
  void permute();
  std::uint64_t s_[25] = {};
  std::size_t pos_ = 0;  // byte position inside the rate
  bool squeezing_ = false;
  std::uint8_t domain_;
};

// Keccak-p[1600, 12] on a state of 25 lanes (exposed for the unit test).
void keccak_p1600_12(std::uint64_t state[25]);

class XofTurboShake128 {
 public:
  static constexpr std::size_t kSeedSize = 32;

  // Starts the stream for `seed` under the domain separation tag dst_a || dst_b (the split lets
  // callers pass a fixed prefix and an application context without concatenating them).
  // Precondition: seed.size() < 256 and dst_a.size() + dst_b.size() < 65536.
  XofTurboShake128(std::span<const std::uint8_t> seed, std::span<const std::uint8_t> dst_a,
                   std::span<const std::uint8_t> dst_b = {});
  // Appends to the binder string; only before the first next().
  void binder(std::span<const std::uint8_t> part) { h_.absorb(part); }
  void next(std::uint8_t* out, std::size_t n) { h_.squeeze(out, n); }

  // The next n field elements: each candidate is ENCODED_SIZE little-endian bytes masked to the
  // modulus' bit length (a no-op for both fields, whose moduli need every bit) and kept if < p.
  template <class F>
  void next_vec(F* out, std::size_t n) {
    std::uint8_t buf[F::kEncodedSize];
    for (std::size_t i = 0; i < n;) {
      next(buf, sizeof buf);
      if (F::decode(buf, &out[i])) ++i;
    }
  }

 private:
  TurboShake128 h_;
};

}  // namespace cairn::vdaf

// TurboSHAKE128 and XofTurboShake128 (see cairn/vdaf/xof.hpp). Keccak written from FIPS 202's
// step mappings; TurboSHAKE uses the last 12 of Keccak-f's 24 rounds.
#include "cairn/vdaf/xof.hpp"

#include <cstdlib>
#include <cstring>

namespace cairn::vdaf {
namespace {

constexpr std::size_t kRate = 168;

constexpr std::uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// Rotation offsets r[x + 5y] (FIPS 202 table 2).
constexpr unsigned kRho[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43,
                               25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

inline std::uint64_t rotl(std::uint64_t x, unsigned n) { return n == 0 ? x : (x << n) | (x >> (64 - n)); }

}  // namespace

// The loops have constant bounds; fully unrolled, every index and rotation is a constant.
void keccak_p1600_12(std::uint64_t a[25]) {
  for (int round = 12; round < 24; ++round) {
    std::uint64_t c[5], b[25];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) {
      std::uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
      for (int y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    // rho and pi: B[y, 2x+3y] = rot(A[x, y], r[x, y]).
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x)
#pragma GCC unroll 5
      for (int y = 0; y < 5; ++y) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRho[x + 5 * y]);
#pragma GCC unroll 5
    for (int y = 0; y < 25; y += 5)
#pragma GCC unroll 5
      for (int x = 0; x < 5; ++x) a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
    a[0] ^= kRoundConstants[round];
  }
}

TurboShake128::TurboShake128(std::uint8_t domain) : domain_(domain) {
  if (domain == 0 || domain > 0x7F) std::abort();  // programmer error
}

void TurboShake128::permute() { keccak_p1600_12(s_); }

void TurboShake128::absorb(std::span<const std::uint8_t> data) {
  if (squeezing_) std::abort();
  const std::uint8_t* p = data.data();
  std::size_t n = data.size();
  while (n > 0) {
    if (pos_ % 8 == 0 && n >= 8) {  // a whole lane at once
      std::uint64_t lane = 0;
      for (int i = 0; i < 8; ++i) lane |= static_cast<std::uint64_t>(p[i]) << (8 * i);
      s_[pos_ / 8] ^= lane;
      p += 8, n -= 8, pos_ += 8;
    } else {
      s_[pos_ / 8] ^= static_cast<std::uint64_t>(*p) << (8 * (pos_ % 8));
      ++p, --n, ++pos_;
    }
    if (pos_ == kRate) {
      permute();
      pos_ = 0;
    }
  }
}

void TurboShake128::squeeze(std::uint8_t* out, std::size_t n) {
  if (!squeezing_) {
    s_[pos_ / 8] ^= static_cast<std::uint64_t>(domain_) << (8 * (pos_ % 8));
    s_[(kRate - 1) / 8] ^= 0x80ULL << (8 * ((kRate - 1) % 8));
    permute();
    pos_ = 0;
    squeezing_ = true;
  }
  while (n > 0) {
    if (pos_ == kRate) {
      permute();
      pos_ = 0;
    }
    if (pos_ % 8 == 0 && n >= 8 && pos_ + 8 <= kRate) {
      std::uint64_t lane = s_[pos_ / 8];
      for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(lane >> (8 * i));
      out += 8, n -= 8, pos_ += 8;
      continue;
    }
    *out++ = static_cast<std::uint8_t>(s_[pos_ / 8] >> (8 * (pos_ % 8)));
    --n, ++pos_;
  }
}

XofTurboShake128::XofTurboShake128(std::span<const std::uint8_t> seed, std::span<const std::uint8_t> dst_a,
                                   std::span<const std::uint8_t> dst_b)
    : h_(1) {
  std::size_t dst_len = dst_a.size() + dst_b.size();
  if (dst_len > 0xFFFF || seed.size() > 0xFF) std::abort();  // programmer error
  const std::uint8_t len2[2] = {static_cast<std::uint8_t>(dst_len), static_cast<std::uint8_t>(dst_len >> 8)};
  h_.absorb(len2);
  h_.absorb(dst_a);
  h_.absorb(dst_b);
  const std::uint8_t len1[1] = {static_cast<std::uint8_t>(seed.size())};
  h_.absorb(len1);
  h_.absorb(seed);
}

}  // namespace cairn::vdaf

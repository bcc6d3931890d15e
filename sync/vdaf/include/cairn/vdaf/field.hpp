// The two NTT-friendly prime fields of draft-irtf-cfrg-vdaf-20 (§6.1): Field64 (p = 2^32·(2^32-1)+1)
// and Field128 (p = 2^66·(2^62-7)+1). Elements are plain values; add, subtract and multiply make no
// data-dependent branch (conditional subtraction by mask); inversion and pow branch on the public
// exponent only. Decoding (rejecting values >= p) is not constant time. Field64 keeps canonical
// values and reduces 128-bit products the Goldilocks way; Field128 keeps values in Montgomery form
// (R = 2^128) and converts only when encoding, decoding or building from an integer.
//
// Encoding: little-endian, fixed size (8 or 16 bytes); decode rejects values >= p.
// Thread safety: plain values, no shared state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cairn::vdaf {

using u128 = unsigned __int128;

namespace detail {
// All-ones when cond is true, zero otherwise, without a branch.
inline std::uint64_t mask_if(bool cond) { return 0 - static_cast<std::uint64_t>(cond); }
}  // namespace detail

struct Field64 {
  static constexpr std::size_t kEncodedSize = 8;
  static constexpr std::uint64_t kModulus = 0xFFFFFFFF00000001ULL;
  static constexpr unsigned kGenOrderLog = 32;  // the multiplicative generator has order 2^32
  static constexpr std::uint64_t kGenBase = 7, kGenCofactor = 0xFFFFFFFFULL;  // gen = 7^cofactor

  std::uint64_t v = 0;  // canonical, < p

  static Field64 zero() { return {}; }
  static Field64 one() { return Field64{1}; }
  static Field64 from_u64(std::uint64_t x) { return Field64{x >= kModulus ? x - kModulus : x}; }
  // The integer this element stands for (in [0, p)).
  u128 to_u128() const { return v; }

  friend Field64 operator+(Field64 a, Field64 b) {
    // a + b may overflow 2^64: then the true sum is s + 2^64 ≡ s + (2^32 - 1).
    std::uint64_t s = a.v + b.v;
    std::uint64_t carry = detail::mask_if(s < a.v);
    s += carry & 0xFFFFFFFFULL;
    std::uint64_t ge = detail::mask_if(s >= kModulus);
    return Field64{s - (ge & kModulus)};
  }
  friend Field64 operator-(Field64 a, Field64 b) {
    std::uint64_t d = a.v - b.v;
    std::uint64_t borrow = detail::mask_if(a.v < b.v);
    return Field64{d + (borrow & kModulus)};
  }
  Field64 operator-() const { return Field64{} - *this; }
  friend Field64 operator*(Field64 a, Field64 b) { return Field64{reduce(static_cast<u128>(a.v) * b.v)}; }
  Field64& operator+=(Field64 b) { return *this = *this + b; }
  Field64& operator-=(Field64 b) { return *this = *this - b; }
  Field64& operator*=(Field64 b) { return *this = *this * b; }
  friend bool operator==(Field64 a, Field64 b) { return a.v == b.v; }
  friend bool operator!=(Field64 a, Field64 b) { return a.v != b.v; }

  void encode(std::uint8_t* out) const {
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  // False (and *out untouched) when the bytes encode an integer >= p.
  static bool decode(const std::uint8_t* in, Field64* out) {
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < 8; ++i) x |= static_cast<std::uint64_t>(in[i]) << (8 * i);
    if (x >= kModulus) return false;
    out->v = x;
    return true;
  }

  // x mod p for any 128-bit x, using 2^64 ≡ 2^32 - 1 and 2^96 ≡ -1 (mod p).
  static std::uint64_t reduce(u128 x) {
    const std::uint64_t eps = 0xFFFFFFFFULL;
    std::uint64_t lo = static_cast<std::uint64_t>(x), hi = static_cast<std::uint64_t>(x >> 64);
    std::uint64_t hi_hi = hi >> 32, hi_lo = hi & eps;
    std::uint64_t t0 = lo - hi_hi;
    t0 -= detail::mask_if(lo < hi_hi) & eps;
    std::uint64_t t1 = hi_lo * eps;
    std::uint64_t r = t0 + t1;
    r += detail::mask_if(r < t1) & eps;
    r -= detail::mask_if(r >= kModulus) & kModulus;
    return r;
  }
};

struct Field128 {
  static constexpr std::size_t kEncodedSize = 16;
  // p = 2^128 - 28·2^64 + 1: limbs (1, 2^64 - 28).
  static constexpr u128 kModulus = (static_cast<u128>(0xFFFFFFFFFFFFFFE4ULL) << 64) | 1;
  static constexpr unsigned kGenOrderLog = 66;
  static constexpr std::uint64_t kGenBase = 7, kGenCofactor = 4611686018427387897ULL;

  u128 m = 0;  // Montgomery form: value·2^128 mod p, < p

  static Field128 zero() { return {}; }
  static Field128 one();
  static Field128 from_u64(std::uint64_t x) { return from_u128(x); }
  static Field128 from_u128(u128 x);  // x < p
  u128 to_u128() const;

  friend Field128 operator+(Field128 a, Field128 b) {
    u128 s = a.m + b.m;
    bool carry = s < a.m;  // the sum went past 2^128 (so it is >= p)
    u128 mask = static_cast<u128>(detail::mask_if(carry | (s >= kModulus)));
    mask |= mask << 64;
    return Field128{s - (mask & kModulus)};
  }
  friend Field128 operator-(Field128 a, Field128 b) {
    u128 d = a.m - b.m;
    u128 mask = static_cast<u128>(detail::mask_if(a.m < b.m));
    mask |= mask << 64;
    return Field128{d + (mask & kModulus)};
  }
  Field128 operator-() const { return Field128{} - *this; }
  friend Field128 operator*(Field128 a, Field128 b) { return Field128{mont_mul(a.m, b.m)}; }
  Field128& operator+=(Field128 b) { return *this = *this + b; }
  Field128& operator-=(Field128 b) { return *this = *this - b; }
  Field128& operator*=(Field128 b) { return *this = *this * b; }
  friend bool operator==(Field128 a, Field128 b) { return a.m == b.m; }
  friend bool operator!=(Field128 a, Field128 b) { return a.m != b.m; }

  void encode(std::uint8_t* out) const {
    u128 x = to_u128();
    for (std::size_t i = 0; i < 16; ++i) out[i] = static_cast<std::uint8_t>(x >> (8 * i));
  }
  static bool decode(const std::uint8_t* in, Field128* out) {
    u128 x = 0;
    for (std::size_t i = 0; i < 16; ++i) x |= static_cast<u128>(in[i]) << (8 * i);
    if (x >= kModulus) return false;
    *out = from_u128(x);
    return true;
  }

  // Montgomery product a·b·2^-128 mod p for a, b < p (CIOS, two 64-bit limbs; -p^-1 mod 2^64 is
  // 2^64 - 1 because p ≡ 1 mod 2^64).
  static u128 mont_mul(u128 a, u128 b) {
    const std::uint64_t p0 = 1, p1 = 0xFFFFFFFFFFFFFFE4ULL;
    std::uint64_t a0 = static_cast<std::uint64_t>(a), a1 = static_cast<std::uint64_t>(a >> 64);
    std::uint64_t b0 = static_cast<std::uint64_t>(b), b1 = static_cast<std::uint64_t>(b >> 64);
    std::uint64_t t0 = 0, t1 = 0, t2 = 0;
    for (int i = 0; i < 2; ++i) {
      std::uint64_t bi = i == 0 ? b0 : b1;
      u128 c = static_cast<u128>(a0) * bi + t0;
      t0 = static_cast<std::uint64_t>(c);
      c = static_cast<u128>(a1) * bi + t1 + (c >> 64);
      t1 = static_cast<std::uint64_t>(c);
      u128 top = static_cast<u128>(t2) + (c >> 64);
      std::uint64_t mq = t0 * 0xFFFFFFFFFFFFFFFFULL;
      c = static_cast<u128>(mq) * p0 + t0;  // low word becomes 0
      c = static_cast<u128>(mq) * p1 + t1 + (c >> 64);
      t0 = static_cast<std::uint64_t>(c);
      top += c >> 64;
      t1 = static_cast<std::uint64_t>(top);
      t2 = static_cast<std::uint64_t>(top >> 64);
    }
    u128 r = (static_cast<u128>(t1) << 64) | t0;
    u128 mask = static_cast<u128>(detail::mask_if((t2 != 0) | (r >= kModulus)));
    mask |= mask << 64;
    return r - (mask & kModulus);
  }
};

// R mod p and R^2 mod p for Field128's Montgomery form (R = 2^128).
inline constexpr u128 kField128R = (static_cast<u128>(0x1BULL) << 64) | 0xFFFFFFFFFFFFFFFFULL;
inline constexpr u128 kField128R2 = (static_cast<u128>(0x5587ULL) << 64) | 0xFFFFFFFFFFFFFCF1ULL;
inline Field128 Field128::one() { return Field128{kField128R}; }
inline Field128 Field128::from_u128(u128 x) { return Field128{mont_mul(x, kField128R2)}; }
inline u128 Field128::to_u128() const { return mont_mul(m, 1); }

// Field helpers shared by both fields.
template <class F>
F field_pow(F base, u128 e) {
  F r = F::one();
  while (e) {
    if (e & 1) r *= base;
    base *= base;
    e >>= 1;
  }
  return r;
}

template <class F>
u128 field_modulus() {
  return static_cast<u128>(F::kModulus);
}

// Multiplicative inverse (Fermat); inv(0) = 0.
template <class F>
F field_inv(F a) {
  return field_pow(a, field_modulus<F>() - 2);
}

// A primitive 2^log_n-th root of unity: gen^(2^(kGenOrderLog - log_n)), gen of order 2^kGenOrderLog.
template <class F>
F root_of_unity(unsigned log_n) {
  F g = field_pow(F::from_u64(F::kGenBase), F::kGenCofactor);
  for (unsigned i = log_n; i < F::kGenOrderLog; ++i) g *= g;
  return g;
}

}  // namespace cairn::vdaf

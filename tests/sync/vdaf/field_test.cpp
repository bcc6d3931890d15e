// Unit tests of the fields, the NTT and polynomial helpers, and TurboSHAKE128.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "cairn/vdaf/field.hpp"
#include "cairn/vdaf/xof.hpp"
#include "poly.hpp"
#include "vdaf_test_util.hpp"

using namespace cairn::vdaf;
using cairn::vdaf::test::hex;

namespace {

// Reference modular arithmetic through unsigned __int128 for Field64, and by shift-and-add for Field128.
u128 mulmod128(u128 a, u128 b, u128 p) {
  u128 r = 0;
  a %= p;
  while (b) {
    if (b & 1) r = (r >= p - a) ? r - (p - a) : r + a;
    a = (a >= p - a) ? a - (p - a) : a + a;
    b >>= 1;
  }
  return r;
}

template <class F>
F random_elem(std::mt19937_64& rng) {
  u128 x = (static_cast<u128>(rng()) << 64) | rng();
  x %= field_modulus<F>();
  if constexpr (sizeof(F) == 8) return F::from_u64(static_cast<std::uint64_t>(x));
  else return F::from_u128(x);
}

template <class F>
void check_field_laws() {
  std::mt19937_64 rng(7);
  const u128 p = field_modulus<F>();
  for (int i = 0; i < 2000; ++i) {
    F a = random_elem<F>(rng), b = random_elem<F>(rng);
    u128 x = a.to_u128(), y = b.to_u128();
    CHECK((a + b).to_u128() == (x >= p - y ? x - (p - y) : x + y));
    CHECK((a - b).to_u128() == (x >= y ? x - y : p - (y - x)));
    CHECK((a * b).to_u128() == mulmod128(x, y, p));
    if (a != F::zero()) CHECK(a * field_inv(a) == F::one());
  }
  // Edges: p-1 squared is 1, (p-1) + 1 wraps to 0, 0 - 1 is p-1.
  F m1 = F::zero() - F::one();
  CHECK(m1.to_u128() == p - 1);
  CHECK(m1 * m1 == F::one());
  CHECK(m1 + F::one() == F::zero());
}

template <class F>
void check_encoding() {
  std::uint8_t buf[F::kEncodedSize];
  F m1 = F::zero() - F::one(), out;
  m1.encode(buf);
  REQUIRE(F::decode(buf, &out));
  CHECK(out == m1);
  // p itself and all-ones are rejected.
  u128 p = field_modulus<F>();
  for (std::size_t i = 0; i < F::kEncodedSize; ++i) buf[i] = static_cast<std::uint8_t>(p >> (8 * i));
  CHECK_FALSE(F::decode(buf, &out));
  for (auto& b : buf) b = 0xFF;
  CHECK_FALSE(F::decode(buf, &out));
}

template <class F>
void check_ntt() {
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 2u, 4u, 16u, 256u}) {
    std::vector<F> a(n), b;
    for (auto& x : a) x = random_elem<F>(rng);
    b = a;
    detail::ntt(b.data(), n, false);
    // Forward transform = evaluation at the n-th roots.
    F w = detail::roots<F>().root[detail::log2_exact(n)], x = F::one();
    for (std::size_t k = 0; k < n; ++k, x *= w) {
      F y = F::zero(), xi = F::one();
      for (std::size_t i = 0; i < n; ++i, xi *= x) y += a[i] * xi;
      CHECK(b[k] == y);
    }
    detail::ntt(b.data(), n, true);
    CHECK(b == a);
  }
  // The roots have exactly the order claimed.
  F r = detail::roots<F>().root[5];
  CHECK(field_pow(r, 32) == F::one());
  CHECK(field_pow(r, 16) != F::one());
}

template <class F>
void check_lagrange() {
  std::mt19937_64 rng(13);
  const std::size_t n = 8;
  std::vector<F> coeffs(n - 1), vals(n), dbl(2 * n), scratch(n);
  for (auto& c : coeffs) c = random_elem<F>(rng);
  auto eval = [&](F x) {
    F y = F::zero(), xi = F::one();
    for (auto c : coeffs) y += c * xi, xi *= x;
    return y;
  };
  F w = detail::roots<F>().root[3];
  F x = F::one();
  for (std::size_t i = 0; i < n; ++i, x *= w) vals[i] = eval(x);
  F t = random_elem<F>(rng), got;
  detail::lagrange_eval_batched(vals.data(), 1, n, n, t, &got);
  CHECK(got == eval(t));
  F last = vals[n - 1];
  vals[n - 1] = F::zero();
  detail::extend_last_value(vals.data(), n);
  CHECK(vals[n - 1] == last);
  detail::double_evaluations(vals.data(), n, dbl.data(), scratch.data());
  F w2 = detail::roots<F>().root[4];
  x = F::one();
  for (std::size_t i = 0; i < 2 * n; ++i, x *= w2) CHECK(dbl[i] == eval(x));
}

}  // namespace

TEST_CASE("Field64 and Field128 arithmetic agree with reference modular arithmetic") {
  check_field_laws<Field64>();
  check_field_laws<Field128>();
}

TEST_CASE("field encoding is little-endian, fixed size, and rejects values >= p") {
  check_encoding<Field64>();
  check_encoding<Field128>();
  std::uint8_t buf[16];
  Field128::from_u64(0x0102).encode(buf);
  CHECK(buf[0] == 0x02);
  CHECK(buf[1] == 0x01);
  CHECK(buf[15] == 0);
}

TEST_CASE("NTT is evaluation at the roots of unity and its inverse round-trips") {
  check_ntt<Field64>();
  check_ntt<Field128>();
}

TEST_CASE("Lagrange-basis helpers: evaluation, last-value recovery, doubling") {
  check_lagrange<Field64>();
  check_lagrange<Field128>();
}

TEST_CASE("TurboSHAKE128 known answer and streaming consistency") {
  // RFC 9861 §5: TurboSHAKE128(M = empty, D = 0x1F), first 32 bytes.
  TurboShake128 h(0x1F);
  std::vector<std::uint8_t> out(32);
  h.squeeze(out.data(), out.size());
  CHECK(hex(out) == "1e415f1c5983aff2169217277d17bb538cd945a397ddec541f1ce41af2c1b74c");

  // Absorbing and squeezing in pieces gives the same stream as in one go (crossing block edges).
  std::vector<std::uint8_t> msg(500);
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i * 7);
  TurboShake128 one(0x01), pieces(0x01);
  one.absorb(msg);
  for (std::size_t at = 0; at < msg.size(); at += 37)
    pieces.absorb(std::span<const std::uint8_t>(msg).subspan(at, std::min<std::size_t>(37, msg.size() - at)));
  std::vector<std::uint8_t> a(400), b(400);
  one.squeeze(a.data(), a.size());
  for (std::size_t at = 0; at < b.size(); at += 13) pieces.squeeze(b.data() + at, std::min<std::size_t>(13, b.size() - at));
  CHECK(a == b);
}

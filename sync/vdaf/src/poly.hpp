// Polynomial helpers over the VDAF fields (private to cairn_vdaf): radix-2 NTT over the fields'
// 2-power roots of unity, doubling a polynomial's evaluations from the n-th to the 2n-th roots,
// evaluating a polynomial given by its values on the n-th roots at any point (barycentric form,
// no inversion), and recovering the last value of a degree < n-1 polynomial from n-1 of its values.
// All buffers belong to the caller; nothing here allocates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdlib>
#include <utility>

#include "cairn/vdaf/field.hpp"

namespace cairn::vdaf::detail {

inline constexpr unsigned kMaxLogN = 30;

template <class F>
struct RootTable {
  // Primitive 2^k-th root, its inverse, and 1/2^k.
  std::array<F, kMaxLogN + 1> root{}, inv_root{}, inv_size{};
  RootTable() {
    F inv2 = field_inv(F::from_u64(2)), acc = F::one();
    for (unsigned k = 0; k <= kMaxLogN; ++k) {
      root[k] = root_of_unity<F>(k);
      inv_root[k] = field_inv(root[k]);
      inv_size[k] = acc;
      acc *= inv2;
    }
  }
};

template <class F>
const RootTable<F>& roots() {
  static const RootTable<F> table;
  return table;
}

inline unsigned log2_exact(std::size_t n) {
  unsigned k = 0;
  while ((std::size_t{1} << k) < n) ++k;
  if ((std::size_t{1} << k) != n || k > kMaxLogN) std::abort();  // programmer error
  return k;
}

inline std::size_t next_pow2(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

// In place: a[k] <- sum_i a[i]·w^(ik) for the primitive n-th root w (or its inverse when
// `inverse`, then scaled by 1/n, giving the coefficients back from the values).
template <class F>
void ntt(F* a, std::size_t n, bool inverse) {
  unsigned log_n = log2_exact(n);
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  const auto& t = roots<F>();
  for (unsigned s = 1; s <= log_n; ++s) {
    std::size_t len = std::size_t{1} << s, half = len >> 1;
    F wlen = inverse ? t.inv_root[s] : t.root[s];
    for (std::size_t i = 0; i < n; i += len) {
      F w = F::one();
      for (std::size_t j = 0; j < half; ++j) {
        F u = a[i + j], v = a[i + j + half] * w;
        a[i + j] = u + v;
        a[i + j + half] = u - v;
        w *= wlen;
      }
    }
  }
  if (inverse) {
    F inv_n = t.inv_size[log_n];
    for (std::size_t i = 0; i < n; ++i) a[i] *= inv_n;
  }
}

// vals: the values of a polynomial of degree < n at the n-th roots w^0..w^(n-1). Writes its values
// at the 2n-th roots (natural order) to out[0..2n); scratch holds n elements.
template <class F>
void double_evaluations(const F* vals, std::size_t n, F* out, F* scratch) {
  for (std::size_t i = 0; i < n; ++i) scratch[i] = vals[i];
  ntt(scratch, n, true);  // coefficients
  F s = roots<F>().root[log2_exact(2 * n)], si = F::one();
  for (std::size_t i = 0; i < n; ++i) scratch[i] *= si, si *= s;
  ntt(scratch, n, false);  // values at s·w^i
  for (std::size_t i = 0; i < n; ++i) out[2 * i] = vals[i], out[2 * i + 1] = scratch[i];
}

// Values of `count` polynomials (each n values at the n-th roots, stored `stride` apart) at x:
// P(x) = (-1)^(n-1)/n · sum_i y_i·w^i·prod_{j != i}(w^j - x).
template <class F>
void lagrange_eval_batched(const F* polys, std::size_t count, std::size_t stride, std::size_t n, F x, F* out) {
  const unsigned log_n = log2_exact(n);
  F w = roots<F>().root[log_n];
  for (std::size_t c = 0; c < count; ++c) out[c] = polys[c * stride];
  F k = F::one(), node = F::one(), d = node - x;
  for (std::size_t i = 1; i < n; ++i) {
    k *= d;
    node *= w;
    d = node - x;
    F t = k * node;
    for (std::size_t c = 0; c < count; ++c) out[c] = out[c] * d + t * polys[c * stride + i];
  }
  F factor = roots<F>().inv_size[log_n];
  if ((n - 1) % 2 == 1) factor = -factor;
  for (std::size_t c = 0; c < count; ++c) out[c] *= factor;
}

// vals[0..n-1) are values at the n-th roots of a polynomial of degree < n-1: sets vals[n-1]. The
// x^(n-1) coefficient, (1/n)·sum_i y_i·w^i, is zero, so y_(n-1) = -w · sum_(i<n-1) y_i·w^i.
template <class F>
void extend_last_value(F* vals, std::size_t n) {
  F w = roots<F>().root[log2_exact(n)], wi = F::one(), sum = F::zero();
  for (std::size_t i = 0; i + 1 < n; ++i) sum += vals[i] * wi, wi *= w;
  vals[n - 1] = -(w * sum);
}

}  // namespace cairn::vdaf::detail

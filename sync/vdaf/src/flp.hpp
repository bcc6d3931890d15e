// The generic FLP of BBCGGI19 as draft-irtf-cfrg-vdaf-20 §7.3 specifies it (private to cairn_vdaf),
// for the four validity circuits Prio3 uses. Each circuit has exactly one gadget of degree 2:
//   Count      Mul                      called once
//   Sum        PolyEval(x^2 - x)        called once per bit
//   SumVec     ParallelSum(Mul, chunk)  called ceil(length·bits / chunk) times
//   Histogram  ParallelSum(Mul, chunk)  called ceil(length / chunk) times
// Wire and gadget polynomials are kept as values on roots of unity (the draft's Lagrange basis):
// a proof is the wire seeds followed by the gadget polynomial's values at the first 2p-1 of the
// 2p-th roots of unity, p = next_pow2(1 + calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "poly.hpp"

namespace cairn::vdaf::detail {

enum class CircuitKind { count, sum, sum_vec, histogram };
enum class GadgetKind { mul, poly_eval_sq, parallel_sum_mul };

struct CircuitSpec {
  CircuitKind kind{};
  GadgetKind gadget{};
  std::size_t length = 1;          // SumVec/Histogram vector length
  std::size_t bits = 0;            // Sum/SumVec bits per entry
  std::uint64_t max_measurement = 0;
  std::uint64_t last_weight = 0;   // weight of the last "bit" (Sum/SumVec)
  std::size_t chunk_length = 1;
  std::size_t meas_len = 0, joint_rand_len = 0, output_len = 0, eval_output_len = 0;
  std::size_t arity = 0, calls = 0;
  // Derived FLP sizes.
  std::size_t p = 0;  // wire polynomial length
  std::size_t prove_rand_len() const { return arity; }
  std::size_t query_rand_len() const { return 1 + (eval_output_len > 1 ? eval_output_len : 0); }
  std::size_t gadget_poly_len() const { return 2 * (p - 1) + 1; }
  std::size_t proof_len() const { return arity + gadget_poly_len(); }
  std::size_t verifier_len() const { return 1 + arity + 1; }
};

// Fills the derived fields; false when the parameters are out of range.
bool finish_spec(CircuitSpec& s);

template <class F>
F gadget_eval(const CircuitSpec& s, const F* x) {
  switch (s.gadget) {
    case GadgetKind::mul: return x[0] * x[1];
    case GadgetKind::poly_eval_sq: return x[0] * x[0] - x[0];
    case GadgetKind::parallel_sum_mul: {
      F acc = F::zero();
      for (std::size_t i = 0; i < s.arity; i += 2) acc += x[i] * x[i + 1];
      return acc;
    }
  }
  return F::zero();
}

// Evaluates the validity circuit; `call(const F* inputs)` stands for each gadget call (inputs has
// `arity` elements). Writes eval_output_len outputs. `inputs` is scratch of `arity` elements.
template <class F, class Call>
void circuit_eval(const CircuitSpec& s, const F* meas, const F* joint_rand, std::size_t num_shares, F* out,
                  F* inputs, Call&& call) {
  F shares_inv = num_shares == 1 ? F::one() : field_inv(F::from_u64(num_shares));
  switch (s.kind) {
    case CircuitKind::count: {
      inputs[0] = meas[0], inputs[1] = meas[0];
      out[0] = call(inputs) - meas[0];
      return;
    }
    case CircuitKind::sum: {
      for (std::size_t i = 0; i < s.bits; ++i) {
        inputs[0] = meas[i];
        out[i] = call(inputs);
      }
      return;
    }
    case CircuitKind::sum_vec:
    case CircuitKind::histogram: {
      F range_check = F::zero();
      for (std::size_t i = 0; i < s.calls; ++i) {
        F r = joint_rand[i], r_power = r;
        for (std::size_t j = 0; j < s.chunk_length; ++j) {
          std::size_t index = i * s.chunk_length + j;
          F m = index < s.meas_len ? meas[index] : F::zero();
          inputs[2 * j] = r_power * m;
          inputs[2 * j + 1] = m - shares_inv;
          r_power *= r;
        }
        range_check += call(inputs);
      }
      out[0] = range_check;
      if (s.kind == CircuitKind::histogram) {
        F sum_check = -shares_inv;
        for (std::size_t i = 0; i < s.meas_len; ++i) sum_check += meas[i];
        out[1] = sum_check;
      }
      return;
    }
  }
}

// prove(meas, prove_rand, joint_rand) -> proof (proof_len elements).
template <class F>
void flp_prove(const CircuitSpec& s, const F* meas, const F* prove_rand, const F* joint_rand, F* proof) {
  const std::size_t p = s.p, a = s.arity;
  std::vector<F> wires(a * p, F::zero()), dbl(a * 2 * p), scratch(p), inputs(a), out(s.eval_output_len);
  for (std::size_t j = 0; j < a; ++j) wires[j * p] = prove_rand[j];
  std::size_t k = 0;
  circuit_eval(s, meas, joint_rand, 1, out.data(), inputs.data(), [&](const F* in) {
    ++k;
    for (std::size_t j = 0; j < a; ++j) wires[j * p + k] = in[j];
    return gadget_eval(s, in);
  });
  for (std::size_t j = 0; j < a; ++j) double_evaluations(&wires[j * p], p, &dbl[j * 2 * p], scratch.data());
  for (std::size_t j = 0; j < a; ++j) proof[j] = prove_rand[j];
  const std::size_t glen = s.gadget_poly_len();
  for (std::size_t t = 0; t < glen; ++t) {
    for (std::size_t j = 0; j < a; ++j) inputs[j] = dbl[j * 2 * p + t];
    proof[a + t] = gadget_eval(s, inputs.data());
  }
}

// query(meas, proof, query_rand, joint_rand, num_shares) -> verifier (verifier_len elements).
// False when the query point is a p-th root of unity (the draft's "test point is a root of unity").
template <class F>
bool flp_query(const CircuitSpec& s, const F* meas, const F* proof, const F* query_rand, const F* joint_rand,
               std::size_t num_shares, F* verifier) {
  const std::size_t p = s.p, a = s.arity, n = 2 * p;
  std::vector<F> wires(a * p, F::zero()), gadget(n), inputs(a), out(s.eval_output_len);
  for (std::size_t j = 0; j < a; ++j) wires[j * p] = proof[j];
  for (std::size_t t = 0; t + 1 < n; ++t) gadget[t] = proof[a + t];
  extend_last_value(gadget.data(), n);
  std::size_t k = 0;
  circuit_eval(s, meas, joint_rand, num_shares, out.data(), inputs.data(), [&](const F* in) {
    ++k;
    for (std::size_t j = 0; j < a; ++j) wires[j * p + k] = in[j];
    return gadget[2 * k];  // the gadget polynomial at alpha^k, alpha = w_2p^2
  });
  F v;
  std::size_t qi = 0;
  if (s.eval_output_len > 1) {
    v = F::zero();
    for (std::size_t i = 0; i < s.eval_output_len; ++i) v += query_rand[i] * out[i];
    qi = s.eval_output_len;
  } else {
    v = out[0];
  }
  F t = query_rand[qi];
  if (field_pow(t, p) == F::one()) return false;
  verifier[0] = v;
  lagrange_eval_batched(wires.data(), a, p, p, t, verifier + 1);
  lagrange_eval_batched(gadget.data(), 1, n, n, t, verifier + 1 + a);
  return true;
}

template <class F>
bool flp_decide(const CircuitSpec& s, const F* verifier) {
  if (verifier[0] != F::zero()) return false;
  return gadget_eval(s, verifier + 1) == verifier[1 + s.arity];
}

}  // namespace cairn::vdaf::detail

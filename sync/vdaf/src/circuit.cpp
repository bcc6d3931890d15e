// Parameters of Prio3's validity circuits (draft-irtf-cfrg-vdaf-20 §7.4): derived lengths and the
// range checks on them.
#include "flp.hpp"

namespace cairn::vdaf::detail {
namespace {

std::size_t bit_length(std::uint64_t x) {
  std::size_t n = 0;
  while (x) ++n, x >>= 1;
  return n;
}

}  // namespace

bool finish_spec(CircuitSpec& s) {
  constexpr std::size_t kMaxLen = std::size_t{1} << 24;  // keeps every size far from overflow
  switch (s.kind) {
    case CircuitKind::count:
      s.gadget = GadgetKind::mul;
      s.arity = 2, s.calls = 1;
      s.meas_len = 1, s.output_len = 1, s.eval_output_len = 1, s.joint_rand_len = 0;
      break;
    case CircuitKind::sum:
    case CircuitKind::sum_vec: {
      if (s.max_measurement == 0) return false;
      s.bits = bit_length(s.max_measurement);
      if (s.bits > 62) return false;  // 2^bits must stay below both moduli with room to spare
      s.last_weight = s.max_measurement - ((std::uint64_t{1} << (s.bits - 1)) - 1);
      if (s.kind == CircuitKind::sum) {
        s.gadget = GadgetKind::poly_eval_sq;
        s.length = 1, s.arity = 1, s.calls = s.bits;
        s.meas_len = s.bits, s.output_len = 1, s.eval_output_len = s.bits, s.joint_rand_len = 0;
        break;
      }
      if (s.length == 0 || s.chunk_length == 0 || s.length > kMaxLen || s.chunk_length > kMaxLen) return false;
      s.gadget = GadgetKind::parallel_sum_mul;
      s.meas_len = s.length * s.bits;
      s.arity = 2 * s.chunk_length;
      s.calls = (s.meas_len + s.chunk_length - 1) / s.chunk_length;
      s.output_len = s.length, s.eval_output_len = 1, s.joint_rand_len = s.calls;
      break;
    }
    case CircuitKind::histogram:
      if (s.length == 0 || s.chunk_length == 0 || s.length > kMaxLen || s.chunk_length > kMaxLen) return false;
      s.gadget = GadgetKind::parallel_sum_mul;
      s.meas_len = s.length;
      s.arity = 2 * s.chunk_length;
      s.calls = (s.length + s.chunk_length - 1) / s.chunk_length;
      s.output_len = s.length, s.eval_output_len = 2, s.joint_rand_len = s.calls;
      break;
  }
  s.p = next_pow2(1 + s.calls);
  return 2 * s.p <= (std::size_t{1} << kMaxLogN);
}

}  // namespace cairn::vdaf::detail

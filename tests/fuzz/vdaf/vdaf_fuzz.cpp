// Fuzz target: every Prio3 message decoder an aggregator or collector runs on bytes from the
// network (public share + input share in prep_init, prep shares, prep message, output and
// aggregate shares), for each circuit. Input: byte 0 picks the instance, byte 1 the message, the
// rest is the message. Nothing may crash or read out of bounds; a decoded share must re-encode to
// exactly its input (one encoding per value).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cairn/vdaf/prio3.hpp"

using namespace cairn::vdaf;

namespace {

std::vector<Prio3> make_instances() {
  std::vector<Prio3> v;
  v.push_back(*Prio3::count());
  v.push_back(*Prio3::sum(255));
  v.push_back(*Prio3::sum_vec(10, 65535, 13));
  v.push_back(*Prio3::histogram(4, 2));
  v.push_back(*Prio3::sum_vec_multiproof(FieldId::f64, 2, 10, 255, 9));
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Prio3> instances = make_instances();
  static const Bytes vk(32, 0x42), nonce(16, 0x07), ctx = {'f', 'u', 'z', 'z'};
  if (size < 2) return 0;
  const Prio3& v = instances[data[0] % instances.size()];
  ByteView msg(data + 2, size - 2);
  switch (data[1] % 6) {
    case 0:
    case 1: {  // public share then the input share of aggregator data[1] % 2
      std::size_t agg = data[1] % 2, ps = std::min(msg.size(), v.public_share_size());
      (void)v.prep_init(vk, ctx, agg, nonce, msg.subspan(0, ps), msg.subspan(ps));
      break;
    }
    case 2: {  // two prep shares, split at the expected size
      std::size_t n = std::min(msg.size(), v.prep_share_size());
      std::vector<Bytes> shares = {Bytes(msg.begin(), msg.begin() + n), Bytes(msg.begin() + n, msg.end())};
      (void)v.prep_shares_to_prep(ctx, shares);
      break;
    }
    case 3: {  // a prep message against a state
      PrepState st;
      st.out_share.assign(v.out_share_size(), 0);
      if (v.uses_joint_rand()) st.corrected_seed = Bytes(32, 0);
      auto r = v.prep_next(ctx, st, msg);
      if (r.ok() && *r != st.out_share) std::abort();
      break;
    }
    case 4: {  // one output share: aggregating it alone must give it back
      std::vector<Bytes> one = {Bytes(msg.begin(), msg.end())};
      auto r = v.aggregate(one);
      if (r.ok() && *r != one[0]) std::abort();
      break;
    }
    default: {  // two aggregate shares
      std::size_t n = std::min(msg.size(), v.out_share_size());
      std::vector<Bytes> shares = {Bytes(msg.begin(), msg.begin() + n), Bytes(msg.begin() + n, msg.end())};
      (void)v.unshard(shares, 1);
      break;
    }
  }
  return 0;
}

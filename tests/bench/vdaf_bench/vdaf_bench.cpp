// vdaf_bench: what Prio3 costs per report for the shape Cairn shares (SumVec, 10 coordinates, each
// in [0, 65535]): shard time at the client, prep_init time at each aggregator, the combine and
// finish steps, and the bytes on the wire, for Prio3SumVec (Field128, one proof) and the multiproof
// variant over Field64 with 2 and 3 proofs, at a few chunk lengths. Times are this process's CPU
// time (median of 5 rounds) divided by the reports in a round. The bench's randomness is a
// seeded PRNG, not a CSPRNG: fine for timing, never for real reports.
//
// Usage: vdaf_bench [--reports N]   (default 300 per round)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../bench_timing.hpp"
#include "cairn/vdaf/prio3.hpp"

using namespace cairn::vdaf;
using cairn::bench::cpu_seconds;
using cairn::bench::median;

namespace {

struct Report {
  Bytes nonce;
  ShardResult shares;
};

void run(const char* label, const Prio3& v, int reports) {
  std::mt19937_64 rng(1);
  auto bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  const Bytes ctx = {'c', 'a', 'i', 'r', 'n'}, vk = bytes(32);
  std::vector<double> t_shard, t_init0, t_init1, t_combine, t_next;
  for (int round = 0; round < 5; ++round) {
    std::vector<Report> rs(reports);
    std::vector<Bytes> rands(reports);
    std::vector<std::vector<std::uint64_t>> ms(reports, std::vector<std::uint64_t>(10));
    for (int i = 0; i < reports; ++i) {
      rs[i].nonce = bytes(16);
      rands[i] = bytes(v.rand_size());
      for (auto& x : ms[i]) x = rng() % 65536;
    }
    double t0 = cpu_seconds();
    for (int i = 0; i < reports; ++i) rs[i].shares = *v.shard(ctx, ms[i], rs[i].nonce, rands[i]);
    double t1 = cpu_seconds();
    std::vector<PrepInitResult> p0, p1;
    for (int i = 0; i < reports; ++i)
      p0.push_back(*v.prep_init(vk, ctx, 0, rs[i].nonce, rs[i].shares.public_share, rs[i].shares.input_shares[0]));
    double t2 = cpu_seconds();
    for (int i = 0; i < reports; ++i)
      p1.push_back(*v.prep_init(vk, ctx, 1, rs[i].nonce, rs[i].shares.public_share, rs[i].shares.input_shares[1]));
    double t3 = cpu_seconds();
    std::vector<Bytes> msgs;
    for (int i = 0; i < reports; ++i) {
      std::vector<Bytes> ps = {p0[i].prep_share, p1[i].prep_share};
      msgs.push_back(*v.prep_shares_to_prep(ctx, ps));
    }
    double t4 = cpu_seconds();
    for (int i = 0; i < reports; ++i) {
      if (!v.prep_next(ctx, p0[i].state, msgs[i]).ok() || !v.prep_next(ctx, p1[i].state, msgs[i]).ok()) {
        std::fprintf(stderr, "%s: a valid report failed preparation\n", label);
        std::exit(1);
      }
    }
    double t5 = cpu_seconds();
    t_shard.push_back((t1 - t0) / reports), t_init0.push_back((t2 - t1) / reports);
    t_init1.push_back((t3 - t2) / reports), t_combine.push_back((t4 - t3) / reports);
    t_next.push_back((t5 - t4) / reports / 2);
  }
  double shard = median(t_shard) * 1e3, i0 = median(t_init0) * 1e3, i1 = median(t_init1) * 1e3,
         comb = median(t_combine) * 1e3, next = median(t_next) * 1e3;
  std::size_t report_bytes = v.public_share_size() + v.input_share_size(0) + v.input_share_size(1);
  std::printf("%-40s shard %.3f ms | prep_init leader %.3f ms, helper %.3f ms | combine %.3f ms | "
              "prep_next %.4f ms\n",
              label, shard, i0, i1, comb, next);
  std::printf("%-40s report %zu B (public %zu + leader %zu + helper %zu) | prep share %zu B each | "
              "prep msg %zu B | out share %zu B | verify %.0f reports/s/core (both aggregators' work)\n",
              "", report_bytes, v.public_share_size(), v.input_share_size(0), v.input_share_size(1),
              v.prep_share_size(), v.prep_message_size(), v.out_share_size(), 1e3 / (i0 + i1 + comb + 2 * next));
}

}  // namespace

int main(int argc, char** argv) {
  int reports = 300;
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--reports") && i + 1 < argc) reports = std::atoi(argv[++i]);
  if (reports < 1) reports = 1;
  const std::size_t len = 10, max = 65535;
  std::size_t chunk = Prio3::suggested_chunk_length(len * 16);
  std::printf("Prio3 SumVec, %zu coordinates in [0, %zu] (160 encoded bits), %d reports per round\n", len, max, reports);
  for (std::size_t c : {std::size_t{8}, chunk, std::size_t{20}}) {
    std::string label = "SumVec Field128 chunk " + std::to_string(c) + (c == chunk ? " (sqrt)" : "");
    run(label.c_str(), *Prio3::sum_vec(len, max, c), reports);
  }
  for (std::size_t proofs : {2, 3}) {
    std::string label = "Multiproof Field64 x" + std::to_string(proofs) + " chunk " + std::to_string(chunk);
    run(label.c_str(), *Prio3::sum_vec_multiproof(FieldId::f64, proofs, len, max, chunk), reports);
  }
  return 0;
}

// Prio3 beyond the vectors: a SumVec round trip over random measurements, a malicious client's
// out-of-range encodings rejected by preparation, and hostile or truncated messages rejected with
// Errc::corrupt.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "cairn/vdaf/prio3.hpp"
#include "private_access.hpp"

using namespace cairn::vdaf;

namespace {

const Bytes kCtx = {'c', 'a', 'i', 'r', 'n'};

Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

// Runs preparation for one report; the output shares on success, else the failing step's error.
struct Outcome {
  bool ok = false;
  cairn::Errc code = cairn::Errc::internal;
  std::vector<Bytes> out_shares;
};

Outcome prepare(const Prio3& v, const Bytes& vk, const Bytes& nonce, const ShardResult& sh) {
  Outcome o;
  std::vector<PrepState> states;
  std::vector<Bytes> prep_shares;
  for (std::size_t j = 0; j < v.shares(); ++j) {
    auto r = v.prep_init(vk, kCtx, j, nonce, sh.public_share, sh.input_shares[j]);
    if (!r.ok()) return o.code = r.error().code, o;
    states.push_back(r->state);
    prep_shares.push_back(r->prep_share);
  }
  auto msg = v.prep_shares_to_prep(kCtx, prep_shares);
  if (!msg.ok()) return o.code = msg.error().code, o;
  for (auto& st : states) {
    auto out = v.prep_next(kCtx, st, *msg);
    if (!out.ok()) return o.code = out.error().code, o;
    o.out_shares.push_back(*out);
  }
  o.ok = true;
  return o;
}

// A malicious client: shards an arbitrary encoding (bypassing shard's range check) with an honest
// proof of it, so only the validity circuit can catch it.
ShardResult shard_encoded(const Prio3& v, const std::vector<Field128>& meas, const Bytes& nonce, const Bytes& rand) {
  detail::Core<Field128> core(PrivateAccess::impl(v), kCtx);
  return detail::shard_encoded(core, meas, nonce, rand);
}

std::vector<Field128> bits_of(const std::vector<std::uint64_t>& m, std::size_t bits) {
  std::vector<Field128> out;
  for (auto x : m)
    for (std::size_t l = 0; l < bits; ++l) out.push_back(Field128::from_u64((x >> l) & 1));
  return out;
}

}  // namespace

TEST_CASE("SumVec round trip: 10 coordinates in [0, 65535], random measurements") {
  std::mt19937_64 rng(2026);
  auto v = Prio3::sum_vec(10, 65535, Prio3::suggested_chunk_length(10 * 16));
  REQUIRE(v.ok());
  Bytes vk = random_bytes(rng, Prio3::kVerifyKeySize);
  std::vector<std::uint64_t> expect(10, 0);
  std::vector<std::vector<Bytes>> outs(2);
  const int reports = 25;
  for (int r = 0; r < reports; ++r) {
    std::vector<std::uint64_t> m(10);
    for (auto& x : m) x = rng() % 65536;
    if (r == 0) m.assign(10, 65535);  // the bound itself is valid
    for (std::size_t i = 0; i < 10; ++i) expect[i] += m[i];
    Bytes nonce = random_bytes(rng, Prio3::kNonceSize);
    auto sh = v->shard(kCtx, m, nonce, random_bytes(rng, v->rand_size()));
    REQUIRE(sh.ok());
    CHECK(sh->input_shares[0].size() == v->input_share_size(0));
    CHECK(sh->input_shares[1].size() == v->input_share_size(1));
    auto o = prepare(*v, vk, nonce, *sh);
    REQUIRE(o.ok);
    outs[0].push_back(o.out_shares[0]);
    outs[1].push_back(o.out_shares[1]);
  }
  std::vector<Bytes> aggs = {*v->aggregate(outs[0]), *v->aggregate(outs[1])};
  auto result = v->unshard(aggs, reports);
  REQUIRE(result.ok());
  CHECK(*result == expect);
}

TEST_CASE("SumVec: out-of-range coordinates are refused by the client and rejected by preparation") {
  std::mt19937_64 rng(99);
  auto v = Prio3::sum_vec(10, 65535, 13);
  REQUIRE(v.ok());
  Bytes vk = random_bytes(rng, 32), nonce = random_bytes(rng, 16);
  std::vector<std::uint64_t> good(10, 1000);

  SUBCASE("the honest client refuses to shard them") {
    auto above = good;
    above[3] = 65536;
    CHECK(v->shard(kCtx, above, nonce, random_bytes(rng, v->rand_size())).error().code == cairn::Errc::usage);
    std::vector<std::uint64_t> short_m(9, 1);
    CHECK(v->shard(kCtx, short_m, nonce, random_bytes(rng, v->rand_size())).error().code == cairn::Errc::usage);
  }
  SUBCASE("an honest encoding through the malicious path still verifies") {
    auto sh = shard_encoded(*v, bits_of(good, 16), nonce, random_bytes(rng, v->rand_size()));
    CHECK(prepare(*v, vk, nonce, sh).ok);
  }
  SUBCASE("a coordinate above the maximum (a 'bit' of 2) is rejected") {
    auto enc = bits_of(good, 16);
    enc[16 * 4 + 15] = Field128::from_u64(2);  // 1000 + 2·32768 > 65535
    auto sh = shard_encoded(*v, enc, nonce, random_bytes(rng, v->rand_size()));
    auto o = prepare(*v, vk, nonce, sh);
    CHECK_FALSE(o.ok);
    CHECK(o.code == cairn::Errc::refused);
  }
  SUBCASE("a 'negative' coordinate (p - 1) is rejected") {
    auto enc = bits_of(good, 16);
    for (std::size_t l = 0; l < 16; ++l) enc[16 * 7 + l] = Field128::zero();
    enc[16 * 7] = Field128::zero() - Field128::one();  // decodes to p - 1
    auto sh = shard_encoded(*v, enc, nonce, random_bytes(rng, v->rand_size()));
    auto o = prepare(*v, vk, nonce, sh);
    CHECK_FALSE(o.ok);
    CHECK(o.code == cairn::Errc::refused);
  }
  SUBCASE("input shares of the wrong length are corrupt") {
    auto sh = v->shard(kCtx, good, nonce, random_bytes(rng, v->rand_size()));
    REQUIRE(sh.ok());
    Bytes longer = sh->input_shares[0];
    longer.push_back(0);
    CHECK(v->prep_init(vk, kCtx, 0, nonce, sh->public_share, longer).error().code == cairn::Errc::corrupt);
    Bytes shorter(sh->input_shares[1].begin(), sh->input_shares[1].end() - 1);
    CHECK(v->prep_init(vk, kCtx, 1, nonce, sh->public_share, shorter).error().code == cairn::Errc::corrupt);
  }
}

TEST_CASE("hostile and truncated messages are corrupt, never a crash") {
  std::mt19937_64 rng(5);
  auto v = Prio3::histogram(8, 3);
  REQUIRE(v.ok());
  Bytes vk = random_bytes(rng, 32), nonce = random_bytes(rng, 16);
  auto sh = v->shard(kCtx, std::vector<std::uint64_t>{5}, nonce, random_bytes(rng, v->rand_size()));
  REQUIRE(sh.ok());
  auto p0 = v->prep_init(vk, kCtx, 0, nonce, sh->public_share, sh->input_shares[0]);
  auto p1 = v->prep_init(vk, kCtx, 1, nonce, sh->public_share, sh->input_shares[1]);
  REQUIRE(p0.ok());
  REQUIRE(p1.ok());

  // Every truncation of every message.
  for (std::size_t n = 0; n < sh->public_share.size(); ++n)
    CHECK(v->prep_init(vk, kCtx, 0, nonce, Bytes(sh->public_share.begin(), sh->public_share.begin() + n),
                       sh->input_shares[0]).error().code == cairn::Errc::corrupt);
  for (std::size_t n = 0; n < sh->input_shares[0].size(); n += 7)
    CHECK(v->prep_init(vk, kCtx, 0, nonce, sh->public_share,
                       Bytes(sh->input_shares[0].begin(), sh->input_shares[0].begin() + n)).error().code ==
          cairn::Errc::corrupt);
  for (std::size_t n = 0; n < p0->prep_share.size(); n += 5) {
    std::vector<Bytes> shares = {Bytes(p0->prep_share.begin(), p0->prep_share.begin() + n), p1->prep_share};
    CHECK(v->prep_shares_to_prep(kCtx, shares).error().code == cairn::Errc::corrupt);
  }
  CHECK(v->prep_next(kCtx, p0->state, Bytes(31, 0)).error().code == cairn::Errc::corrupt);
  CHECK(v->aggregate(std::vector<Bytes>{Bytes(17, 0)}).error().code == cairn::Errc::corrupt);

  // Field elements >= p inside a correctly sized message.
  Bytes bad_leader = sh->input_shares[0];
  for (std::size_t i = 0; i < 16; ++i) bad_leader[i] = 0xFF;
  CHECK(v->prep_init(vk, kCtx, 0, nonce, sh->public_share, bad_leader).error().code == cairn::Errc::corrupt);
  std::vector<Bytes> bad_prep = {p0->prep_share, p1->prep_share};
  for (std::size_t i = 0; i < 16; ++i) bad_prep[1][i] = 0xFF;
  CHECK(v->prep_shares_to_prep(kCtx, bad_prep).error().code == cairn::Errc::corrupt);
  Bytes bad_out(v->out_share_size(), 0xFF);
  CHECK(v->aggregate(std::vector<Bytes>{bad_out}).error().code == cairn::Errc::corrupt);
  CHECK(v->unshard(std::vector<Bytes>{bad_out, bad_out}, 1).error().code == cairn::Errc::corrupt);

  // A tampered public share passes prep_init but fails the joint randomness check.
  Bytes bad_pub = sh->public_share;
  bad_pub[40] ^= 1;
  auto q0 = v->prep_init(vk, kCtx, 0, nonce, bad_pub, sh->input_shares[0]);
  auto q1 = v->prep_init(vk, kCtx, 1, nonce, bad_pub, sh->input_shares[1]);
  REQUIRE(q0.ok());
  REQUIRE(q1.ok());
  std::vector<Bytes> qs = {q0->prep_share, q1->prep_share};
  CHECK_FALSE(v->prep_shares_to_prep(kCtx, qs).ok());

  // Preconditions are usage errors.
  CHECK(v->prep_init(Bytes(31, 0), kCtx, 0, nonce, sh->public_share, sh->input_shares[0]).error().code ==
        cairn::Errc::usage);
  CHECK(v->prep_init(vk, kCtx, 2, nonce, sh->public_share, sh->input_shares[0]).error().code == cairn::Errc::usage);
}

TEST_CASE("factories reject out-of-range parameters") {
  CHECK_FALSE(Prio3::sum(0).ok());
  CHECK_FALSE(Prio3::sum_vec(0, 10, 1).ok());
  CHECK_FALSE(Prio3::sum_vec(10, 10, 0).ok());
  CHECK_FALSE(Prio3::histogram(0, 1).ok());
  CHECK_FALSE(Prio3::sum_vec_multiproof(FieldId::f64, 0, 10, 255, 9).ok());
  CHECK_FALSE(Prio3::count(1).ok());
  CHECK(Prio3::sum_vec_multiproof(FieldId::f64, 3, 10, 255, 9).ok());
}

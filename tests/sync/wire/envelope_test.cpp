// Report envelope v2: round trip, signature, sealed Prio3 input shares bound to their context, a
// valid report verifying through both aggregators' preparation, and rejection of every tampered,
// truncated, oversized, foreign or version-1 form.
#include <doctest/doctest.h>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/vdaf/field.hpp"
#include "cairn/wire/prio3_plan.hpp"
#include "wire_fixture.hpp"

using namespace cairn;

namespace {
struct Fixture {
  crypto::SignKeyPair device = crypto::sign_keypair();
  crypto::BoxKeyPair leader = crypto::box_keypair();
  crypto::BoxKeyPair helper = crypto::box_keypair();
  wire::Plan plan = test::sample_plan(leader.public_key, helper.public_key);
  wire::Prio3Scheme scheme = wire::prio3_for(plan).value();
  wire::ReportContext ctx;
  std::vector<std::uint64_t> m;
  wire::Envelope env;
  Fixture() {
    ctx.plan_id = plan.id;
    ctx.period = "2026-W47";
    ctx.report_id = wire::new_report_id();
    ctx.device_key = device.public_key;
    m.assign(scheme.length, 0);
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = (7 * i + 3) % (scheme.range[i] + 1);
    dp::ChainHead head;
    head.length = 3;
    head.head[0] = 9;
    env = wire::make_envelope(ctx, head, wire::shard(scheme, ctx, m).value(), {leader.public_key, helper.public_key}, device);
  }
};
}  // namespace

TEST_CASE("an envelope round-trips, both shares open and the report is valid for both aggregators") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto bytes = wire::encode(f.env);
  auto parsed = wire::parse_envelope(bytes);
  REQUIRE(parsed.ok());
  CHECK(parsed->ctx == f.ctx);
  CHECK(parsed->ledger.length == 3);
  CHECK(wire::verify_envelope(*parsed).ok());
  auto ls = wire::open_share(*parsed, wire::Role::leader, f.leader);
  auto hs = wire::open_share(*parsed, wire::Role::helper, f.helper);
  REQUIRE(ls.ok());
  REQUIRE(hs.ok());
  auto out = test::prepare_both(f.scheme, *parsed, ls->prio3, hs->prio3);
  REQUIRE(out.ok());
  auto sums = f.scheme.vdaf.unshard(*out, 1).value();
  CHECK(sums == f.m);
  MESSAGE("envelope of a 3-metric, " << f.scheme.length << "-coordinate plan (max_measurement " << f.scheme.max_measurement
                                      << ", chunk " << f.scheme.chunk_length << "): " << bytes.size() << " bytes");
  CHECK(bytes.size() < wire::kMaxEnvelopeBytes);
}

TEST_CASE("the largest plan the catalog allows fits the envelope") {
  REQUIRE(crypto::init().ok());
  auto plan = test::sample_plan(crypto::box_keypair().public_key, crypto::box_keypair().public_key);
  plan.metrics.clear();
  for (const auto& m : metrics::catalog()) plan.metrics.push_back({m.name, m.spec.coordinates, m.spec.scale, dp::Rational{1, 1}});
  auto s = wire::prio3_for(plan);
  REQUIRE(s.ok());
  crypto::SignKeyPair device = crypto::sign_keypair();
  wire::ReportContext ctx{plan.id, "2026-W47", wire::new_report_id(), device.public_key};
  std::vector<std::uint64_t> m(s->length, 0);
  auto e = wire::make_envelope(ctx, {}, wire::shard(*s, ctx, m).value(), {crypto::box_keypair().public_key, crypto::box_keypair().public_key}, device);
  const auto bytes = wire::encode(e);
  MESSAGE("envelope of the whole catalog (" << s->length << " coordinates): " << bytes.size() << " bytes");
  CHECK(wire::parse_envelope(bytes).ok());
}

TEST_CASE("prio3_for: one instance from the plan, refusing unknown metrics and foreign encodings") {
  REQUIRE(crypto::init().ok());
  auto plan = test::sample_plan(crypto::box_keypair().public_key, crypto::box_keypair().public_key);
  auto s = wire::prio3_for(plan);
  REQUIRE(s.ok());
  CHECK(s->vdaf.algorithm_id() == vdaf::Prio3::kIdSumVecWithMultiproof);
  CHECK(s->vdaf.field() == vdaf::FieldId::f64);
  CHECK(s->vdaf.num_proofs() == wire::kPrio3Proofs);
  CHECK(s->length == plan.coordinates());
  std::uint64_t max = 0;
  for (auto r : s->range) max = std::max(max, r);
  CHECK(s->max_measurement == max);
  auto bad = plan;
  bad.metrics[0].name = "keystrokes";
  CHECK(wire::prio3_for(bad).error().code == Errc::refused);
  bad = plan;
  bad.metrics[0].scale += 1;
  CHECK(wire::prio3_for(bad).error().code == Errc::refused);
}

TEST_CASE("encode_measurement clips to each metric's range and decode_sum undoes the shift") {
  auto plan = test::sample_plan(crypto::box_keypair().public_key, crypto::box_keypair().public_key);
  auto s = wire::prio3_for(plan).value();
  std::vector<std::int64_t> v(s.length);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = s.lo[i] - 5;  // below range
  v[0] = s.lo[0] + static_cast<std::int64_t>(s.range[0]) + 1000;  // above range
  auto m = wire::encode_measurement(s, v);
  CHECK(m[0] == s.range[0]);
  for (std::size_t i = 1; i < m.size(); ++i) CHECK(m[i] == 0);
  // Three reports' sum plus negative noise, as field residues, decodes to the encoded-unit sum.
  std::vector<std::uint64_t> field(s.length);
  for (std::size_t i = 0; i < field.size(); ++i) field[i] = vdaf::Field64::kModulus - 4;  // -4
  auto d = wire::decode_sum(s, field, 3);
  for (std::size_t i = 0; i < d.size(); ++i) CHECK(d[i] == -4 + 3 * s.lo[i]);
}

TEST_CASE("a cheating device's out-of-range coordinate is refused by the aggregators' check") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  // Shard is refused for a value above max_measurement on an honest client...
  std::vector<std::uint64_t> big(f.scheme.length, 0);
  big[0] = f.scheme.max_measurement + 1;
  CHECK_FALSE(wire::shard(f.scheme, f.ctx, big).ok());
  // ...and a report whose shares were tampered with does not verify at preparation.
  auto ls = wire::open_share(f.env, wire::Role::leader, f.leader).value();
  auto hs = wire::open_share(f.env, wire::Role::helper, f.helper).value();
  ls.prio3[0] ^= 1;
  CHECK_FALSE(test::prepare_both(f.scheme, f.env, ls.prio3, hs.prio3).ok());
}

TEST_CASE("each aggregator can open only its own share") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  CHECK_FALSE(wire::open_share(f.env, wire::Role::leader, f.helper).ok());
  CHECK_FALSE(wire::open_share(f.env, wire::Role::helper, f.leader).ok());
  // Swapping the sealed shares: the leader's key opens the helper's share, but its role byte refuses it.
  auto swapped = f.env;
  swapped.leader_sealed = crypto::seal(f.leader.public_key, crypto::seal_open(f.helper, f.env.helper_sealed).value());
  CHECK_FALSE(wire::open_share(swapped, wire::Role::leader, f.leader).ok());
}

TEST_CASE("flipping any byte of the envelope is detected") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto bytes = wire::encode(f.env);
  int accepted = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    auto b = bytes;
    b[i] ^= 0x01;
    auto p = wire::parse_envelope(b);
    if (p.ok() && wire::verify_envelope(*p).ok()) ++accepted;
  }
  CHECK(accepted == 0);
}

TEST_CASE("a share resealed into another report is refused") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  Fixture other;
  auto e = f.env;
  auto plain = crypto::seal_open(other.leader, other.env.leader_sealed).value();
  e.leader_sealed = crypto::seal(f.leader.public_key, plain);
  e.signature = crypto::sign_detached(f.device, wire::signed_part(e));
  REQUIRE(wire::verify_envelope(e).ok());
  auto ls = wire::open_share(e, wire::Role::leader, f.leader);
  REQUIRE_FALSE(ls.ok());
  CHECK(ls.error().code == Errc::corrupt);
}

TEST_CASE("truncated, trailing, oversized, foreign and version-1 inputs are rejected with one line") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto bytes = wire::encode(f.env);
  for (std::size_t n : {std::size_t{0}, std::size_t{4}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    auto p = wire::parse_envelope({bytes.data(), n});
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == Errc::corrupt);
    CHECK(p.error().message.find('\n') == std::string::npos);
  }
  auto trailing = bytes;
  trailing.push_back(0);
  CHECK_FALSE(wire::parse_envelope(trailing).ok());
  std::vector<std::uint8_t> big(wire::kMaxEnvelopeBytes + 1, 0);
  auto p = wire::parse_envelope(big);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().code == Errc::too_large);
  auto v3 = bytes;
  v3[8] = 3;  // version field
  auto pv = wire::parse_envelope(v3);
  REQUIRE_FALSE(pv.ok());
  CHECK(pv.error().message.find("version") != std::string::npos);
  // A version-1 envelope (magic CRNENV01): refused, saying why.
  auto v1 = bytes;
  v1[7] = '1';
  auto p1 = wire::parse_envelope(v1);
  REQUIRE_FALSE(p1.ok());
  CHECK(p1.error().message.find("version 1") != std::string::npos);
  CHECK(p1.error().message.find('\n') == std::string::npos);
}

TEST_CASE("the share plaintext parser checks role, lengths and trailing bytes") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto plain = crypto::seal_open(f.leader, f.env.leader_sealed).value();
  CHECK(wire::parse_share(plain, wire::Role::leader).ok());
  auto shorter = plain;
  shorter.pop_back();
  CHECK_FALSE(wire::parse_share(shorter, wire::Role::leader).ok());
  auto longer = plain;
  longer.push_back(0);
  CHECK_FALSE(wire::parse_share(longer, wire::Role::leader).ok());
  CHECK_FALSE(wire::parse_share(plain, wire::Role::helper).ok());
  auto v1 = plain;
  v1[7] = '1';
  CHECK_FALSE(wire::parse_share(v1, wire::Role::leader).ok());
}

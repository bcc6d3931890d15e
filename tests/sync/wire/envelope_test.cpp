// Report envelope: round trip, signature, sealed shares bound to their context, and rejection of
// every tampered, truncated or oversized form.
#include <doctest/doctest.h>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"

using namespace cairn;

namespace {
struct Fixture {
  crypto::SignKeyPair device = crypto::sign_keypair();
  crypto::BoxKeyPair leader = crypto::box_keypair();
  crypto::BoxKeyPair helper = crypto::box_keypair();
  wire::ReportContext ctx;
  std::vector<std::int64_t> y = {5, -3, 1000};
  wire::Envelope env;
  Fixture() {
    ctx.plan_id = "plan-1";
    ctx.period = "2026-W47";
    ctx.report_id = wire::new_report_id();
    ctx.device_key = device.public_key;
    dp::ChainHead head;
    head.length = 3;
    head.head[0] = 9;
    env = wire::make_envelope(ctx, head, wire::split(y), {leader.public_key, helper.public_key}, device);
  }
};
}  // namespace

TEST_CASE("an envelope round-trips and both shares open to the value") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto bytes = wire::encode(f.env);
  auto parsed = wire::parse_envelope(bytes);
  REQUIRE(parsed.ok());
  CHECK(parsed->ctx == f.ctx);
  CHECK(parsed->ledger.length == 3);
  CHECK(wire::verify_envelope(*parsed).ok());
  auto ls = wire::open_leader_share(*parsed, f.leader);
  auto hs = wire::open_helper_share(*parsed, f.helper);
  REQUIRE(ls.ok());
  REQUIRE(hs.ok());
  CHECK(hs->n == 3);
  CHECK(wire::combine(ls->values, wire::expand_seed(hs->seed, hs->n)) == f.y);
}

TEST_CASE("each aggregator can open only its own share") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  CHECK_FALSE(wire::open_leader_share(f.env, f.helper).ok());
  CHECK_FALSE(wire::open_helper_share(f.env, f.leader).ok());
  // Swapping the sealed shares: the leader's key opens the helper's share, but its role byte refuses it.
  auto swapped = f.env;
  swapped.leader_sealed = crypto::seal(f.leader.public_key, crypto::seal_open(f.helper, f.env.helper_sealed).value());
  CHECK_FALSE(wire::open_leader_share(swapped, f.leader).ok());
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
  // The device (honest or not) signs an envelope whose leader share came from another report:
  // the signature verifies, but the share's inner context does not match.
  Fixture other;
  auto e = f.env;
  auto plain = crypto::seal_open(other.leader, other.env.leader_sealed).value();
  e.leader_sealed = crypto::seal(f.leader.public_key, plain);
  e.signature = crypto::sign_detached(f.device, wire::signed_part(e));
  REQUIRE(wire::verify_envelope(e).ok());
  auto ls = wire::open_leader_share(e, f.leader);
  REQUIRE_FALSE(ls.ok());
  CHECK(ls.error().code == Errc::corrupt);
}

TEST_CASE("truncated, trailing, oversized and foreign inputs are rejected with one line") {
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
  auto v2 = bytes;
  v2[8] = 2;  // version field
  auto pv = wire::parse_envelope(v2);
  REQUIRE_FALSE(pv.ok());
  CHECK(pv.error().message.find("version") != std::string::npos);
}

TEST_CASE("share plaintext parsers check counts and lengths") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto plain = crypto::seal_open(f.leader, f.env.leader_sealed).value();
  CHECK(wire::parse_leader_share(plain).ok());
  auto shorter = plain;
  shorter.pop_back();
  CHECK_FALSE(wire::parse_leader_share(shorter).ok());
  CHECK_FALSE(wire::parse_helper_share(plain).ok());
}

// Plans, enrollment tokens and requests: round trips, signatures, limits.
#include <doctest/doctest.h>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/plan.hpp"

using namespace cairn;

namespace {
wire::Plan sample_plan() {
  wire::Plan p;
  p.id = "team-a-2026";
  p.org = "Acme";
  p.team = "platform";
  p.purpose = "How much focus time the team gets";
  p.cadence = "week";
  p.k = 10;
  p.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
  p.metrics.push_back({"focus_hours", 1, 60, dp::Rational{12345, 7}, dp::Rational{0, 1}});
  p.leader = {"http://127.0.0.1:1", crypto::box_keypair().public_key};
  p.helper = {"http://127.0.0.1:2", crypto::box_keypair().public_key};
  p.created = 1700000000;
  return p;
}
}  // namespace

TEST_CASE("a signed plan round-trips and verifies") {
  REQUIRE(crypto::init().ok());
  auto org = crypto::sign_keypair();
  auto sp = wire::sign_plan(sample_plan(), org);
  auto back = wire::parse_signed_plan(sp.text);
  REQUIRE(back.ok());
  CHECK(back->plan.id == "team-a-2026");
  CHECK(back->plan.org_key == org.public_key);
  CHECK(back->plan.metrics[0].mu == dp::Rational{12345, 7});
  CHECK(back->plan.budget.scope == dp::BudgetScope::per_release);
  CHECK(back->plan.leader.box_key == sp.plan.leader.box_key);
}

TEST_CASE("a plan changed after signing, or signed by another key, is refused") {
  REQUIRE(crypto::init().ok());
  auto org = crypto::sign_keypair();
  auto sp = wire::sign_plan(sample_plan(), org);
  // Lower k inside the signed body.
  auto tampered = sp.text;
  auto pos = tampered.find("\\\"k\\\":10");
  REQUIRE(pos != std::string::npos);
  tampered.replace(pos, 8, "\\\"k\\\":2 ");
  auto r = wire::parse_signed_plan(tampered);
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK(r.error().message.find("signature") != std::string::npos);

  // Someone else's key claiming to be the org: verifies under its own key, so callers must pin.
  auto mallory = crypto::sign_keypair();
  auto forged = wire::sign_plan(sample_plan(), mallory);
  auto f = wire::parse_signed_plan(forged.text);
  REQUIRE(f.ok());
  CHECK(f->plan.org_key != org.public_key);
}

TEST_CASE("plan parser limits and malformed inputs") {
  REQUIRE(crypto::init().ok());
  CHECK(wire::parse_signed_plan(std::string(wire::kMaxPlanBytes + 1, ' ')).error().code == Errc::too_large);
  for (const char* bad : {"", "[]", "{}", "{\"cairn_plan\":2}", "{\"cairn_plan\":1,\"body\":\"{}\",\"sig\":\"\"}", "nul\0l"}) {
    auto r = wire::parse_signed_plan(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::corrupt);
  }
  CHECK(wire::valid_plan_id("a.b_c-1"));
  CHECK_FALSE(wire::valid_plan_id("a/b"));
  CHECK_FALSE(wire::valid_plan_id(""));
}

TEST_CASE("enrollment token and request round trip") {
  REQUIRE(crypto::init().ok());
  wire::EnrollToken t;
  t.org = "Acme";
  t.team = "platform";
  t.org_key = crypto::sign_keypair().public_key;
  t.leader = {"http://127.0.0.1:1", crypto::box_keypair().public_key};
  t.helper = {"https://helper.example:443", crypto::box_keypair().public_key};
  crypto::random_bytes(t.secret);
  auto text = wire::encode_token(t);
  auto back = wire::parse_token(text + "\n");
  REQUIRE(back.ok());
  CHECK(back->team == "platform");
  CHECK(back->secret == t.secret);
  CHECK(back->helper.url == t.helper.url);
  CHECK_FALSE(wire::parse_token(text.substr(0, text.size() - 10)).ok());
  CHECK_FALSE(wire::parse_token("hello").ok());
  CHECK(wire::token_hash(t.secret).size() == 64);

  auto device = crypto::sign_keypair();
  auto req = wire::make_enroll(t.secret, t.team, device);
  auto body = wire::encode_enroll(req);
  auto parsed = wire::parse_enroll(body);
  REQUIRE(parsed.ok());
  CHECK(parsed->device_key == device.public_key);
  // Claiming another team breaks the signature.
  auto other = body;
  other.replace(other.find("platform"), 8, "platfor2");
  CHECK_FALSE(wire::parse_enroll(other).ok());
}

// Plans, enrollment tokens and requests: round trips, signatures, limits.
#include <doctest/doctest.h>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/plan_check.hpp"
#include "wire_fixture.hpp"

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
  p.metrics.push_back({"focus_hours", 1, 60, dp::Rational{12345, 7}});
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
  CHECK(back->plan.metrics[0].sigma2 == dp::Rational{12345, 7});
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
  for (const char* bad : {"", "[]", "{}", "{\"cairn_plan\":2}", "{\"cairn_plan\":2,\"body\":\"{}\",\"sig\":\"\"}", "nul\0l"}) {
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

TEST_CASE("a version-1 plan (device noise) is refused with one line saying why") {
  auto r = wire::parse_signed_plan(R"({"cairn_plan":1,"body":"{}","sig":""})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("version 1") != std::string::npos);
  CHECK(r.error().message.find('\n') == std::string::npos);
}

TEST_CASE("check_plan recomputes each layer's noise and refuses an under-noised plan") {
  REQUIRE(crypto::init().ok());
  auto p = test::sample_plan(crypto::box_keypair().public_key, crypto::box_keypair().public_key);
  auto ok = wire::check_plan(p);
  REQUIRE(ok.ok());
  CHECK(ok->cadence == dp::Cadence::week);
  CHECK(ok->required.releases_per_year == dp::releases_per_year(dp::Cadence::week));
  CHECK(ok->cost == ok->required.cost);
  // Over-noised: accepted, and the ledger is charged for what the plan's (larger) noise costs.
  auto more = p;
  more.metrics[0].sigma2 = dp::Rational{more.metrics[0].sigma2.num * 4, more.metrics[0].sigma2.den};
  auto m = wire::check_plan(more);
  REQUIRE(m.ok());
  CHECK(dp::epsilon_for_delta(dp::rdp_curve(m->cost), 1e-6) < dp::epsilon_for_delta(dp::rdp_curve(ok->cost), 1e-6));
  // Under-noised by one part in a thousand: refused.
  auto less = p;
  less.metrics[1].sigma2 = dp::Rational{less.metrics[1].sigma2.num * 999, less.metrics[1].sigma2.den * 1000};
  auto r = wire::check_plan(less);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(r.error().message.find("below what its privacy budget needs") != std::string::npos);
  // A larger budget on paper with the same noise is under-noised too.
  auto greedy = p;
  greedy.budget.epsilon = 0.5;
  CHECK_FALSE(wire::check_plan(greedy).ok());
}

TEST_CASE("upload and enrollment answers round-trip and refuse malformed bodies") {
  wire::UploadAnswer u{"stored", "00ff", true, true};
  auto back = wire::parse_upload_answer(wire::encode_upload_answer(u));
  REQUIRE(back.ok());
  CHECK(back->both_hold());
  auto one = wire::parse_upload_answer(R"({"status":"stored","held_by":["leader"]})");
  REQUIRE(one.ok());
  CHECK_FALSE(one->both_hold());
  CHECK_FALSE(wire::parse_upload_answer(R"({"status":"stored","held_by":["mallory"]})").ok());
  CHECK_FALSE(wire::parse_upload_answer(R"({"status":"stored"})").ok());

  wire::EnrollAnswer a;
  a.replaced = true;
  a.reported.push_back({"p1", "2026-W47", 1764547200, {dp::NoiseTerm{dp::Mechanism::discrete_gaussian, dp::Rational{123, 1}, 600, 360000}}});
  auto ea = wire::parse_enroll_answer(wire::encode_enroll_answer(a));
  REQUIRE(ea.ok());
  CHECK(ea->replaced);
  REQUIRE(ea->reported.size() == 1);
  CHECK(ea->reported[0] == a.reported[0]);
  CHECK(wire::parse_enroll_answer("").value().reported.empty());
  CHECK(wire::parse_enroll_answer(R"({"status":"enrolled"})").value().reported.empty());
  for (const char* bad : {R"({"reported":[{"plan":"p","period":"w","time":1,"cost":[]}]})",
                          R"({"reported":[{"plan":"p","period":"w","time":1,"cost":[{"mechanism":"gaussian","variance":"0/1","l1":1,"l2_squared":1}]}]})",
                          R"({"reported":[{"plan":"a/b","period":"w","time":1,"cost":[{"mechanism":"gaussian","variance":"1/1","l1":1,"l2_squared":1}]}]})",
                          // Aggregators charge one discrete Gaussian layer; version one's device-side
                          // Skellam noise is never an aggregator's to report.
                          R"({"reported":[{"plan":"p","period":"w","time":1,"cost":[{"mechanism":"skellam","variance":"1/1","l1":1,"l2_squared":1}]}]})",
                          R"({"replaced":"yes"})", "[]"})
    CHECK_FALSE(wire::parse_enroll_answer(bad).ok());
}

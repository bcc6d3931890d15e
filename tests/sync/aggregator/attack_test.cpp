// Every attack the issue names is refused with its status, and neither aggregator's stored state
// changes (a digest over every row of every table, before and after).
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

namespace {
void expect_refused(Pair&, const aggregator::Response& r, int status, const char* why) {
  INFO(why << ": " << r.body);
  CHECK(r.status == status);
  CHECK(r.body.find("\"error\"") != std::string::npos);
}
}  // namespace

TEST_CASE("a valid report is accepted by the leader and forwarded to the helper") {
  Pair p("agg_valid");
  const auto before = p.helper->state_digest().value();
  auto r = p.upload(p.report(0, 600));
  CHECK(r.status == 201);
  CHECK(p.helper->state_digest().value() != before);
}

TEST_CASE("forged signature: 401, nothing stored") {
  Pair p("agg_forged");
  auto e = p.report(0, 600);
  e.signature[5] ^= 1;
  const auto d = p.digest();
  expect_refused(p, p.upload(e), 401, "forged signature");
  CHECK(p.digest() == d);
  // Signed by another key while claiming the enrolled device's key.
  auto e2 = p.report(1, 600);
  auto mallory = crypto::sign_keypair();
  e2.signature = crypto::sign_detached(mallory, wire::signed_part(e2));
  expect_refused(p, p.upload(e2), 401, "signed by another key");
  CHECK(p.digest() == d);
}

TEST_CASE("unknown device: 403, nothing stored") {
  Pair p("agg_unknown");
  test::Device stranger;
  wire::ReportContext ctx{p.plan.id, "2026-11", wire::new_report_id(), stranger.keys.public_key};
  std::vector<std::int64_t> v{600};
  auto shares = wire::shard(*p.scheme, ctx, wire::encode_measurement(*p.scheme, v)).value();
  auto e = wire::make_envelope(ctx, {}, shares, {p.plan.leader.box_key, p.plan.helper.box_key}, stranger.keys);
  e.ledger.length = 1;
  e.signature = crypto::sign_detached(stranger.keys, wire::signed_part(e));
  const auto d = p.digest();
  expect_refused(p, p.upload(e), 403, "unknown device");
  CHECK(p.digest() == d);
}

TEST_CASE("replayed report: 'already held', nothing stored; a second report in one period: 409") {
  Pair p("agg_replay");
  auto e = p.report(0, 600);
  REQUIRE(p.upload(e).status == 201);
  const auto d = p.digest();
  auto again = p.upload(e);
  CHECK(again.status == 200);
  CHECK(again.body.find("already held") != std::string::npos);
  CHECK(p.digest() == d);
  expect_refused(p, p.upload(p.report(0, 700)), 409, "second report in the period");
  CHECK(p.digest() == d);
  // The replayed envelope sent straight to the helper by the leader again is refused there too.
  auto fwd = p.post(*p.helper, "/v1/helper/reports", Pair::bytes(e));
  CHECK(fwd.status == 401);  // not signed by the leader
  CHECK(p.digest() == d);
}

TEST_CASE("report for a closed period: 410, nothing stored") {
  Pair p("agg_closed", 3, 5);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  REQUIRE(p.leader->release(p.plan.id, "2026-11").ok());
  const auto d = p.digest();
  expect_refused(p, p.upload(p.report(3, 600)), 410, "closed period");
  CHECK(p.digest() == d);
  // The next period is still open.
  CHECK(p.upload(p.report(3, 600, "2026-12")).status == 201);
}

TEST_CASE("truncated and oversized bodies: 400 and 413, nothing stored") {
  Pair p("agg_sizes");
  auto b = Pair::bytes(p.report(0, 600));
  const auto d = p.digest();
  for (std::size_t n : {std::size_t{0}, std::size_t{8}, b.size() / 2, b.size() - 1})
    expect_refused(p, p.post(*p.leader, "/v1/reports", b.substr(0, n)), 400, "truncated");
  expect_refused(p, p.post(*p.leader, "/v1/reports", b + std::string(200 * 1024, 'x')), 413, "oversized");
  expect_refused(p, p.post(*p.leader, "/v1/enroll", std::string(5000, '{')), 413, "oversized enrollment");
  expect_refused(p, p.post(*p.leader, "/v1/enroll", "{\"v\":1}"), 400, "malformed enrollment");
  CHECK(p.digest() == d);
}

TEST_CASE("tampered share: refused, nothing stored") {
  Pair p("agg_tamper");
  // In transit: one byte of the sealed leader share flipped -> the device signature fails.
  auto e = p.report(0, 600);
  e.leader_sealed[40] ^= 0x80;
  const auto d = p.digest();
  expect_refused(p, p.upload(e), 401, "share flipped in transit");
  // The helper's share tampered in transit: same.
  auto e2 = p.report(1, 600);
  e2.helper_sealed.back() ^= 1;
  expect_refused(p, p.upload(e2), 401, "helper share flipped in transit");
  // A device signs an envelope whose leader share was sealed for another report: 400.
  auto a = p.report(2, 600);
  auto b2 = p.report(2, 700, "2026-11", false);
  a.leader_sealed = b2.leader_sealed;
  a.signature = crypto::sign_detached(p.devices[2].keys, wire::signed_part(a));
  expect_refused(p, p.upload(a), 400, "share lifted from another report");
  // The same for the helper's share: the leader accepts its own share, the helper refuses, and the
  // leader then stores nothing either.
  auto c = p.report(3, 600);
  auto c2 = p.report(3, 700, "2026-11", false);
  c.helper_sealed = c2.helper_sealed;
  c.signature = crypto::sign_detached(p.devices[3].keys, wire::signed_part(c));
  expect_refused(p, p.upload(c), 400, "helper share lifted from another report");
  CHECK(p.digest() == d);
}

TEST_CASE("a device whose ledger chain goes backwards: 409, nothing stored") {
  Pair p("agg_ledger");
  REQUIRE(p.upload(p.report(0, 600, "2026-11")).status == 201);
  p.devices[0].ledger_length = 0;  // the device's store was rolled back to an older copy
  const auto d = p.digest();
  expect_refused(p, p.upload(p.report(0, 600, "2026-12")), 409, "ledger rolled back");
  CHECK(p.digest() == d);
}

TEST_CASE("reports for unknown plans or periods off the cadence are refused") {
  Pair p("agg_plan");
  const auto d = p.digest();
  expect_refused(p, p.upload(p.report(0, 600, "2026-W47")), 400, "week label on a monthly plan");
  auto e = p.report(1, 600);
  e.ctx.plan_id = "nope";
  e.signature = crypto::sign_detached(p.devices[1].keys, wire::signed_part(e));
  // Its sealed share still names focus-1 inside, so it is refused before the plan lookup.
  CHECK(p.upload(e).status >= 400);
  CHECK(p.digest() == d);
}

TEST_CASE("enrollment: unknown, reused and other-team tokens are refused") {
  Pair p("agg_enroll", 3, 1);
  const auto d = p.digest();
  wire::TokenSecret secret{};
  crypto::random_bytes(secret);
  auto device = crypto::sign_keypair();
  expect_refused(p, p.post(*p.leader, "/v1/enroll", wire::encode_enroll(wire::make_enroll(secret, "platform", device))), 403,
                 "unknown token");
  CHECK(p.digest() == d);
  // A token the leader made but the helper never allowed: the helper refuses.
  auto tok = wire::parse_token(p.leader->create_tokens("platform", 1, 1000).value()[0].token).value();
  auto body = wire::encode_enroll(wire::make_enroll(tok.secret, "platform", device));
  const auto hd = p.helper->state_digest().value();
  expect_refused(p, p.post(*p.helper, "/v1/enroll", body), 403, "token not allowed at the helper");
  CHECK(p.helper->state_digest().value() == hd);
  REQUIRE(p.post(*p.leader, "/v1/enroll", body).status == 201);
  CHECK(p.post(*p.leader, "/v1/enroll", body).status == 200);  // idempotent for the same device
  auto other = crypto::sign_keypair();
  const auto ld = p.leader->state_digest().value();
  expect_refused(p, p.post(*p.leader, "/v1/enroll", wire::encode_enroll(wire::make_enroll(tok.secret, "sales", other))), 403,
                 "token of another team");
  CHECK(p.leader->state_digest().value() == ld);
}

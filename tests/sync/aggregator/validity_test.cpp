// Reports v2 at the aggregators (issue 15): only a report whose Prio3 proof verifies enters an
// aggregate (nothing of an invalid one is stored on either side); complete batches and the
// explicit reconciliation of a report one side lacks; the idempotent upload; the report window;
// the helper's own check of a plan's noise.
#include <nlohmann/json.hpp>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/sql/sql.hpp"

#include "fixture.hpp"
#include "cairn/wire/answers.hpp"
#include "impl.hpp"

using namespace cairn;
using test::Pair;

namespace {

void add_to_element(crypto::Bytes& b, std::size_t at, std::uint64_t delta) {
  REQUIRE(b.size() >= at + 8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{b[at + static_cast<std::size_t>(i)]} << (8 * i);
  v = (v + delta) % aggregator::kField64Modulus;
  for (int i = 0; i < 8; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Drops the helper's answer to the first forwarded batch (the helper did the work).
class DroppingLink final : public aggregator::HelperLink {
 public:
  explicit DroppingLink(aggregator::Aggregator& helper) : inner_(helper) {}
  aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    auto r = inner_.post(path, body, sig);
    if (path == "/v1/helper/reports" && drop_next) {
      drop_next = false;
      return {502, R"({"error":"connection reset"})"};
    }
    return r;
  }
  bool drop_next = true;

 private:
  test::InProcessLink inner_;
};

// The organisation's signing key, read from the leader's state as its operator could: for tests
// that play a leader sending what the real one never would.
crypto::SignKeyPair org_keys_of(const std::filesystem::path& leader_dir) {
  auto raw = fs::read_file(leader_dir / "state.key", 64).value();
  auto db = sql::Db::open(leader_dir / "state.db", {}).value();
  REQUIRE(db.key(crypto::SecretBytes::from(raw)).ok());
  auto seed = crypto::from_base64(db.scalar_text("SELECT value FROM config WHERE key = 'org_sign_seed'").value()).value();
  return crypto::sign_keypair_from_seed(crypto::SecretBytes::from(seed));
}

}  // namespace

TEST_CASE("invalid Prio3 reports are refused with a one-line reason; neither database changes") {
  Pair p("val_invalid", 3, 8);
  struct Case {
    const char* name;
    test::ShareEdit edit;
  };
  const std::vector<Case> cases{
      {"a coordinate out of range (its bit made 2)", [](wire::Prio3Shares& s) { add_to_element(s.leader_input, 0, 1); }},
      {"a forged proof (last proof element changed)",
       [](wire::Prio3Shares& s) { add_to_element(s.leader_input, s.leader_input.size() - 8, 12345); }},
      {"the leader's input share one element short", [](wire::Prio3Shares& s) { s.leader_input.resize(s.leader_input.size() - 8); }},
      {"the helper's input share one byte short", [](wire::Prio3Shares& s) { s.helper_input.pop_back(); }},
      {"a public share of the wrong length", [](wire::Prio3Shares& s) { s.public_share.push_back(0); }},
      {"a joint randomness part changed", [](wire::Prio3Shares& s) { s.public_share[3] ^= 1; }},
      {"an element not in the field", [](wire::Prio3Shares& s) {
         for (int i = 0; i < 8; ++i) s.leader_input[static_cast<std::size_t>(i)] = 0xFF;
       }},
  };
  const auto d = p.digest();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto r = p.upload(p.report(i, 600, "2026-11", true, cases[i].edit));
    INFO(cases[i].name << ": " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find("\"error\"") != std::string::npos);
    CHECK(r.body.find('\n') == std::string::npos);
    CHECK(p.digest() == d);
  }
  // The same devices' honest reports are accepted afterwards.
  for (std::size_t i = 0; i < 3; ++i) CHECK(p.upload(p.report(i, 600)).status == 201);
}

TEST_CASE("a helper restored from an older copy lacks one report: the release drops it from both and completes") {
  Pair p("val_restore", 3, 5);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  const auto base = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "val_restore";
  p.helper.reset();
  std::filesystem::copy(base / "helper", base / "helper-copy", std::filesystem::copy_options::recursive);
  p.helper = aggregator::Aggregator::open(base / "helper").value();
  p.helper->set_clock([c = p.now] { return c->load(); });
  p.leader->set_helper_link(std::make_unique<test::InProcessLink>(*p.helper));
  REQUIRE(p.upload(p.report(3, 900)).status == 201);
  // The helper's disk is lost and restored from the copy made before report 3 arrived.
  p.helper.reset();
  std::filesystem::remove_all(base / "helper");
  std::filesystem::rename(base / "helper-copy", base / "helper");
  p.helper = aggregator::Aggregator::open(base / "helper").value();
  p.helper->set_clock([c = p.now] { return c->load(); });
  p.leader->set_helper_link(std::make_unique<test::InProcessLink>(*p.helper));
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(r->n == 3);
  CHECK(r->dropped == 1);
  REQUIRE(r->values.size() == 1);
  const double sd = std::sqrt(r->values[0].noise_variance) / 60;
  CHECK(std::abs(r->values[0].noisy_sum - 30.0) < 6 * sd);  // 3 x 600 minutes, report 3 left out
  // Released once, not stuck: asking again gives the same result.
  auto again = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(again.ok());
  CHECK(again->values[0].noisy_sum == r->values[0].noisy_sum);
}

TEST_CASE("the helper's answer lost: the retry stores the report at the leader once, both hold it once") {
  Pair p("val_retry", 3, 5);
  auto link = std::make_unique<DroppingLink>(*p.helper);
  p.leader->set_helper_link(std::move(link));
  auto e = p.report(0, 600);
  const auto lost = p.upload(e);
  CHECK(lost.status == 502);  // the device keeps it pending
  const auto helper_after_first = p.helper->state_digest().value();
  auto retry = p.upload(e);
  REQUIRE(retry.status == 201);
  auto answer = wire::parse_upload_answer(retry.body);
  REQUIRE(answer.ok());
  CHECK(answer->both_hold());
  CHECK(p.helper->state_digest().value() == helper_after_first);  // the helper stored nothing new
  auto third = p.upload(e);
  CHECK(third.status == 200);
  CHECK(wire::parse_upload_answer(third.body).value().status == "already held");
  for (std::size_t i = 1; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(r.ok());
  CHECK(r->n == 3);
  CHECK(r->dropped == 0);
}

TEST_CASE("a report the helper holds and the leader never got: recovered from the helper at release, not dropped") {
  Pair p("val_leader_lacks", 3, 5);
  auto link = std::make_unique<DroppingLink>(*p.helper);
  p.leader->set_helper_link(std::move(link));
  CHECK(p.upload(p.report(0, 900)).status == 502);  // and the device never retries
  for (std::size_t i = 1; i < 4; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(r->n == 4);
  CHECK(r->dropped == 0);
  REQUIRE(r->values.size() == 1);
  const double sd = std::sqrt(r->values[0].noise_variance) / 60;
  CHECK(std::abs(r->values[0].noisy_sum - 45.0) < 6 * sd);  // 900 + 3 x 600 minutes: report 0 counted
}

TEST_CASE("complete batches: the helper refuses to drop a report the leader could recover") {
  Pair p("val_no_subset", 3, 5);
  const auto org = org_keys_of(std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "val_no_subset" / "leader");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < 4; ++i) {
    auto e = p.report(i, 600);
    ids.push_back(wire::report_id_hex(e.ctx.report_id));
    REQUIRE(p.upload(e).status == 201);
  }
  auto ask = [&](const std::string& path, const nlohmann::json& body) {
    aggregator::Request q;
    q.method = "POST";
    q.path = path;
    q.body = body.dump();
    q.org_signature = aggregator::org_sign_request(org, path, q.body);
    return p.helper->handle(q);
  };
  REQUIRE(ask("/v1/helper/close", {{"plan", p.plan.id}, {"period", "2026-11"}}).status == 200);
  const auto d = p.helper->state_digest().value();
  // Three of four (still k): refused, nothing changes, and the whole set is answered afterwards.
  const std::vector<std::string> three(ids.begin(), ids.begin() + 3);
  auto sub = ask("/v1/helper/aggregate", {{"plan", p.plan.id}, {"period", "2026-11"}, {"drop", {ids[3]}}, {"count", 3},
                                          {"checksum", aggregator::batch_checksum(p.plan.id, "2026-11", three)}});
  CHECK(sub.status == 403);
  CHECK(sub.body.find("recovered") != std::string::npos);
  CHECK(p.helper->state_digest().value() == d);
  auto rec = ask("/v1/helper/recover", {{"plan", p.plan.id}, {"period", "2026-11"}, {"ids", {ids[3]}}});
  REQUIRE(rec.status == 200);
  CHECK(nlohmann::json::parse(rec.body)["reports"].size() == 1);
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(r.ok());
  CHECK(r->n == 4);
  // Once released, nothing is given back any more.
  CHECK(ask("/v1/helper/recover", {{"plan", p.plan.id}, {"period", "2026-11"}, {"ids", {ids[3]}}}).status == 409);
}

TEST_CASE("reports outside the period's window are refused with a clear message; nothing stored") {
  Pair p("val_window", 3, 5);
  const auto d = p.digest();
  for (const char* period : {"2026-10", "2025-12", "2027-01", "2030-06"}) {
    auto r = p.upload(p.report(0, 600, period));
    INFO(period << ": " << r.body);
    CHECK(r.status == 410);
    CHECK(r.body.find("\"error\"") != std::string::npos);
    CHECK(p.digest() == d);
  }
}

TEST_CASE("the noise the organisation sees does not depend on k") {
  Pair p("val_k", 3, 3);
  auto big = p.leader->create_plan(Pair::plan_request("focus-big-k", 100000), 1000).value().plan;
  REQUIRE(big.metrics.size() == p.plan.metrics.size());
  CHECK(big.metrics[0].sigma2 == p.plan.metrics[0].sigma2);
}

TEST_CASE("the helper refuses to register a plan with less noise than its budget needs") {
  REQUIRE(crypto::init().ok());
  Pair p("val_plan_noise", 3, 1);
  // A helper serving an organisation whose signing key this test holds.
  auto org = crypto::sign_keypair();
  auto dir = test::fresh_dir("val_plan_noise_helper");
  REQUIRE(aggregator::Aggregator::init(dir, {aggregator::Role::helper, "", crypto::to_base64(org.public_key), "http://h2.test"}, 1000).ok());
  auto helper = aggregator::Aggregator::open(dir).value();
  wire::Plan plan = p.plan;
  plan.id = "focus-under";
  plan.helper.box_key = helper->info().value().box_key;
  plan.org_key = org.public_key;
  auto post_plan = [&](const wire::Plan& pl) {
    auto sp = wire::sign_plan(pl, org);
    crypto::Bytes vk(32, 7);
    aggregator::Request r;
    r.method = "POST";
    r.path = "/v1/helper/plans";
    r.body = nlohmann::json{{"plan", sp.text}, {"verify_key", crypto::to_base64(crypto::seal(pl.helper.box_key, vk))}}.dump();
    r.org_signature = aggregator::org_sign_request(org, r.path, r.body);
    return helper->handle(r);
  };
  auto under = plan;
  under.metrics[0].sigma2 = dp::Rational::integer(1);
  const auto d = helper->state_digest().value();
  auto refused = post_plan(under);
  INFO(refused.body);
  CHECK(refused.status == 400);
  CHECK(refused.body.find("noise") != std::string::npos);
  CHECK(helper->state_digest().value() == d);
  CHECK(post_plan(plan).status == 201);
}

TEST_CASE("one budget per employee: the token enrolled again elsewhere replaces the device and carries its year") {
  Pair p("val_reenroll", 3, 3);
  REQUIRE(p.upload(p.report(0, 600, "2026-11")).status == 201);
  // The employee's token, enrolled again from a new device (the fixture's tokens are not kept:
  // make one for a fresh employee and do the same with it).
  auto tok = wire::parse_token(p.leader->create_tokens("platform", 1, 1000).value()[0].token).value();
  REQUIRE(p.helper->allow_tokens("platform", {wire::token_hash(tok.secret)}, 1000).ok());
  test::Device first, second;
  for (auto* a : {p.leader.get(), p.helper.get()})
    REQUIRE(Pair::post(*a, "/v1/enroll", wire::encode_enroll(wire::make_enroll(tok.secret, "platform", first.keys))).status == 201);
  p.devices.push_back(std::move(first));
  const std::size_t f = p.devices.size() - 1;
  REQUIRE(p.upload(p.report(f, 600, "2026-11")).status == 201);
  for (auto* a : {p.leader.get(), p.helper.get()}) {
    auto r = Pair::post(*a, "/v1/enroll", wire::encode_enroll(wire::make_enroll(tok.secret, "platform", second.keys)));
    REQUIRE(r.status == 201);
    auto answer = wire::parse_enroll_answer(r.body);
    REQUIRE_MESSAGE(answer.ok(), r.body << " -> " << (answer.ok() ? "" : answer.error().message));
    CHECK(answer->replaced);
    REQUIRE(answer->reported.size() == 1);
    CHECK(answer->reported[0].plan_id == p.plan.id);
    CHECK(answer->reported[0].period == "2026-11");
    CHECK(answer->reported[0].time == days_from_civil(2026, 12, 1) * 86400);
    CHECK(!answer->reported[0].cost.empty());
  }
  p.devices.push_back(std::move(second));
  const std::size_t s = p.devices.size() - 1;
  const auto d = p.digest();
  auto old = p.upload(p.report(f, 600, "2026-12"));
  CHECK(old.status == 403);  // the first device's key is refused from now on
  auto again = p.upload(p.report(s, 600, "2026-11"));
  CHECK(again.status == 409);  // one report per employee and period, whichever device
  CHECK(p.digest() == d);
  CHECK(p.upload(p.report(s, 600, "2026-12")).status == 201);
}

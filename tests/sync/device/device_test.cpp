// DeviceShare against a real leader and helper connected in-process: enrollment pins keys, a plan
// signed by another key is refused, an approved report survives going offline and a restart and
// is uploaded exactly once, transient failures are retried, a declined report never leaves.
#include <doctest/doctest.h>

#include <map>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/device/device.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

// Routes by base URL to in-process aggregators; can go offline or fail the next N calls.
class FakeTransport final : public wire::Transport {
 public:
  std::map<std::string, aggregator::Aggregator*> routes;
  bool offline = false;
  int fail_next = 0;
  int posts = 0;
  std::optional<std::string> plans_override;
  Result<wire::HttpReply> get(const std::string& base, const std::string& path) override {
    if (offline) return make_error(Errc::network, "cannot reach " + base);
    if (plans_override && path.rfind("/v1/plans", 0) == 0) return wire::HttpReply{200, *plans_override};
    aggregator::Request r{"GET", path.substr(0, path.find('?')), "", "", ""};
    if (auto q = path.find("team="); q != std::string::npos) r.team = path.substr(q + 5);
    auto out = routes.at(base)->handle(r);
    return wire::HttpReply{out.status, out.body};
  }
  Result<wire::HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                                const std::string&) override {
    ++posts;
    if (offline) return make_error(Errc::network, "cannot reach " + base);
    if (fail_next > 0) {
      --fail_next;
      return wire::HttpReply{503, R"({"error":"busy"})"};
    }
    auto out = routes.at(base)->handle({"POST", path, body, "", ""});
    return wire::HttpReply{out.status, out.body};
  }
};

class Link final : public aggregator::HelperLink {
 public:
  explicit Link(aggregator::Aggregator& h) : h_(&h) {}
  aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    return h_->handle({"POST", path, body, sig, ""});
  }

 private:
  aggregator::Aggregator* h_;
};

struct World {
  bool sodium_ready = crypto::init().ok();  // first: the members below allocate secrets
  std::filesystem::path dir;
  std::unique_ptr<aggregator::Aggregator> leader, helper;
  FakeTransport transport;
  crypto::SecretBytes store_key{32};
  crypto::SignKeyPair device = crypto::sign_keypair();
  ManualClock clock{1'795'000'000};  // 2026-11-18, a Wednesday
  std::string period = iso_week_string(local_day(1'795'000'000, 0));

  explicit World(const std::string& name) {
    REQUIRE(sodium_ready);
    dir = test::fresh_dir(name);
    REQUIRE(aggregator::Aggregator::init(dir / "leader", {aggregator::Role::leader, "Acme", "", "http://leader.test"}, 0).ok());
    leader = aggregator::Aggregator::open(dir / "leader").value();
    REQUIRE(aggregator::Aggregator::init(dir / "helper", {aggregator::Role::helper, "", crypto::to_base64(leader->info()->org_key), ""}, 0).ok());
    helper = aggregator::Aggregator::open(dir / "helper").value();
    REQUIRE(leader->configure(std::nullopt, std::string("http://helper.test"), crypto::to_base64(helper->info()->box_key)).ok());
    leader->set_helper_link(std::make_unique<Link>(*helper));
    transport.routes = {{"http://leader.test", leader.get()}, {"http://helper.test", helper.get()}};
    crypto::random_bytes(store_key.bytes());
    aggregator::PlanRequest pr;
    pr.id = "kinds";
    pr.team = "platform";
    pr.purpose = "Contribution kinds";
    pr.cadence = "week";
    pr.k = 2;
    pr.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
    pr.metrics = {"contributions_by_kind"};
    REQUIRE(leader->create_plan(pr, 0).ok());
    REQUIRE(leader->publish_plan("kinds").ok());
  }
  store::Store open_store(bool create) {
    return store::Store::open(dir / "device" / "store.db", store_key,
                              create ? store::Store::Mode::create : store::Store::Mode::open_existing).value();
  }
  void enroll(store::Store& s) {
    auto t = leader->create_tokens("platform", 1, 0).value()[0];
    REQUIRE(helper->allow_tokens("platform", {t.hash}, 0).ok());
    REQUIRE(device::enroll(s, device, wire::parse_token(t.token).value(), transport, clock.now()).ok());
  }
};

std::string nlohmann_json_plans(const std::string& plan_text) {
  std::string escaped;
  for (char c : plan_text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return "{\"plans\":[\"" + escaped + "\"]}";
}

// Joins the plan and prepares last week's report, then this week's: their ids, earlier first.
std::pair<std::string, std::string> two_pending_reports(World& w, device::DeviceShare& d) {
  d.set_retry_policy({1, 1});
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  REQUIRE(d.prepare_due(iso_week_string(local_day(1'795'000'000 - 7 * 86400, 0)))->prepared == 1);
  const auto first = d.pending_reports().value()[0].report_id;
  REQUIRE(d.prepare_due(w.period)->prepared == 1);
  std::string second;
  const auto pending = d.pending_reports().value();
  for (const auto& r : pending)
    if (r.report_id != first) second = r.report_id;
  REQUIRE(!second.empty());
  return {first, second};
}

}  // namespace

TEST_CASE("an approved report survives offline syncs and a restart, then is uploaded once") {
  World w("device_offline");
  std::string id;
  {
    auto s = w.open_store(true);
    records::Contribution c;
    c.time = w.clock.now() - 3600;
    c.text = "fixed the deploy";
    REQUIRE(s.add_contribution(c).ok());
    w.enroll(s);
    auto enr = device::load_enrollment(s).value();
    REQUIRE(enr);
    CHECK(enr->team == "platform");
    auto ledger = budget::open_ledger(s).value();
    device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
    d.set_retry_policy({2, 1});
    auto f = d.sync(std::nullopt);
    REQUIRE(f.ok());
    CHECK(f->plans_new == 1);
    CHECK(f->prepared == 0);  // offered, not joined: nothing is prepared
    REQUIRE(d.join("kinds").ok());
    auto p = d.prepare_due(w.period);
    REQUIRE(p.ok());
    REQUIRE(p->prepared == 1);
    auto pending = d.pending_reports().value();
    REQUIRE(pending.size() == 1);
    id = pending[0].report_id;
    auto detail = d.report_detail(id).value();
    REQUIRE(detail.values.size() == 4);
    CHECK(detail.values[0].coordinate == "impact");
    CHECK(detail.values[0].encoded == 100);  // one contribution in the week, in hundredths
    CHECK(detail.epsilon_release > 0);
    CHECK(detail.budget_left < detail.cap_epsilon);
    CHECK(detail.bytes == detail.envelope.size());
    REQUIRE(d.approve(id).ok());
    w.transport.offline = true;
    auto off = d.sync(std::nullopt);
    REQUIRE(off.ok());
    CHECK(off->queued == 1);
    CHECK(s.shared_report(id).value()->state == "approved");
    CHECK(std::filesystem::exists(w.dir / "device" / "outbox" / (id + ".env")));
  }
  // Restart: new objects over the same files.
  const auto before = w.leader->state_digest().value();
  {
    auto s = w.open_store(false);
    auto ledger = budget::open_ledger(s).value();
    device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
    d.set_retry_policy({3, 1});
    w.transport.offline = false;
    w.transport.fail_next = 2;  // two 503s, then through
    auto on = d.upload_outbox();
    REQUIRE(on.ok());
    CHECK(on->uploaded == 1);
    auto r = s.shared_report(id).value();
    CHECK(r->state == "uploaded");
    CHECK(r->uploaded.has_value());
    CHECK_FALSE(std::filesystem::exists(w.dir / "device" / "outbox" / (id + ".env")));
    CHECK(w.leader->state_digest().value() != before);
    // Nothing left to send: another sync posts no report.
    const int posts = w.transport.posts;
    REQUIRE(d.upload_outbox().ok());
    CHECK(w.transport.posts == posts);
  }
}

TEST_CASE("a declined report never leaves and its bytes are erased") {
  World w("device_decline");
  auto s = w.open_store(true);
  w.enroll(s);
  auto ledger = budget::open_ledger(s).value();
  device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
  REQUIRE(d.fetch_plans().ok());
  REQUIRE(d.join("kinds").ok());
  REQUIRE(d.prepare_due(w.period)->prepared == 1);
  const auto id = d.pending_reports().value()[0].report_id;
  REQUIRE(d.decline(id).ok());
  CHECK(s.shared_report(id).value()->envelope.empty());
  CHECK_FALSE(d.approve(id).ok());
  const int posts = w.transport.posts;
  auto up = d.upload_outbox();
  REQUIRE(up.ok());
  CHECK(up->uploaded == 0);
  CHECK(w.transport.posts == posts);
  // The same period is not prepared twice.
  CHECK(d.prepare_due(w.period)->prepared == 0);
}

TEST_CASE("approving a later report first: it waits for the earlier decision, then both go in order") {
  World w("device_order");
  auto s = w.open_store(true);
  w.enroll(s);
  auto ledger = budget::open_ledger(s).value();
  device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
  const auto [first, second] = two_pending_reports(w, d);

  REQUIRE(d.approve(second).ok());
  const int posts = w.transport.posts;
  auto held = d.upload_outbox();
  REQUIRE(held.ok());
  CHECK(held->uploaded == 0);
  CHECK(held->queued == 1);
  CHECK(w.transport.posts == posts);  // nothing left the device
  CHECK(s.shared_report(second).value()->state == "approved");
  REQUIRE(!held->notes.empty());
  CHECK(held->notes[0].find("awaits your decision") != std::string::npos);

  REQUIRE(d.approve(first).ok());
  auto both = d.upload_outbox();
  REQUIRE(both.ok());
  CHECK(both->uploaded == 2);
  CHECK(both->refused == 0);
  CHECK(s.shared_report(first).value()->state == "uploaded");
  CHECK(s.shared_report(second).value()->state == "uploaded");
}

TEST_CASE("declining the earlier report releases the later one") {
  World w("device_order_decline");
  auto s = w.open_store(true);
  w.enroll(s);
  auto ledger = budget::open_ledger(s).value();
  device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
  const auto [first, second] = two_pending_reports(w, d);
  REQUIRE(d.approve(second).ok());
  CHECK(d.upload_outbox()->uploaded == 0);
  REQUIRE(d.decline(first).ok());
  CHECK(d.upload_outbox()->uploaded == 1);
  CHECK(s.shared_report(second).value()->state == "uploaded");
}

TEST_CASE("a plan signed by a key other than the pinned org key is refused") {
  World w("device_forged_plan");
  auto s = w.open_store(true);
  w.enroll(s);
  auto ledger = budget::open_ledger(s).value();
  device::DeviceShare d(s, w.device, ledger.ledger, w.transport, w.clock, w.dir / "device" / "outbox");
  wire::Plan p;
  p.id = "evil";
  p.org = "Acme";
  p.team = "platform";
  p.purpose = "x";
  p.cadence = "week";
  p.k = 2;
  p.metrics.push_back({"contributions_by_kind", 4, 100, dp::Rational{1, 1}, dp::Rational{0, 1}});
  auto enr = device::load_enrollment(s).value().value();
  p.leader = enr.leader;
  p.helper = enr.helper;
  auto forged = wire::sign_plan(p, crypto::sign_keypair());
  w.transport.plans_override = nlohmann_json_plans(forged.text);
  auto f = d.fetch_plans();
  REQUIRE(f.ok());
  CHECK(f->plans_refused == 1);
  CHECK(d.plans().value().empty());
}

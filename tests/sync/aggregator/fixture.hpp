// A leader and a helper in temporary directories, connected in-process, with enrolled devices and
// a published plan: the common ground of the aggregator tests.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/prio3_plan.hpp"
#include "temp_dir.hpp"

namespace cairn::test {

class InProcessLink final : public aggregator::HelperLink {
 public:
  explicit InProcessLink(aggregator::Aggregator& helper) : helper_(&helper) {}
  aggregator::Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    aggregator::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.org_signature = sig;
    return helper_->handle(r);
  }

 private:
  aggregator::Aggregator* helper_;
};

struct Device {
  crypto::SignKeyPair keys = crypto::sign_keypair();
  std::uint64_t ledger_length = 0;
};

// The aggregators' clock in these tests: 2026-12-02 12:00 UTC, so reports for 2026-11 (in its
// grace) and 2026-12 (current) are inside the report window and 2026-10 is not.
inline constexpr std::int64_t kTestNow = 1796212800;

// A report's Prio3 shares before sealing, for tests that tamper with them.
using ShareEdit = std::function<void(wire::Prio3Shares&)>;

struct Pair {
  std::unique_ptr<aggregator::Aggregator> leader, helper;
  wire::Plan plan;
  std::optional<wire::Prio3Scheme> scheme;
  std::vector<Device> devices;
  // Both aggregators' clock (tests move it to upload for other periods).
  std::shared_ptr<std::atomic<std::int64_t>> now = std::make_shared<std::atomic<std::int64_t>>(kTestNow);

  explicit Pair(const std::string& name, std::uint32_t k = 3, std::size_t devices_n = 5) {
    REQUIRE(crypto::init().ok());
    auto dir = fresh_dir(name);
    REQUIRE(aggregator::Aggregator::init(dir / "leader", {aggregator::Role::leader, "Acme", "", "http://leader.test"}, 1000).ok());
    leader = aggregator::Aggregator::open(dir / "leader").value();
    auto org = leader->info().value().org_key;
    REQUIRE(aggregator::Aggregator::init(dir / "helper", {aggregator::Role::helper, "", crypto::to_base64(org), "http://helper.test"}, 1000).ok());
    helper = aggregator::Aggregator::open(dir / "helper").value();
    leader->set_clock([c = now] { return c->load(); });
    helper->set_clock([c = now] { return c->load(); });
    REQUIRE(leader->configure(std::nullopt, std::string("http://helper.test"),
                              crypto::to_base64(helper->info().value().box_key)).ok());
    leader->set_helper_link(std::make_unique<InProcessLink>(*helper));
    auto tokens = leader->create_tokens("platform", static_cast<std::uint32_t>(devices_n), 1000).value();
    std::vector<std::string> hashes;
    for (const auto& t : tokens) hashes.push_back(t.hash);
    REQUIRE(helper->allow_tokens("platform", hashes, 1000).ok());
    for (const auto& t : tokens) {
      Device d;
      auto tok = wire::parse_token(t.token).value();
      auto body = wire::encode_enroll(wire::make_enroll(tok.secret, tok.team, d.keys));
      REQUIRE(post(*leader, "/v1/enroll", body).status == 201);
      REQUIRE(post(*helper, "/v1/enroll", body).status == 201);
      devices.push_back(std::move(d));
    }
    plan = leader->create_plan(plan_request("focus-1", k), 1000).value().plan;
    REQUIRE(leader->publish_plan("focus-1").ok());
    scheme = wire::prio3_for(plan).value();
  }

  // A monthly focus-hours plan for the team "platform".
  static aggregator::PlanRequest plan_request(const std::string& id, std::uint32_t k) {
    aggregator::PlanRequest pr;
    pr.id = id;
    pr.team = "platform";
    pr.purpose = "Focus time per team";
    pr.cadence = "month";
    pr.k = k;
    pr.budget = {1.0, 1e-6, dp::BudgetScope::per_release};
    pr.metrics = {"focus_hours"};
    return pr;
  }

  static aggregator::Response post(aggregator::Aggregator& a, const std::string& path, const std::string& body) {
    aggregator::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    return a.handle(r);
  }

  // A report with value y from device i; the ledger chain moves forward by one unless told.
  // y is in encoded units (clipped to the metric's range, as a device does); `edit` may tamper
  // with the Prio3 shares before they are sealed and signed (a malicious device).
  wire::Envelope report(std::size_t i, std::int64_t y, const std::string& period = "2026-11", bool advance_ledger = true,
                        const ShareEdit& edit = {}) {
    auto& d = devices[i];
    if (advance_ledger) ++d.ledger_length;
    wire::ReportContext ctx{plan.id, period, wire::new_report_id(), d.keys.public_key};
    dp::ChainHead head;
    head.length = d.ledger_length;
    head.head[0] = static_cast<std::uint8_t>(d.ledger_length);
    std::vector<std::int64_t> v(scheme->length, y);
    auto shares = wire::shard(*scheme, ctx, wire::encode_measurement(*scheme, v)).value();
    if (edit) edit(shares);
    return wire::make_envelope(ctx, head, shares, {plan.leader.box_key, plan.helper.box_key}, d.keys);
  }

  static std::string bytes(const wire::Envelope& e) {
    auto b = wire::encode(e);
    return std::string(b.begin(), b.end());
  }

  aggregator::Response upload(const wire::Envelope& e) { return post(*leader, "/v1/reports", bytes(e)); }
  std::string digest() { return leader->state_digest().value() + helper->state_digest().value(); }
};

}  // namespace cairn::test

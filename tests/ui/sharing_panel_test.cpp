// The scripted Sharing test: a vault whose store is enrolled with in-process aggregators (the
// same leader/helper pair tests/sync/share runs against) and holds two reports awaiting approval.
// The panel is unlocked, the report's values, cost and bytes are shown, and "Approve" is clicked
// through ImGui input; a second Store connection then sees the report approved and its envelope
// queued in the outbox. A second report is declined the same way: its bytes are erased. Nothing
// goes over the network: the transport below is in-process.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/device/device.hpp"
#include "cairn/store/store.hpp"
#include "cairn/ui/panel.hpp"
#include "driver.hpp"
#include "shots.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;

namespace {

constexpr const char* kPass = "maple orbit velvet canyon 42";
constexpr std::int32_t kOffset = 3600;

// Routes by base URL to in-process aggregators.
class InProcess final : public wire::Transport {
 public:
  std::map<std::string, aggregator::Aggregator*> routes;
  Result<wire::HttpReply> get(const std::string& base, const std::string& path) override {
    aggregator::Request r{"GET", path.substr(0, path.find('?')), "", "", ""};
    if (auto q = path.find("team="); q != std::string::npos) r.team = path.substr(q + 5);
    auto out = routes.at(base)->handle(r);
    return wire::HttpReply{out.status, out.body};
  }
  Result<wire::HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                                const std::string&) override {
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

using ui::test::shot;

store::Store open_store(const Paths& paths) {
  auto pass = crypto::SecretBytes::from(std::string_view(kPass));
  auto keys = crypto::vault_unlock(paths.vault(), pass);
  REQUIRE(keys.ok());
  auto st = store::Store::open(paths.store(), keys.value().store_key(), store::Store::Mode::open_existing);
  REQUIRE(st.ok());
  return std::move(st.value());
}

}  // namespace

TEST_CASE("panel: sharing shows pending reports; approve queues one, decline erases the other") {
  setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  REQUIRE(crypto::init().ok());
  const char* tmp = std::getenv("CAIRN_TEST_TMP");
  stdfs::path root = stdfs::path(tmp ? tmp : "/tmp") / ("ui-panel-sharing-" + std::to_string(::getpid()));
  stdfs::remove_all(root);
  stdfs::create_directories(root);
  const std::int64_t today = days_from_civil(2026, 11, 20);
  ManualClock clock(today * 86400 + 12 * 3600 - kOffset, kOffset);
  const std::string period = iso_week_string(local_day(clock.now(), kOffset));
  Paths paths = resolve_paths((root / "home").string());
  stdfs::create_directories(paths.data);
  stdfs::create_directories(paths.config);

  // The organisation: a leader and a helper, one published weekly plan.
  auto agg = root / "agg";
  REQUIRE(aggregator::Aggregator::init(agg / "leader", {aggregator::Role::leader, "Acme", "", "http://leader.test"}, 0).ok());
  auto leader = aggregator::Aggregator::open(agg / "leader").value();
  REQUIRE(aggregator::Aggregator::init(agg / "helper", {aggregator::Role::helper, "", crypto::to_base64(leader->info()->org_key), ""}, 0).ok());
  auto helper = aggregator::Aggregator::open(agg / "helper").value();
  REQUIRE(leader->configure(std::nullopt, std::string("http://helper.test"), crypto::to_base64(helper->info()->box_key)).ok());
  leader->set_helper_link(std::make_unique<Link>(*helper));
  InProcess transport;
  transport.routes = {{"http://leader.test", leader.get()}, {"http://helper.test", helper.get()}};
  aggregator::PlanRequest pr;
  pr.id = "kinds";
  pr.team = "platform";
  pr.purpose = "How the team's contributions split by kind";
  pr.cadence = "week";
  pr.k = 2;
  pr.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
  pr.metrics = {"contributions_by_kind"};
  REQUIRE(leader->create_plan(pr, 0).ok());
  REQUIRE(leader->publish_plan("kinds").ok());
  pr.id = "kinds-again";  // a second plan, so one report can be approved and another declined
  REQUIRE(leader->create_plan(pr, 0).ok());
  REQUIRE(leader->publish_plan("kinds-again").ok());

  // The employee's device: a vault, one contribution this week, enrolled, both plans joined, two reports
  // prepared and waiting for approval (all through the sharing API, as `cairn share` does).
  {
    auto pass = crypto::SecretBytes::from(std::string_view(kPass));
    auto v = crypto::vault_create(paths.vault(), pass, crypto::default_vault_params(), clock.now());
    REQUIRE(v.ok());
    auto st = store::Store::open(paths.store(), v.value().keys.store_key(), store::Store::Mode::create);
    REQUIRE(st.ok());
    store::Store& s = st.value();
    records::Contribution c;
    c.time = clock.now() - 3600;
    c.text = "fixed the deploy";
    REQUIRE(s.add_contribution(c).ok());
    const auto device = v.value().keys.device_keys();
    auto t = leader->create_tokens("platform", 1, 0).value()[0];
    REQUIRE(helper->allow_tokens("platform", {t.hash}, 0).ok());
    auto ledger = budget::open_ledger(s);
    REQUIRE(ledger.ok());
    REQUIRE(device::enroll(s, device, wire::parse_token(t.token).value(), transport, ledger.value().ledger, clock.now()).ok());
    device::DeviceShare d(s, device, ledger.value().ledger, transport, clock, paths.outbox());
    REQUIRE(d.fetch_plans().ok());
    REQUIRE(d.join("kinds").ok());
    REQUIRE(d.join("kinds-again").ok());
    auto prep = d.prepare_due(period);
    REQUIRE(prep.ok());
    REQUIRE(prep->prepared == 2);
    auto pending = d.pending_reports();
    REQUIRE(pending.ok());
    REQUIRE(pending.value().size() == 2);
  }

  ui::PanelOptions opt;
  opt.paths = paths;
  opt.clock = &clock;
  opt.record_items = true;
  auto opened = ui::Panel::open(opt);
  REQUIRE(opened.ok());
  ui::Panel& p = *opened.value();
  ui::test::Driver drv(p);
  REQUIRE(drv.settle());
  REQUIRE(drv.click("gate.unlock_pass"));
  drv.type(kPass);
  REQUIRE(drv.click("gate.unlock"));
  REQUIRE(drv.settle());
  REQUIRE(p.current_view() == "week");

  REQUIRE(drv.click("nav.sharing"));
  CHECK(p.current_view() == "sharing");
  REQUIRE(drv.has("share.approve.0"));
  CHECK(drv.has("share.decline.0"));
  shot(p, "sharing-pending");

  // Both are pending in the store; approve the first one shown.
  REQUIRE(drv.click("share.approve.0"));
  REQUIRE(drv.settle());
  INFO("panel says: " << p.status_message());
  CHECK(p.status_message().find("Approved") != std::string::npos);
  std::string approved;
  {
    auto s = open_store(paths);
    auto all = s.shared_reports();
    REQUIRE(all.ok());
    REQUIRE(all.value().size() == 2);
    int n_pending = 0;
    for (const auto& r : all.value()) {
      if (r.state == "approved") {
        approved = r.report_id;
        CHECK(r.decided.has_value());
      }
      n_pending += r.state == "pending";
    }
    REQUIRE_FALSE(approved.empty());
    CHECK(n_pending == 1);
  }
  CHECK(stdfs::exists(paths.outbox() / (approved + ".env")));

  // Decline the other: its bytes are erased and it never reaches the outbox.
  REQUIRE(drv.has("share.decline.0"));
  REQUIRE(drv.click("share.decline.0"));
  REQUIRE(drv.settle());
  CHECK(p.status_message().find("Declined") != std::string::npos);
  {
    auto s = open_store(paths);
    auto all = s.shared_reports();
    REQUIRE(all.ok());
    for (const auto& r : all.value()) {
      if (r.report_id == approved) {
        CHECK(r.state == "approved");
      } else {
        CHECK(r.state == "declined");
        CHECK(r.envelope.empty());
        CHECK_FALSE(stdfs::exists(paths.outbox() / (r.report_id + ".env")));
      }
    }
  }
  // Nothing is waiting any more; the history lists both decisions.
  CHECK_FALSE(drv.has("share.approve.0"));
  shot(p, "sharing-decided");

  // Locking closes sharing with the record.
  p.trigger_autolock();
  REQUIRE(drv.settle());
  CHECK(p.current_view() == "unlock");
  CHECK_FALSE(drv.has("share.pending"));
}

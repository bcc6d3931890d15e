// Report preparation: the ledger is charged before noise, the plan's noise is checked against
// its budget, and the envelope carries exactly values + noise split in two.
#include <doctest/doctest.h>

#include "cairn/crypto/sodium.hpp"
#include "cairn/device/report.hpp"

using namespace cairn;

namespace {
dp::MetricSpec focus() {
  dp::MetricSpec m;
  m.name = "focus_hours";
  m.unit = "hours";
  m.scale = 10;
  m.clip_lo = 0;
  m.clip_hi = 40;
  return m;
}

struct Fixture {
  crypto::SignKeyPair device = crypto::sign_keypair();
  crypto::SignKeyPair org = crypto::sign_keypair();
  crypto::BoxKeyPair leader = crypto::box_keypair();
  crypto::BoxKeyPair helper = crypto::box_keypair();
  std::vector<dp::MetricSpec> specs{focus()};
  wire::Plan plan;
  dp::MemoryLedgerStorage storage;
  dp::DeterministicRandom rng{7};
  Fixture(double epsilon = 0.5) {
    plan.id = "p1";
    plan.org = "Acme";
    plan.team = "t";
    plan.cadence = "month";
    plan.k = 5;
    plan.budget = {epsilon, 1e-6, dp::BudgetScope::per_release};
    auto cal = dp::calibrate_skellam(specs, 12, plan.budget).value();
    plan.metrics.push_back({"focus_hours", 1, 10, cal.mu[0], dp::Rational{0, 1}});
    plan.leader = {"http://127.0.0.1:1", leader.public_key};
    plan.helper = {"http://127.0.0.1:2", helper.public_key};
  }
};
}  // namespace

TEST_CASE("a prepared report decodes to value plus noise and charges the ledger once") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  std::vector<std::int64_t> v = {123};
  auto r = device::prepare_report(f.plan, f.specs, "2026-11", v, ledger, f.device, 1'800'000'000, f.rng);
  REQUIRE(r.ok());
  CHECK(f.storage.raw().size() == 1);
  CHECK(r->ledger.length == 1);
  auto env = wire::parse_envelope(r->envelope).value();
  CHECK(wire::verify_envelope(env).ok());
  CHECK(env.ledger == r->ledger);
  auto ls = wire::open_leader_share(env, f.leader).value();
  auto hs = wire::open_helper_share(env, f.helper).value();
  auto y = wire::combine(ls.values, wire::expand_seed(hs.seed, hs.n));
  CHECK(y[0] == 123 + r->noise[0]);
  CHECK(r->epsilon_release > 0);
}

TEST_CASE("values outside the clip range are clipped before noise") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  std::vector<std::int64_t> v = {100000};
  auto r = device::prepare_report(f.plan, f.specs, "2026-11", v, ledger, f.device, 1'800'000'000, f.rng);
  REQUIRE(r.ok());
  CHECK(r->values[0] == 400);
}

TEST_CASE("over the cap: refused before any noise and nothing prepared") {
  REQUIRE(crypto::init().ok());
  Fixture f(1.5);
  auto ledger = dp::Ledger::open(f.storage).value();
  std::vector<std::int64_t> v = {10};
  REQUIRE(device::prepare_report(f.plan, f.specs, "2026-10", v, ledger, f.device, 1'800'000'000, f.rng).ok());
  const auto drawn = f.rng.bytes_drawn();
  auto second = device::prepare_report(f.plan, f.specs, "2026-11", v, ledger, f.device, 1'800'000'100, f.rng);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == Errc::refused);
  CHECK(f.storage.raw().size() == 1);
  CHECK(f.rng.bytes_drawn() == drawn);
}

TEST_CASE("a plan that states less noise than its budget needs is refused") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  f.plan.metrics[0].mu = dp::Rational{1, 1};
  auto ledger = dp::Ledger::open(f.storage).value();
  std::vector<std::int64_t> v = {10};
  auto r = device::prepare_report(f.plan, f.specs, "2026-11", v, ledger, f.device, 1'800'000'000, f.rng);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(f.storage.raw().empty());
}

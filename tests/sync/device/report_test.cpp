// Report preparation: a prepared report is a valid Prio3 report (both aggregators' preparation
// accepts it and the output shares sum to the clipped values), out-of-range values are clipped,
// nothing is charged until approval, which charges once with the period's end as its time (and
// signs again only when the chain moved meanwhile), the report window is enforced, an
// over-the-cap or under-noised plan is refused with the ledger unchanged, and no noise is added.
#include <doctest/doctest.h>

#include <cmath>

#include "../wire/wire_fixture.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/device/report.hpp"
#include "cairn/wire/plan_check.hpp"

using namespace cairn;

namespace {
constexpr std::int64_t kNow = 1'795'000'000;  // 2026-11-18 (Wednesday of 2026-W47)

struct Fixture {
  crypto::SignKeyPair device = crypto::sign_keypair();
  crypto::BoxKeyPair leader = crypto::box_keypair();
  crypto::BoxKeyPair helper = crypto::box_keypair();
  wire::Plan plan = test::sample_plan(leader.public_key, helper.public_key, "week");
  dp::MemoryLedgerStorage storage;
  std::vector<std::int64_t> values() const {
    auto s = wire::prio3_for(plan).value();
    std::vector<std::int64_t> v(s.length);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = s.lo[i] + static_cast<std::int64_t>(i + 1);
    return v;
  }
};
}  // namespace

TEST_CASE("a prepared report is valid for both aggregators and sums to exactly its values") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  const auto v = f.values();
  auto r = device::prepare_report(f.plan, "2026-W46", v, ledger, f.device, kNow);
  REQUIRE(r.ok());
  CHECK(r->values == v);  // in range: unchanged, and no noise added
  CHECK(r->ledger.length == 1);
  auto env = wire::parse_envelope(r->envelope).value();
  CHECK(wire::verify_envelope(env).ok());
  CHECK(env.ledger == r->ledger);
  CHECK(wire::report_id_hex(env.ctx.report_id) == r->report_id);
  auto ls = wire::open_share(env, wire::Role::leader, f.leader).value();
  auto hs = wire::open_share(env, wire::Role::helper, f.helper).value();
  auto scheme = wire::prio3_for(f.plan).value();
  auto out = test::prepare_both(scheme, env, ls.prio3, hs.prio3);
  REQUIRE(out.ok());
  auto sum = scheme.vdaf.unshard(*out, 1).value();
  CHECK(wire::decode_sum(scheme, sum, 1) == v);
  CHECK(r->epsilon_release > 0);
  REQUIRE(r->noise.size() == f.plan.metrics.size());
  for (std::size_t i = 0; i < r->noise.size(); ++i) {
    const double sd = std::sqrt(2.0 * static_cast<double>(f.plan.metrics[i].sigma2.to_long_double())) /
                      static_cast<double>(f.plan.metrics[i].scale);
    CHECK(r->noise[i].sum_sd_units == doctest::Approx(sd));
    CHECK(r->noise[i].mean_se_units == doctest::Approx(sd / f.plan.k));
  }
}

TEST_CASE("preparing charges nothing; approval charges once, with one layer's cost, timed at the period's end") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  auto r = device::prepare_report(f.plan, "2026-W46", f.values(), ledger, f.device, kNow);
  REQUIRE(r.ok());
  CHECK(f.storage.raw().empty());
  auto c = device::charge_report(f.plan, "2026-W46", r->envelope, ledger, f.device, r->charged_at);
  REQUIRE(c.ok());
  CHECK(c->charged_now);
  CHECK_FALSE(c->resigned);  // the chain did not move: exactly the bytes shown before approval
  CHECK(c->envelope == r->envelope);
  REQUIRE(f.storage.raw().size() == 1);
  const auto& e = f.storage.raw()[0];
  const auto w46 = metrics::parse_period(metrics::Cadence::week, "2026-W46").value();
  CHECK(e.time == wire::period_end_time(w46));
  CHECK(e.time == r->charged_at);
  CHECK(e.time != kNow);
  CHECK(e.plan_id == f.plan.id);
  CHECK(e.period == "2026-W46");
  CHECK(e.cost == wire::check_plan(f.plan).value().cost);
  CHECK(e.cost == r->cost);
  CHECK(dp::ChainHead{e.seq + 1, e.hash} == r->ledger);
  // Charging again (a retried approval) adds nothing; the same period is not prepared again.
  auto twice = device::charge_report(f.plan, "2026-W46", r->envelope, ledger, f.device, r->charged_at);
  REQUIRE(twice.ok());
  CHECK_FALSE(twice->charged_now);
  CHECK(f.storage.raw().size() == 1);
  auto again = device::prepare_report(f.plan, "2026-W46", f.values(), ledger, f.device, kNow);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == Errc::refused);
  CHECK(f.storage.raw().size() == 1);
}

TEST_CASE("approving after the chain moved: the same sealed shares under the new head, signed again") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  auto a = device::prepare_report(f.plan, "2026-W46", f.values(), ledger, f.device, kNow).value();
  auto b = device::prepare_report(f.plan, "2026-W47", f.values(), ledger, f.device, kNow).value();
  CHECK(a.ledger.length == 1);  // both prepared on the empty chain
  CHECK(b.ledger.length == 1);
  REQUIRE(device::charge_report(f.plan, "2026-W47", b.envelope, ledger, f.device, b.charged_at).ok());
  auto c = device::charge_report(f.plan, "2026-W46", a.envelope, ledger, f.device, a.charged_at);
  REQUIRE(c.ok());
  CHECK(c->resigned);
  auto before = wire::parse_envelope(a.envelope).value();
  auto after = wire::parse_envelope(c->envelope).value();
  CHECK(wire::verify_envelope(after).ok());
  CHECK(after.ledger.length == 2);
  CHECK(after.ledger == ledger.head());
  CHECK(after.leader_sealed == before.leader_sealed);
  CHECK(after.helper_sealed == before.helper_sealed);
  CHECK(after.public_share == before.public_share);
  CHECK(after.ctx == before.ctx);
  // Timed no earlier than the chain's last entry (W47's end): later only widens the window.
  CHECK(f.storage.raw()[1].time >= f.storage.raw()[0].time);
}

TEST_CASE("values outside the clip range are clipped before sharding") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  auto scheme = wire::prio3_for(f.plan).value();
  auto v = f.values();
  v[0] = 100'000'000;
  v[1] = -100'000'000;
  auto r = device::prepare_report(f.plan, "2026-W47", v, ledger, f.device, kNow);
  REQUIRE(r.ok());
  CHECK(r->values[0] == scheme.lo[0] + static_cast<std::int64_t>(scheme.range[0]));
  CHECK(r->measurement[0] == scheme.range[0]);
  CHECK(r->values[1] == scheme.lo[1]);
  CHECK(r->measurement[1] == 0);
}

TEST_CASE("only the current period and the grace after it: others refused with one line") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  auto ledger = dp::Ledger::open(f.storage).value();
  for (const char* label : {"2026-W40", "2026-W49", "2027-W01"}) {
    auto r = device::prepare_report(f.plan, label, f.values(), ledger, f.device, kNow);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::refused);
    CHECK(r.error().message.find('\n') == std::string::npos);
  }
  CHECK(f.storage.raw().empty());
  // W46 ended on Monday 2026-11-16 00:00 UTC: open until 3 days (plus 14 h of time-zone slack) after.
  const auto w46 = metrics::parse_period(metrics::Cadence::week, "2026-W46").value();
  const auto close = wire::period_end_time(w46) + wire::kReportGraceSeconds + 14 * 3600;
  CHECK(wire::report_period(f.plan, "2026-W46", close).ok());
  CHECK_FALSE(wire::report_period(f.plan, "2026-W46", close + 1).ok());
  CHECK(wire::report_period(f.plan, "2026-W47", kNow).ok());  // the current one
}

TEST_CASE("over the cap: refused before sharding and nothing recorded") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  f.plan.budget = {1.5, 1e-6, dp::BudgetScope::per_release};
  const auto noise = wire::plan_noise(f.plan).value();
  for (std::size_t i = 0; i < f.plan.metrics.size(); ++i) f.plan.metrics[i].sigma2 = noise.required.sigma2[i];
  auto ledger = dp::Ledger::open(f.storage).value();
  auto first = device::prepare_report(f.plan, "2026-W46", f.values(), ledger, f.device, kNow);
  REQUIRE(first.ok());
  REQUIRE(device::charge_report(f.plan, "2026-W46", first->envelope, ledger, f.device, first->charged_at).ok());
  auto second = device::prepare_report(f.plan, "2026-W47", f.values(), ledger, f.device, kNow);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == Errc::refused);
  CHECK(f.storage.raw().size() == 1);
}

TEST_CASE("a plan that states less noise than its budget needs is refused") {
  REQUIRE(crypto::init().ok());
  Fixture f;
  f.plan.metrics[0].sigma2 = dp::Rational{1, 1};
  auto ledger = dp::Ledger::open(f.storage).value();
  auto r = device::prepare_report(f.plan, "2026-W46", f.values(), ledger, f.device, kNow);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(f.storage.raw().empty());
}

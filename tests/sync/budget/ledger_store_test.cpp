// The ledger kept in a real encrypted store file: charges survive restarts, the cap holds across
// restarts, a store copied back from an older state is caught by the witnessed chain head, and the
// cap setting behaves as documented.
#include <doctest/doctest.h>

#include "cairn/budget/budget.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::budget;

namespace {

crypto::SecretBytes key() {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes k(32);
  for (auto& b : k.bytes()) b = 42;
  return k;
}

store::Store open(const std::filesystem::path& path, store::Store::Mode mode = store::Store::Mode::open_existing) {
  auto s = store::Store::open(path, key(), mode);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// A realistic release as a device charges it: two catalog-like metrics, the cost of ONE
// aggregator's discrete Gaussian layer calibrated to `epsilon` per release.
dp::ReleaseCost release_cost(double epsilon = 0.5) {
  dp::MetricSpec focus{"focus_hours", "hours per week", 60, 0, 40, 1};
  dp::MetricSpec share{"after_hours_share", "share", 1000, 0, 1, 1};
  std::vector<dp::MetricSpec> specs{focus, share};
  auto c = dp::calibrate_aggregator_noise(specs, 1, dp::Budget{epsilon, 1e-6, dp::BudgetScope::per_release});
  REQUIRE(c.ok());
  return c->cost;
}

constexpr std::int64_t kNow = 1795000000;  // November 2026

// Copies the store's files (database plus any WAL/SHM) from one directory to another.
void copy_store(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::remove_all(to);
  std::filesystem::create_directories(to);
  for (auto& e : std::filesystem::directory_iterator(from)) std::filesystem::copy_file(e.path(), to / e.path().filename());
}

}  // namespace

TEST_CASE("charges persist across reopening the store") {
  auto dir = test::fresh_dir("budget/persist");
  const auto path = dir / "store.db";
  dp::ChainHead head;
  {
    auto s = open(path, store::Store::Mode::create);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    CHECK(l->ledger.entries().empty());
    CHECK(l->ledger.cap().epsilon == dp::default_cap().epsilon);
    REQUIRE(l->ledger.charge("plan-a", "2026-W46", release_cost(), kNow).ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W47", release_cost(), kNow + 3600).ok());
    head = l->ledger.head();
    CHECK(head.length == 2);
  }
  auto s = open(path);
  auto l = open_ledger(s);
  REQUIRE(l.ok());
  REQUIRE(l->ledger.entries().size() == 2);
  CHECK(l->ledger.entries()[1].period == "2026-W47");
  CHECK(l->ledger.entries()[0].cost == release_cost());
  CHECK(l->ledger.head() == head);
  CHECK(l->ledger.verify_witness(head).ok());
  CHECK(l->ledger.spent_epsilon(kNow + 7200) > 0.5);
  // The rows hold text a person can read back, with the hash chain linking them.
  auto rows = s.ledger_rows();
  REQUIRE(rows.ok());
  CHECK(rows->at(1).prev_hash == rows->at(0).hash);
  CHECK(rows->at(0).cost.rfind("gaussian,", 0) == 0);
  CHECK(rows->at(0).cost.find(";gaussian,") != std::string::npos);  // one term per metric
}

TEST_CASE("a version-one Skellam entry still in the window keeps counting against the cap") {
  // Devices that reported under version one (device-side Skellam noise) hold such entries in their
  // chain; version two must still read them and charge them until they leave the rolling year.
  auto dir = test::fresh_dir("budget/legacy");
  const auto path = dir / "store.db";
  // Focus hours weekly at epsilon 2 a year, as version one calibrated it (docs/privacy.md §11).
  const dp::ReleaseCost legacy{dp::NoiseTerm{dp::Mechanism::skellam, dp::Rational{8664879042, 1}, 2400, 5760000}};
  {
    auto s = open(path, store::Store::Mode::create);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    REQUIRE(l->ledger.charge("plan-old", "2026-W40", legacy, kNow).ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W47", release_cost(), kNow + 3600).ok());
    CHECK(s.ledger_rows()->at(0).cost == "skellam,8664879042/1,2400,5760000");
  }
  auto s = open(path);
  auto l = open_ledger(s);
  REQUIRE(l.ok());
  REQUIRE(l->ledger.entries().size() == 2);
  CHECK(l->ledger.entries()[0].cost == legacy);
  const double both = dp::epsilon_for_delta(dp::compose(dp::rdp_curve(legacy), dp::rdp_curve(release_cost())), 1e-6);
  CHECK(l->ledger.spent_epsilon(kNow + 7200) == doctest::Approx(both).epsilon(1e-9));
  CHECK(l->ledger.spent_epsilon(kNow + 7200) > dp::epsilon_for_delta(dp::rdp_curve(release_cost()), 1e-6));
  // Once it has left the window only the version-two entry counts.
  CHECK(l->ledger.spent_epsilon(kNow + dp::kBudgetWindowSeconds + 1) ==
        doctest::Approx(dp::epsilon_for_delta(dp::rdp_curve(release_cost()), 1e-6)).epsilon(1e-9));
}

TEST_CASE("the cap is never exceeded, across restarts") {
  auto dir = test::fresh_dir("budget/cap");
  const auto path = dir / "store.db";
  int charged = 0;
  {
    auto s = open(path, store::Store::Mode::create);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    for (int i = 0; i < 100; ++i) {
      auto e = l->ledger.charge("plan-a", "2026-W" + std::to_string(10 + i), release_cost(), kNow + i);
      if (!e.ok()) {
        CHECK(e.error().code == Errc::refused);
        CHECK(e.error().message.find("above your cap") != std::string::npos);
        break;
      }
      ++charged;
      CHECK(l->ledger.spent_epsilon(kNow + i) <= dp::default_cap().epsilon);
    }
  }
  REQUIRE(charged >= 2);
  REQUIRE(charged < 100);
  for (int restart = 0; restart < 3; ++restart) {
    auto s = open(path);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    CHECK(l->ledger.entries().size() == static_cast<std::size_t>(charged));
    CHECK(l->ledger.spent_epsilon(kNow + 200) <= dp::default_cap().epsilon);
    auto e = l->ledger.charge("plan-a", "2026-W99", release_cost(), kNow + 200);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == Errc::refused);
    CHECK(s.ledger_rows()->size() == static_cast<std::size_t>(charged));  // a refusal writes nothing
  }
  // A year later the window has moved on and the same release fits again.
  auto s = open(path);
  auto l = open_ledger(s);
  REQUIRE(l.ok());
  CHECK(l->ledger.charge("plan-a", "2027-W50", release_cost(), kNow + dp::kBudgetWindowSeconds + 200).ok());
}

TEST_CASE("two ledgers over one store file cannot both spend the last of the budget") {
  auto dir = test::fresh_dir("budget/race");
  const auto path = dir / "store.db";
  auto s1 = open(path, store::Store::Mode::create);
  auto s2 = open(path);
  auto l1 = open_ledger(s1);
  auto l2 = open_ledger(s2);
  REQUIRE(l1.ok());
  REQUIRE(l2.ok());
  // Alternate charges through two independent connections until both are refused.
  int refused = 0;
  for (int i = 0; i < 100 && refused < 2; ++i) {
    auto& l = (i % 2 == 0) ? l1->ledger : l2->ledger;
    auto e = l.charge("plan-a", "p" + std::to_string(i), release_cost(), kNow + i);
    if (!e.ok()) {
      CHECK(e.error().code == Errc::refused);
      ++refused;
    } else {
      refused = 0;
    }
  }
  auto s3 = open(path);
  auto l3 = open_ledger(s3);
  REQUIRE(l3.ok());
  CHECK(l3->ledger.spent_epsilon(kNow + 100) <= dp::default_cap().epsilon);
}

TEST_CASE("a store restored from an older copy is caught by the witnessed chain head") {
  auto dir = test::fresh_dir("budget/rollback");
  const auto live = dir / "live", old = dir / "old";
  {
    auto s = open(live / "store.db", store::Store::Mode::create);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W45", release_cost(), kNow).ok());
  }
  copy_store(live, old);  // the employee (or malware) keeps a copy after one charge
  dp::ChainHead witnessed;
  {
    auto s = open(live / "store.db");
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W46", release_cost(), kNow + 10).ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W47", release_cost(), kNow + 20).ok());
    witnessed = l->ledger.head();  // what the last report carried to the helper
    CHECK(witnessed.length == 3);
  }
  copy_store(old, live);  // roll the store back
  auto s = open(live / "store.db");
  auto l = open_ledger(s);
  REQUIRE(l.ok());  // the old chain is internally valid...
  CHECK(l->ledger.entries().size() == 1);
  auto st = l->ledger.verify_witness(witnessed);  // ...but no longer holds what was witnessed
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::corrupt);
  CHECK(st.error().message.find("rolled back") != std::string::npos);
}

TEST_CASE("an edited ledger row makes the ledger refuse to open") {
  auto dir = test::fresh_dir("budget/edited");
  auto s = open(dir / "store.db", store::Store::Mode::create);
  {
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    REQUIRE(l->ledger.charge("plan-a", "2026-W45", release_cost(), kNow).ok());
  }
  // A row slipped in behind the ledger's back (the first row re-sequenced and linked): well formed,
  // but its stored hash no longer matches its contents.
  auto rows = *s.ledger_rows();
  auto forged = rows[0];
  forged.seq = 1;
  forged.prev_hash = rows[0].hash;
  REQUIRE(s.append_ledger_row(forged).ok());
  auto l = open_ledger(s);
  REQUIRE_FALSE(l.ok());
  CHECK(l.error().code == Errc::corrupt);
}

TEST_CASE("the cap: default until set, lowering allowed, raising needs acknowledgement") {
  auto dir = test::fresh_dir("budget/capsetting");
  const auto path = dir / "store.db";
  {
    auto s = open(path, store::Store::Mode::create);
    auto cap = load_cap(s);
    REQUIRE(cap.ok());
    CHECK(cap->epsilon == dp::default_cap().epsilon);
    CHECK(cap->delta == dp::default_cap().delta);
    REQUIRE(save_cap(s, dp::BudgetCap{0.75, 1e-6}, false).ok());
    auto raised = save_cap(s, dp::BudgetCap{3, 1e-6}, false);
    REQUIRE_FALSE(raised.ok());
    CHECK(raised.error().code == Errc::refused);
    CHECK(raised.error().message.find("--i-understand") != std::string::npos);
    CHECK(save_cap(s, dp::BudgetCap{1, 1e-3}, false).error().code == Errc::refused);  // a larger delta weakens too
    CHECK(save_cap(s, dp::BudgetCap{0, 1e-6}, true).error().code == Errc::usage);
    CHECK(save_cap(s, dp::BudgetCap{1, 1}, true).error().code == Errc::usage);
    CHECK(load_cap(s)->epsilon == 0.75);  // refusals changed nothing
  }
  {
    auto s = open(path);
    auto l = open_ledger(s);
    REQUIRE(l.ok());
    CHECK(l->ledger.cap().epsilon == 0.75);  // the stored cap governs after a restart
    auto e = l->ledger.charge("plan-a", "2026-W47", release_cost(1.0), kNow);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().code == Errc::refused);
    REQUIRE(save_cap(s, dp::BudgetCap{3, 1e-6}, true).ok());
    CHECK(load_cap(s)->epsilon == 3);
    REQUIRE(s.set_setting(kCapSetting, "lots").ok());
    CHECK(load_cap(s).error().code == Errc::corrupt);
    CHECK(open_ledger(s).error().code == Errc::corrupt);
  }
}

// The budget ledger: canonical hashing (checked against python's hashlib), the annual cap across
// restarts, tamper and rollback detection, concurrent writers and the rolling window.
#include <doctest/doctest.h>

#include "cairn/dp/ledger.hpp"

using namespace cairn::dp;

namespace {

constexpr std::int64_t kT0 = 1700000000;
constexpr std::int64_t kWeek = 7 * 24 * 3600;

std::string hex(const LedgerHash& h) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto b : h) {
    s += d[b >> 4];
    s += d[b & 15];
  }
  return s;
}

// A release as a device charges it (one aggregator layer): one metric with range 100 and
// sigma^2 = 10^6, rho = 10^4 / (2 * 10^6) = 0.005, so about 17 fit the cap. (The hash vectors below
// keep a Skellam term: entries charged by version one must still hash and verify.)
ReleaseCost release() { return ReleaseCost{NoiseTerm{Mechanism::discrete_gaussian, Rational{1000000, 1}, 100, 10000}}; }

}  // namespace

TEST_CASE("entry hashes follow the documented canonical encoding") {
  LedgerEntry e;
  e.seq = 0;
  e.time = kT0;
  e.plan_id = "plan-a";
  e.period = "2026-W47";
  e.cost = {NoiseTerm{Mechanism::skellam, Rational{5, 2}, 100, 10000}};
  // python3 -c "import hashlib,struct; e=b'cairn-ledger-v1\x00'+struct.pack('<Qq',0,1700000000)+struct.pack('<I',6)+b'plan-a'
  //   +struct.pack('<I',8)+b'2026-W47'+struct.pack('<I',1)+bytes([1])+struct.pack('<QQQQ',5,2,100,10000)+bytes(32);
  //   print(hashlib.blake2b(e,digest_size=32).hexdigest())"
  CHECK(hex(entry_hash(e)) == "f1737b00c3996dade5b18a602b887aecde2d070294494877fc3e3042de26560c");
  e.hash = entry_hash(e);
  LedgerEntry f;
  f.seq = 1;
  f.time = kT0 + 100;
  f.plan_id = "plan-a";
  f.period = "2026-W48";
  f.cost = {NoiseTerm{Mechanism::skellam, Rational{5, 2}, 100, 10000},
            NoiseTerm{Mechanism::discrete_gaussian, Rational{7, 1}, 3, 9}};
  f.prev_hash = e.hash;
  // The same with seq 1, time +100, period 2026-W48, two terms (+bytes([2])+struct.pack('<QQQQ',7,1,3,9)) and prev = h above.
  CHECK(hex(entry_hash(f)) == "15681539f167f006cba7933e9b672dd2a25bfc63f0778d2fb32f817c207b57bc");
}

TEST_CASE("the default cap and its zCDP equivalent") {
  CHECK(default_cap().epsilon == 2.0);
  CHECK(default_cap().delta == 1e-6);
  // rho = 0.0677 zCDP spends about epsilon 2 at delta 1e-6 (Bun-Steinke bound).
  CHECK(zcdp_epsilon_bound(0.0677, 1e-6) == doctest::Approx(2.0).epsilon(2e-3));
}

TEST_CASE("the cap is never exceeded, across restarts") {
  MemoryLedgerStorage storage;
  int accepted = 0;
  std::int64_t now = kT0;
  for (int restart = 0; restart < 6; ++restart) {
    auto ledger = Ledger::open(storage);  // a new process over the same stored chain
    REQUIRE(ledger.ok());
    for (int i = 0; i < 3; ++i, now += kWeek) {
      const SpendCheck before = ledger->check(release(), now);
      auto r = ledger->charge("plan-a", "week-" + std::to_string(accepted), release(), now);
      if (r.ok()) {
        ++accepted;
        CHECK(before.allowed);
        CHECK(ledger->spent_epsilon(now) <= default_cap().epsilon);
      } else {
        CHECK(r.error().code == cairn::Errc::refused);
        CHECK(r.error().message.find("above your cap") != std::string::npos);
        CHECK_FALSE(before.allowed);
      }
    }
  }
  // Several releases fit, not all 18; the chain holds exactly the accepted ones and verifies.
  CHECK(accepted >= 2);
  CHECK(accepted < 18);
  CHECK(storage.raw().size() == static_cast<std::size_t>(accepted));
  CHECK(verify_chain(storage.raw()).ok());
  auto reopened = Ledger::open(storage);
  REQUIRE(reopened.ok());
  CHECK(epsilon_for_delta(repeat(rdp_curve(release()), accepted), 1e-6) <= 2.0);
  CHECK(epsilon_for_delta(repeat(rdp_curve(release()), accepted + 1), 1e-6) > 2.0);
}

TEST_CASE("a year later the budget is available again") {
  MemoryLedgerStorage storage;
  auto ledger = Ledger::open(storage);
  REQUIRE(ledger.ok());
  std::int64_t now = kT0;
  while (ledger->charge("p", "x" + std::to_string(now), release(), now).ok()) now += kWeek;
  CHECK_FALSE(ledger->charge("p", "again", release(), now).ok());
  CHECK(ledger->charge("p", "next-year", release(), now + kBudgetWindowSeconds).ok());
  // A clock set back does not hide recent spending.
  CHECK_FALSE(ledger->charge("p", "past", release(), kT0 - 10 * kWeek).ok());
}

TEST_CASE("two ledgers over one storage cannot both spend the last of the budget") {
  MemoryLedgerStorage storage;
  auto a = Ledger::open(storage);
  auto b = Ledger::open(storage);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  int accepted = 0;
  for (int i = 0; i < 20; ++i) {
    auto& l = (i % 2 == 0) ? *a : *b;
    accepted += l.charge("p", "r" + std::to_string(i), release(), kT0 + i).ok();
  }
  CHECK(epsilon_for_delta(repeat(rdp_curve(release()), accepted), 1e-6) <= 2.0);
  CHECK(storage.raw().size() == static_cast<std::size_t>(accepted));
  // A stale append (seq already taken) is refused by storage.
  LedgerEntry stale = storage.raw().front();
  CHECK(storage.append(stale).error().code == cairn::Errc::exists);
}

TEST_CASE("a ledger rolled back to an older copy is detected") {
  MemoryLedgerStorage storage;
  auto ledger = Ledger::open(storage);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->charge("p", "w1", release(), kT0).ok());
  const std::vector<LedgerEntry> old_copy = storage.raw();
  REQUIRE(ledger->charge("p", "w2", release(), kT0 + kWeek).ok());
  const ChainHead witnessed = ledger->head();  // carried in the w2 report
  CHECK(witnessed.length == 2);
  CHECK(ledger->verify_witness(witnessed).ok());

  // Restore the older copy: the chain verifies on its own, but not against the witness.
  storage.raw() = old_copy;
  auto restored = Ledger::open(storage);
  REQUIRE(restored.ok());
  auto v = restored->verify_witness(witnessed);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().code == cairn::Errc::corrupt);
  CHECK(v.error().message.find("rolled back") != std::string::npos);
  // The live ledger notices the shrink at its next charge and refuses.
  auto c = ledger->charge("p", "w3", release(), kT0 + 2 * kWeek);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == cairn::Errc::corrupt);

  // A replaced chain of the same length (different history) is caught too.
  MemoryLedgerStorage other;
  auto forged = Ledger::open(other);
  REQUIRE(forged->charge("p", "w1", release(), kT0).ok());
  REQUIRE(forged->charge("p", "w2-but-cheaper", ReleaseCost{NoiseTerm{Mechanism::skellam, Rational{1000000000, 1}, 1, 1}},
                         kT0 + kWeek)
              .ok());
  auto replaced = forged->verify_witness(witnessed);
  REQUIRE_FALSE(replaced.ok());
  CHECK(replaced.error().message.find("replaced") != std::string::npos);
  // A longer chain that extends the witnessed one is fine.
  CHECK(verify_witness(std::vector<LedgerEntry>{}, ChainHead{}).ok());
}

TEST_CASE("edited entries are refused on open") {
  MemoryLedgerStorage storage;
  auto ledger = Ledger::open(storage);
  REQUIRE(ledger.ok());
  for (int i = 0; i < 3; ++i) REQUIRE(ledger->charge("p", "w" + std::to_string(i), release(), kT0 + i * kWeek).ok());

  SUBCASE("a cheaper cost") { storage.raw()[1].cost[0].variance = Rational{1000000000, 1}; }
  SUBCASE("a deleted entry") { storage.raw().erase(storage.raw().begin() + 1); }
  SUBCASE("re-hashed after an edit, breaking the link") {
    storage.raw()[1].period = "other";
    storage.raw()[1].hash = entry_hash(storage.raw()[1]);
  }
  SUBCASE("an entry dated before its predecessor") {
    auto& e = storage.raw()[2];
    e.time = kT0 - 1;
    e.hash = entry_hash(e);
  }
  auto reopened = Ledger::open(storage);
  REQUIRE_FALSE(reopened.ok());
  CHECK(reopened.error().code == cairn::Errc::corrupt);
  CHECK(reopened.error().message.find("privacy ledger entry") != std::string::npos);
}

TEST_CASE("bad charges change nothing") {
  MemoryLedgerStorage storage;
  auto ledger = Ledger::open(storage);
  REQUIRE(ledger.ok());
  CHECK(ledger->charge("", "w", release(), kT0).error().code == cairn::Errc::usage);
  CHECK(ledger->charge("p", std::string(300, 'x'), release(), kT0).error().code == cairn::Errc::usage);
  CHECK(ledger->charge("p", "w", {}, kT0).error().code == cairn::Errc::usage);
  // No noise (variance 0) would cost infinity: refused.
  CHECK(ledger->charge("p", "w", ReleaseCost{NoiseTerm{Mechanism::skellam, Rational{0, 1}, 1, 1}}, kT0).error().code ==
        cairn::Errc::refused);
  CHECK(storage.raw().empty());
  CHECK_FALSE(Ledger::open(storage, BudgetCap{0, 1e-6}).ok());
  CHECK_FALSE(Ledger::open(storage, BudgetCap{1, 1}).ok());
  CHECK_FALSE(ledger->set_cap(BudgetCap{-1, 1e-6}).ok());
}

// A store that already holds implausible rows (written before the inbox decoder refused them):
// the dirty-rollup rebuild no longer fails on them, they are counted, and the repair removes
// exactly them, rebuilds the day totals and logs itself.
#include <doctest/doctest.h>

#include <ctime>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/store/store.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::store;

namespace {
const Instant kNow = static_cast<Instant>(std::time(nullptr));
const Instant kT = kNow / 86400 * 86400 - 2 * 86400;

Store open_new(const std::filesystem::path& p) {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes k(32);
  for (auto& b : k.bytes()) b = 7;
  auto s = Store::open(p, k, Store::Mode::create);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// The attacker's rows, written through the import path so the days they touch are marked dirty
// exactly as a forged batch left them on `main`.
void forge(Store& s) {
  std::vector<ActivitySpan> spans = {{kT, kT + 600, 0, false, "code", "development", std::nullopt},
                                     {0, 4'000'000'000, 0, false, "x", "development", std::nullopt}};
  std::vector<MeetingRecord> meetings = {{"m", -9'000'000'000'000'000'000, 9'000'000'000'000'000'000, 0, 3, false, false}};
  std::vector<CommitRecord> commits = {{"r", "c", kT + 30, 0, -4, 1, 1, false, "", std::nullopt}};
  REQUIRE(s.import_batch("forged", [&](Store& st) -> Status {
                CAIRN_TRY(st.add_spans(spans));
                CAIRN_TRY(st.add_meetings(meetings));
                return st.add_commits(commits);
              }).ok());
}
}  // namespace

TEST_CASE("the dirty rollup rebuild survives implausible rows; the repair removes exactly them") {
  auto s = open_new(test::fresh_dir("store/repair") / "store.db");
  forge(s);
  // On main this failed with "rollup range is implausibly large" and every unlock with it.
  REQUIRE(s.rebuild_dirty_rollups().ok());
  CHECK(s.setting("rollups.dirty").value() == std::nullopt);
  auto day = local_day(kT, 0);
  CHECK(s.rollups(day, day)->size() == 1);

  auto bad = s.implausible_rows(kNow).value();
  CHECK(bad.spans == 1);
  CHECK(bad.meetings == 1);
  CHECK(bad.commits == 1);

  auto removed = s.remove_implausible_rows(kNow).value();
  CHECK(removed.total() == 3);
  CHECK(s.implausible_rows(kNow)->total() == 0);
  CHECK(s.counts()->spans == 1);
  CHECK(s.counts()->meetings == 0);
  CHECK(s.counts()->commits == 0);
  // The day totals no longer count the removed rows: only the honest 10 minutes remain.
  auto r = s.rollups(day, day).value();
  REQUIRE(r.size() == 1);
  CHECK(r[0].active_seconds == 600);
  CHECK(r[0].meeting_seconds == 0);
  CHECK(r[0].commits == 0);
  auto log = s.consent_log().value();
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().source == "store");
  CHECK(log.back().action == "repair");
  CHECK(log.back().detail.find("removed 3 implausible records") != std::string::npos);
  // A second repair finds nothing and logs nothing.
  CHECK(s.remove_implausible_rows(kNow)->total() == 0);
  CHECK(s.consent_log()->size() == log.size());
}

TEST_CASE("export works with implausible rows in the store and after the repair") {
  auto s = open_new(test::fresh_dir("store/repair-export") / "store.db");
  forge(s);
  auto doc = s.export_json();
  REQUIRE(doc.ok());
  CHECK(doc->find("\"commits\"") != std::string::npos);
  REQUIRE(s.remove_implausible_rows(kNow).ok());
  CHECK(s.export_json().ok());
}

// The live record's comparisons (ui/src/live.hpp): fingerprints move with what the views show and
// only with that, the changed weeks of two reads of the year are exactly the weeks whose day
// rollups differ, and file stamps move when a folder gains or loses a file.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "cairn/base/clock.hpp"
#include "live.hpp"

using namespace cairn;
using namespace cairn::ui;

namespace {

Journal sample_journal() {
  Journal j;
  records::Contribution c;
  c.id = 1;
  c.time = 1700000000;
  c.text = "fixed the deploy";
  c.skills = {"ops"};
  j.contributions.push_back(c);
  store::Goal g;
  g.id = 1;
  g.history.push_back({1, "calmer on-call", "", "active"});
  g.current = g.history.back();
  j.goals.push_back(g);
  return j;
}

YearData year_with(std::initializer_list<std::pair<std::int64_t, std::int64_t>> active) {
  YearData y;
  for (auto [day, secs] : active) {
    store::DayRollup r;
    r.day = day;
    r.active_seconds = secs;
    y.days[day] = r;
  }
  return y;
}

}  // namespace

TEST_CASE("live: a journal's fingerprint moves with an edit, a tag, a goal revision, and not otherwise") {
  const Journal a = sample_journal();
  Journal b = sample_journal();
  CHECK(fingerprint(a) == fingerprint(b));
  b.contributions[0].text = "fixed the deploy!";
  CHECK(fingerprint(a) != fingerprint(b));
  b = sample_journal();
  b.contributions[0].skills.push_back("writing");
  CHECK(fingerprint(a) != fingerprint(b));
  b = sample_journal();
  b.goals[0].history.push_back({2, "calmer on-call", "", "done"});
  CHECK(fingerprint(a) != fingerprint(b));
  b = sample_journal();
  b.outcomes.push_back({1, 1, 5, 30, "held", ""});
  CHECK(fingerprint(a) != fingerprint(b));
  // Field boundaries count: one skill "ab" is not two skills "a", "b".
  Journal c = sample_journal(), d = sample_journal();
  c.contributions[0].skills = {"ab"};
  d.contributions[0].skills = {"a", "b"};
  CHECK(fingerprint(c) != fingerprint(d));
}

TEST_CASE("live: the sharing fingerprint moves with a report's state, a plan, the ledger and the settings") {
  std::vector<store::PlanRow> plans{{"kinds", "offered", "{}", 1}};
  std::vector<store::SharedReport> reports(1);
  reports[0].report_id = "r1";
  reports[0].state = "pending";
  std::vector<store::LedgerRow> ledger;
  const auto base = fingerprint(plans, reports, ledger, {"enrolled", ""});
  CHECK(base == fingerprint(plans, reports, ledger, {"enrolled", ""}));
  auto r2 = reports;
  r2[0].state = "declined";
  CHECK(base != fingerprint(plans, r2, ledger, {"enrolled", ""}));
  auto p2 = plans;
  p2[0].state = "joined";
  CHECK(base != fingerprint(p2, reports, ledger, {"enrolled", ""}));
  auto l2 = ledger;
  l2.push_back({1, 10, "kinds", "2026-W47", "c", "p", "h"});
  CHECK(base != fingerprint(plans, reports, l2, {"enrolled", ""}));
  CHECK(base != fingerprint(plans, reports, ledger, {"enrolled", "{\"kinds\":[\"2026-W46\"]}"}));
}

TEST_CASE("live: changed weeks are exactly those whose day rollups differ or appear") {
  const std::int64_t monday = days_from_civil(2026, 11, 16);
  REQUIRE(week_start_day(monday) == monday);
  const YearData before = year_with({{monday, 100}, {monday + 7, 200}, {monday + 14, 300}});
  CHECK(changed_weeks(before, before).empty());
  // One day of the middle week changed; a day appeared in the last week (Sunday).
  const YearData after = year_with({{monday, 100}, {monday + 8, 250}, {monday + 7, 200}, {monday + 14, 300}, {monday + 20, 5}});
  auto changed = changed_weeks(before, after);
  CHECK(changed == std::set<std::int64_t>{monday + 7, monday + 14});
  // A day that disappeared counts too (e.g. a source's data deleted elsewhere).
  CHECK(changed_weeks(after, before) == std::set<std::int64_t>{monday + 7, monday + 14});
  const YearData edited = year_with({{monday, 101}, {monday + 7, 200}, {monday + 14, 300}});
  CHECK(changed_weeks(before, edited) == std::set<std::int64_t>{monday});
}

TEST_CASE("live: the strip moved when its first or last week differs") {
  YearData a, b;
  a.weeks = {{700, 0, 0}, {707, 0, 0}};
  b.weeks = a.weeks;
  CHECK_FALSE(strip_moved(a, b));
  b.weeks = {{707, 0, 0}, {714, 0, 0}};
  CHECK(strip_moved(a, b));
}

TEST_CASE("live: a folder's stamp moves when a file is added or removed, a file's when rewritten") {
  const char* tmp = std::getenv("CAIRN_TEST_TMP");
  auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / ("ui-live-stamp-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto missing = file_stamp({dir});
  std::filesystem::create_directories(dir);
  const auto empty = file_stamp({dir});
  CHECK(missing != empty);
  CHECK(file_stamp({dir}) == empty);
  std::ofstream(dir / "a.batch") << "x";
  const auto one = file_stamp({dir});
  CHECK(one != empty);
  std::ofstream(dir / "status.json") << "{\"version\":1}";
  const auto file = file_stamp({dir / "status.json"});
  std::ofstream(dir / "status.json") << "{\"version\":1,\"last_try\":5}";
  CHECK(file_stamp({dir / "status.json"}) != file);  // same folder entry, new size
  std::filesystem::remove(dir / "a.batch");
  CHECK(file_stamp({dir}) != one);
  std::filesystem::remove_all(dir);
}

// The panel's "Must show" for one live record and sharing without a terminal (issue 13), with real
// processes: a leader and a helper (`cairn-aggregator serve`, HTTPS with a test CA) on loopback,
// the device set up and changed through the real `cairn`, the real keyless `cairn-upload` run as
// the systemd timer runs it, and the real panel window (this process, under Xvfb) driven through
// ImGui input on a clock that is the real one (shifted at the end to reach a later week):
//   - `cairn enroll` while the panel is open shows at once, and the panel checks for plans by
//     itself; plans published later arrive with "Check now"; their cost is the CLI's line (per
//     report, and the per-year epsilon said as such);
//   - a `cairn log` while the panel is open is on screen within one second, and so are reports the
//     CLI prepares; a batch the daemon seals into the inbox meanwhile is imported by the panel,
//     and the Applications view, open meanwhile, shows its application within a second;
//   - a report approved in the panel waits in the spool; with the panel closed, cairn-upload sends
//     it and both aggregators hold it (read from their state databases); the next unlock shows it
//     sent;
//   - a report declined in the panel leaves the ledger as it was: its cost is back;
//   - the periodic check (no click) prepares the next period's reports when it is due.
// Screenshots of the Sharing view land in ${CMAKE_BINARY_DIR}/screenshots/.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <regex>
#include <thread>

#include "aggregators.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/ui/panel.hpp"
#include "driver.hpp"
#include "live_session.hpp"
#include "runner.hpp"
#include "state_reader.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::ui::live;  // stdfs, Steady, the clock, the session
namespace e2e = cairn::test;       // the end-to-end helpers (tests/support), as this file names them
using cairn::test::hex;
using cairn::test::line_after;

namespace {

// The CLI's text with the symbol the panel spells out (its font has no Greek glyphs).
std::string in_words(std::string s) {
  for (std::size_t at; (at = s.find("\xCE\xB5")) != std::string::npos;) s.replace(at, 2, "epsilon");
  return s;
}

std::string cost_of(const std::string& show_output) {
  auto c = show_output.find("Cost: ");
  if (c == std::string::npos) return {};
  c += 6;
  return show_output.substr(c, show_output.find('\n', c) - c);
}

}  // namespace

TEST_CASE("panel, live: cairn log shows within a second; approved in the panel, cairn-upload sends it; declined costs nothing") {
  REQUIRE(crypto::init().ok());
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const auto cairn = test::app("cairn/cairn");
  const auto upload = test::app("cairn-upload/cairn-upload");
  for (const auto& b : {cairn, upload}) REQUIRE_MESSAGE(stdfs::exists(b), b);
  const auto root = test::fresh_dir("panel_live");
  e2e::Runner run(root / "scratch");

  // --- the organisation: a leader and a helper over HTTPS on loopback ----------------------------
  test::Aggregators orgs(run, root);  // its CA trusted by the panel's checks and every program below
  const auto& aggb = orgs.binary;
  const auto &L = orgs.leader_dir, &H = orgs.helper_dir;
  const std::string token = orgs.tokens("platform", 1)[0];
  // Two weekly plans, not yet published: one with a per-year epsilon (its card must not call that
  // a per-report cost), one per release.
  auto create = [&](const std::string& id, bool per_year) {
    std::vector<std::string> a{aggb, "plan", "create", "--dir", L, "--id", id, "--team", "platform", "--metric",
                               "contributions_by_kind", "--cadence", "week", "--k", "10", "--epsilon", per_year ? "1" : "0.5",
                               "--expected", "15", "--purpose", "How the team's contributions split by kind"};
    if (!per_year) a.push_back("--per-release");
    auto r = run.run(a);
    if (r.rc != 0 && (r.err + r.out).find("--accept-useless") != std::string::npos) {
      a.push_back("--accept-useless");  // a leader that asks before signing a noisy plan
      r = run.run(a);
    }
    REQUIRE_MESSAGE(r.rc == 0, (r.err + r.out));
  };
  create("contrib-year", true);
  create("contrib-release", false);

  // Reports for the current ISO week; with under 3 minutes of it left, start in the next.
  const auto now = test::time_in_one_week();
  const auto period = iso_week_string(local_day(now, 0));

  // --- the employee's device, through the real CLI --------------------------------------------------
  const auto home = (root / "device").string();
  const std::string pass = std::string(kPass) + "\n";
  auto c = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {cairn, "--home", home});
    return run.run(args, pass);
  };
  REQUIRE(c({"init"}).rc == 0);
  REQUIRE(c({"log", "shipped the importer", "--kind", "impact"}).rc == 0);

  ShiftedClock clock;
  const Paths paths = resolve_paths(home);
  std::string id_year, id_release;
  {
    Session s(paths, clock);
    REQUIRE(s.drv->click("nav.sharing"));
    CHECK_FALSE(s.drv->has("share.checks"));  // not enrolled: "No plans joined yet"
    // Enrolled in a terminal while the panel is open: the view follows, and the panel checks for
    // plans by itself at once (it reaches the leader; no plan is published yet).
    auto en = run.run({cairn, "--home", home, "enroll", "--yes"}, token + "\n" + pass);
    REQUIRE_MESSAGE(en.rc == 0, en.err);
    const double enrolled = s.wait([&] { return s.drv->has("share.checks"); }, 5);
    MESSAGE("cairn enroll -> enrolled in the panel: " << enrolled * 1000 << " ms");
    CHECK(enrolled >= 0);
    CHECK(enrolled < 1.0);
    CHECK_MESSAGE(s.wait([&] { return s.text("share.checks").rfind("Checked for plans at", 0) == 0; }, 20) >= 0,
                  s.text("share.checks"));
    CHECK(s.text("share.sending") == "Nothing approved yet, so nothing waits to send.");

    // Plans published now arrive with "Check now".
    REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-year"}).rc == 0);
    REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-release"}).rc == 0);
    REQUIRE(s.drv->click("share.check"));
    // The cards come from the store as soon as the check has written the plans; the check's own line
    // follows when it has also prepared reports and fetched team results (later under ASan).
    REQUIRE_MESSAGE(s.wait([&] { return s.drv->has("share.join.1"); }, 20) >= 0, s.text("share.checks"));
    CHECK_MESSAGE(s.wait([&] { return s.text("share.checks").find("2 new plans") != std::string::npos; }, 20) >= 0,
                  s.text("share.checks"));
    const int py = s.index_of("share.plan.", "contrib-year", 2), pr = s.index_of("share.plan.", "contrib-release", 2);
    REQUIRE(py >= 0);
    REQUIRE(pr >= 0);
    // The plan's cost, as `cairn share list` says it: the per-year epsilon is never a per-report cost.
    const std::string year_cost = s.text("share.plan_cost." + std::to_string(py));
    INFO("plan card: " << year_cost);
    CHECK(year_cost.find("per report (the plan's epsilon 1.000 is per year, over ") != std::string::npos);
    CHECK(year_cost.find("epsilon 1.000 per report") == std::string::npos);
    CHECK(year_cost.find("epsilon 2.000 of your 2.000 left this year") != std::string::npos);
    auto list = c({"share", "list"});
    REQUIRE(list.rc == 0);
    CHECK_MESSAGE(in_words(list.out).find("Cost: " + year_cost + "\n") != std::string::npos, list.out);

    // Join both in the panel; the CLI sees it.
    REQUIRE(s.drv->click("share.join." + std::to_string(py)));
    REQUIRE(s.drv->click("share.join." + std::to_string(pr)));
    list = c({"share", "list"});
    CHECK_MESSAGE(list.out.find("contrib-year  [joined]") != std::string::npos, list.out);
    CHECK_MESSAGE(list.out.find("contrib-release  [joined]") != std::string::npos, list.out);

    // (a) A contribution logged in a terminal while the panel is open: on screen within a second.
    REQUIRE(s.drv->click("nav.contributions"));
    REQUIRE(s.drv->has("contrib.row.0"));
    REQUIRE_FALSE(s.drv->has("contrib.row.1"));
    REQUIRE(c({"log", "logged while the panel is open", "--kind", "system"}).rc == 0);
    const double shown = s.wait([&] { return s.drv->has("contrib.row.1"); }, 5);
    MESSAGE("cairn log -> on screen in the panel: " << shown * 1000 << " ms");
    CHECK(shown >= 0);
    CHECK(shown < 1.0);

    // What the daemon seals into the inbox while the panel is open is imported by the panel itself,
    // and the Applications view, open meanwhile, shows it as it shows the other views' changes.
    REQUIRE(s.drv->click("nav.apps"));
    REQUIRE(s.wait([&] { return s.panel->snapshot_version() > 0 && s.drv->has("apps.strip"); }, 5) >= 0);
    CHECK(s.panel->apps_drawn().empty());  // nothing recorded yet this week
    {
      auto pub = crypto::vault_read_public(paths.vault());
      REQUIRE(pub.ok());
      inbox::Batch b;
      b.id = inbox::new_batch_id();
      b.created = clock.now();
      b.spans.push_back({clock.now() - 900, clock.now() - 300, 0, false, "code", "development", std::nullopt});
      REQUIRE(inbox::write_batch(paths.inbox(), b, pub->inbox_public_key).ok());
      const double imported = s.wait([&] { return inbox::pending_batches(paths.inbox()).empty(); }, 5);
      MESSAGE("a sealed inbox batch -> imported by the open panel: " << imported * 1000 << " ms");
      CHECK(imported >= 0);
      CHECK(imported < 1.0);
      const auto rejected = paths.inbox() / "rejected";
      CHECK((!stdfs::exists(rejected) || stdfs::is_empty(rejected)));  // imported, not set aside
      using Row = std::pair<std::string, std::int64_t>;
      const double in_apps = s.wait([&] { return s.panel->apps_drawn() == std::vector<Row>{{"code", 600}}; }, 5);
      MESSAGE("a sealed inbox batch -> in the open Applications view: " << in_apps * 1000 << " ms");
      CHECK(in_apps >= 0);
      CHECK(in_apps < 1.0);
      // A second application later: the table follows again, largest first.
      inbox::Batch b2;
      b2.id = inbox::new_batch_id();
      b2.created = clock.now();
      b2.spans.push_back({clock.now() - 280, clock.now() - 100, 0, false, "firefox", "browsing", std::nullopt});
      REQUIRE(inbox::write_batch(paths.inbox(), b2, pub->inbox_public_key).ok());
      const double second = s.wait([&] { return s.panel->apps_drawn() == std::vector<Row>{{"code", 600}, {"firefox", 180}}; }, 5);
      MESSAGE("a second batch -> in the open Applications view: " << second * 1000 << " ms");
      CHECK(second >= 0);
      CHECK(second < 1.0);
      s.shot("apps-live");
      // A `cairn log` meanwhile (it moves today's rollup, so the view is read again): the same table.
      const auto v0 = s.panel->snapshot_version();
      REQUIRE(c({"log", "logged with the Applications view open", "--kind", "judgment"}).rc == 0);
      CHECK(s.wait([&] { return s.panel->snapshot_version() > v0; }, 5) >= 0);
      CHECK(s.panel->apps_drawn() == std::vector<Row>{{"code", 600}, {"firefox", 180}});
    }

    // Reports the CLI prepares (this week, asked for explicitly) show up the same way.
    REQUIRE(s.drv->click("nav.sharing"));
    auto sync = c({"share", "sync", "--period", period});
    REQUIRE_MESSAGE(sync.rc == 0, (sync.err + sync.out));
    const double reports_shown = s.wait([&] { return s.drv->has("share.approve.1"); }, 5);
    MESSAGE("cairn share sync -> reports on screen in the panel: " << reports_shown * 1000 << " ms");
    CHECK(reports_shown >= 0);
    CHECK(reports_shown < 1.0);
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(sync.out, m, std::regex("report ([0-9a-f]{32}) for contrib-year ")), sync.out);
    id_year = m[1];
    REQUIRE_MESSAGE(std::regex_search(sync.out, m, std::regex("report ([0-9a-f]{32}) for contrib-release ")), sync.out);
    id_release = m[1];
    const int ry = s.index_of("share.pending_plan.", "contrib-year", 2), rr = s.index_of("share.pending_plan.", "contrib-release", 2);
    REQUIRE(ry >= 0);
    REQUIRE(rr >= 0);
    // Each report's cost, exactly as `cairn share show` says it.
    const std::string cost_year = s.text("share.cost." + std::to_string(ry));
    CHECK(cost_year == in_words(cost_of(c({"share", "show", id_year}).out)));
    CHECK(cost_year.find("for this report if you approve it; ") != std::string::npos);
    CHECK(s.text("share.cost." + std::to_string(rr)) == in_words(cost_of(c({"share", "show", id_release}).out)));
    s.shot("sharing-live-pending");

    // (b) Approve the per-year plan's report in the panel: queued in the spool, charged.
    REQUIRE(s.drv->click("share.approve." + std::to_string(ry)));
    CHECK(s.panel->status_message().find("Approved") != std::string::npos);
    CHECK(stdfs::exists(paths.outbox() / (id_year + ".env")));
    CHECK_MESSAGE(s.wait([&] { return s.text("share.sending") == "1 report waiting to send (not tried yet)"; }, 2) >= 0,
                  s.text("share.sending"));
    auto budget = c({"privacy", "budget"});
    CHECK_MESSAGE(budget.out.find("1 in the ledger") != std::string::npos, budget.out);
    const std::string remaining = line_after(budget.out, "remaining  epsilon ");
    REQUIRE_FALSE(remaining.empty());
    // What is left of the year now, as the plan cards say it.
    const std::string card = s.text("share.plan_cost." + std::to_string(pr));
    REQUIRE_MESSAGE(std::regex_search(card, m, std::regex("; (epsilon [0-9.]+ of your 2\\.000 left this year)$")), card);
    const std::string left = m[1];
    // The other report, still pending, would spend more of it.
    REQUIRE(s.drv->has("share.decline.0"));
    const std::string before_decline = s.text("share.cost.0");
    CHECK(before_decline.find("left this year after it") != std::string::npos);
    CHECK(before_decline.find(left) == std::string::npos);

    // (c) Decline it in the panel: nothing charged, the ledger as it was, its cost back.
    REQUIRE(s.drv->click("share.decline.0"));
    CHECK(s.panel->status_message().find("Declined") != std::string::npos);
    CHECK_FALSE(stdfs::exists(paths.outbox() / (id_release + ".env")));
    budget = c({"privacy", "budget"});
    CHECK_MESSAGE(budget.out.find("1 in the ledger") != std::string::npos, budget.out);
    CHECK(line_after(budget.out, "remaining  epsilon ") == remaining);
    const int hr = s.index_of("share.history.", "contrib-release", 2);
    REQUIRE(hr >= 0);
    const std::string declined = s.text("share.history." + std::to_string(hr));
    INFO("history: " << declined);
    CHECK(declined.find("declined: nothing for this report (declined: nothing left this device); " + left) != std::string::npos);
    CHECK(s.text("share.plan_cost." + std::to_string(pr)).find(left) != std::string::npos);
    CHECK(in_words(cost_of(c({"share", "show", id_release}).out)) == declined.substr(declined.find(": ") + 2));
    s.shot("sharing-live-decided");
  }  // the panel is closed

  // --- the timer's uploader, with the panel closed: the leader and the helper hold the report ----------
  auto up = run.run({upload, "--home", home, "--quiet"});
  REQUIRE_MESSAGE(up.rc == 0, (up.err + up.out));
  CHECK_FALSE(stdfs::exists(paths.outbox() / (id_year + ".env")));
  auto lrep = e2e::stored_reports(L);
  auto hrep = e2e::stored_reports(H);
  REQUIRE(lrep.size() == 1);
  REQUIRE(hrep.size() == 1);
  CHECK(hex(lrep[0].report_id) == id_year);
  CHECK(hex(hrep[0].report_id) == id_year);
  CHECK(lrep[0].period == period);

  {
    // The next unlock records it as sent, and the status line says so.
    Session s(paths, clock);
    REQUIRE(s.drv->click("nav.sharing"));
    CHECK_MESSAGE(s.text("share.sending").rfind("Nothing waiting to send; last report sent ", 0) == 0, s.text("share.sending"));
    const int hy = s.index_of("share.history.", "contrib-year", 2);
    REQUIRE(hy >= 0);
    CHECK(s.text("share.history." + std::to_string(hy)).find(" uploaded: epsilon ") != std::string::npos);
    CHECK(s.wait([&] { return s.text("share.checks").rfind("Checked for plans at", 0) == 0; }, 20) >= 0);
    s.shot("sharing-live-sent");
    REQUIRE(s.drv->visible("share.history.1"));  // the history, with each report's cost
    s.shot("sharing-live-history");

    // The periodic check, without a click: at noon on the Monday two weeks on, last week's reports
    // are due (the first whole week after joining) and appear for a decision.
    const std::int64_t monday = week_start_day(local_day(now, 0)) + 14;
    clock.shift(monday * 86400 + 12 * 3600 - static_cast<std::int64_t>(std::time(nullptr)));
    const double due = s.wait([&] { return s.drv->has("share.approve.1"); }, 30);
    CHECK_MESSAGE(due >= 0, s.text("share.checks"));
    // (The cards can show before the check's line: it still fetches team results after preparing.)
    CHECK_MESSAGE(s.wait([&] { return s.text("share.checks").find("2 reports prepared for your decision") != std::string::npos; },
                         20) >= 0,
                  s.text("share.checks"));
    const std::string next_period = iso_week_string(monday - 7);
    CHECK(s.text("share.pending_plan.0").find(next_period) != std::string::npos);
    s.shot("sharing-live-due");
  }
}

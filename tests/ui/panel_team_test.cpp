// Team results in the panel (issue 13): an organisation (a leader and a helper, `cairn-aggregator
// serve` over HTTPS on loopback) publishes a weekly plan with k = 2; two devices, set up through the
// real `cairn`, report the current week and send it; the organisation releases the week once it is
// over. The panel of the first device, opened afterwards, fetches the release with its own check
// (no terminal) and its Sharing view shows each team figure in exactly the lines `cairn share
// results` prints (the organisation's own `results` lines for the figure, verdict and range),
// beside what this device sent. Screenshot: sharing-team-results.png.
#include <doctest/doctest.h>

#include <regex>

#include "cairn/crypto/sodium.hpp"
#include "aggregators.hpp"
#include "live_session.hpp"
#include "runner.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::ui::live;
using cairn::test::line_after;

namespace {

// Every line of `lines` (split at '\n') appears in `text` as a whole line after some indentation.
bool lines_in(const std::string& lines, const std::string& text) {
  std::size_t from = 0;
  while (from <= lines.size()) {
    const std::size_t nl = std::min(lines.find('\n', from), lines.size());
    const std::string line = lines.substr(from, nl - from);
    if (!std::regex_search(text, std::regex("(^|\n) *" + std::regex_replace(line, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + "\n")))
      return false;
    from = nl + 1;
  }
  return true;
}

}  // namespace

TEST_CASE("panel, team results: a released week appears in the Sharing view beside what this device sent, in the CLI's words") {
  REQUIRE(crypto::init().ok());
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  const auto cairn = test::app("cairn/cairn");
  for (const auto& b : {cairn, test::app("cairn-aggregator/cairn-aggregator")}) REQUIRE_MESSAGE(stdfs::exists(b), b);
  const auto root = test::fresh_dir("panel_team");
  test::Runner run(root / "scratch");

  // --- the organisation ----------------------------------------------------------------------------
  test::Aggregators orgs(run, root);  // its CA trusted by the panel's checks and every program below
  const auto& aggb = orgs.binary;
  const auto& L = orgs.leader_dir;
  const std::vector<std::string> tokens = orgs.tokens("platform", 2);
  REQUIRE(tokens.size() == 2);
  auto plan = run.run({aggb, "plan", "create", "--dir", L, "--id", "contrib-team", "--team", "platform", "--metric",
                       "contributions_by_kind", "--cadence", "week", "--k", "2", "--epsilon", "1", "--per-release",
                       "--accept-useless", "--expected", "2", "--purpose", "How the team's contributions split by kind"});
  REQUIRE_MESSAGE(plan.rc == 0, (plan.err + plan.out));
  REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-team"}).rc == 0);

  // The current ISO week; with under 3 minutes of it left, the next one.
  test::time_in_one_week();
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto period = iso_week_string(local_day(now, 0));

  // --- two devices report the week through the real CLI and send it ---------------------------------
  const std::string pass = std::string(kPass) + "\n";
  auto device = [&](int i) { return (root / ("device" + std::to_string(i))).string(); };
  for (int i = 0; i < 2; ++i) {
    auto c = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {cairn, "--home", device(i)});
      return run.run(args, pass);
    };
    REQUIRE(c({"init"}).rc == 0);
    REQUIRE(c({"log", "shipped the importer", "--kind", "impact"}).rc == 0);
    if (i == 1) REQUIRE(c({"log", "chose the smaller migration", "--kind", "judgment"}).rc == 0);
    auto en = run.run({cairn, "--home", device(i), "enroll", "--yes"}, tokens[static_cast<std::size_t>(i)] + "\n" + pass);
    REQUIRE_MESSAGE(en.rc == 0, en.err);
    REQUIRE(c({"share", "sync"}).rc == 0);
    REQUIRE(c({"share", "join", "contrib-team"}).rc == 0);
    auto prepared = c({"share", "sync", "--period", period});
    REQUIRE_MESSAGE(prepared.rc == 0, (prepared.err + prepared.out));
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(prepared.out, m, std::regex("report ([0-9a-f]{32}) for contrib-team ")), prepared.out);
    REQUIRE(c({"share", "approve", m[1]}).rc == 0);
    auto sent = c({"share", "sync"});
    REQUIRE_MESSAGE(sent.rc == 0, (sent.err + sent.out));
    CHECK(sent.out.find("1 uploaded") != std::string::npos);
  }

  // --- the organisation releases the week once it is over (the command's clock moved past its end) ---
  const std::int64_t week_end = (week_start_day(local_day(now, 0)) + 7) * 86400;
  ::setenv("CAIRN_AGGREGATOR_NOW", std::to_string(week_end + 60).c_str(), 1);
  auto rel = run.run({aggb, "release", "--dir", L, "--plan", "contrib-team", "--period", period});
  ::unsetenv("CAIRN_AGGREGATOR_NOW");
  REQUIRE_MESSAGE(rel.rc == 0, rel.err);
  auto org = run.run({aggb, "results", "--dir", L, "--plan", "contrib-team"});
  REQUIRE_MESSAGE(org.rc == 0, org.err);

  // --- the first device's panel: its own check fetches the release, the Sharing view shows it --------
  ShiftedClock clock;
  const Paths paths = resolve_paths(device(0));
  Session s(paths, clock);
  REQUIRE(s.drv->click("nav.sharing"));
  const double fetched = s.wait([&] { return !s.text("share.team.0").empty(); }, 30);
  REQUIRE_MESSAGE(fetched >= 0, s.text("share.checks"));
  MESSAGE("unlock -> team results on screen: " << fetched * 1000 << " ms");
  // The results show as soon as the store has them; the check's line follows when it has finished.
  CHECK_MESSAGE(s.wait([&] { return s.text("share.checks").find("; 1 new team result") != std::string::npos; }, 20) >= 0,
                s.text("share.checks"));
  CHECK(s.text("share.team.0") == "contrib-team " + period + ": team of 2 reports (k = 2)");
  REQUIRE(s.drv->visible("share.team.0.0"));
  s.shot("sharing-team-results");

  // The same lines as `cairn share results` (and, for each figure, as the organisation's `results`).
  auto cli = run.run({cairn, "--home", device(0), "share", "results"}, pass);
  REQUIRE_MESSAGE(cli.rc == 0, cli.err);
  CHECK(cli.out.find("  " + period + ": team of 2 reports (k = 2)\n") != std::string::npos);
  int figures = 0, own = 0;
  for (int j = 0; j < 16; ++j) {
    const std::string shown = s.text("share.team.0." + std::to_string(j));
    if (shown.empty()) break;
    ++figures;
    INFO("panel: " << shown);
    CHECK_MESSAGE(lines_in(shown, cli.out), cli.out);
    const std::string figure_and_verdict = shown.substr(0, shown.find('\n', shown.find('\n') + 1));
    CHECK_MESSAGE(lines_in(figure_and_verdict, org.out), org.out);
    CHECK(shown.find("\nverdict: ") != std::string::npos);
    own += shown.find("\nyou sent ") != std::string::npos;
  }
  CHECK(figures >= 4);     // the metric's coordinates
  CHECK(own == figures);   // this device reported the week: what it sent beside each figure
  // The impact coordinate: this device logged one impact contribution this week.
  bool impact = false;
  for (int j = 0; j < figures; ++j) {
    const std::string shown = s.text("share.team.0." + std::to_string(j));
    if (shown.rfind("contributions_by_kind / impact: team mean ", 0) == 0) {
      impact = true;
      CHECK(shown.find("\nyou sent 1.000 contributions per week (what this device sent, before the aggregators' noise)") !=
            std::string::npos);
    }
  }
  CHECK(impact);
}

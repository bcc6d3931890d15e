// End to end on loopback: a leader and a helper (`cairn-aggregator serve`, over HTTPS with a test
// CA that every process trusts through CAIRN_TLS_CA_FILE) as separate processes, 20 devices each with its own --home driven through the real `cairn` binary. Fifteen approve,
// five decline; the release has n = 15 and every mean lies within its interval around the
// devices' true mean; a second plan with k above the approvals releases nothing. Then everything
// each aggregator stored is decoded with its own key file and holds no device value.
// The organisation's guards, against the real binary: a plan its preview calls useless is refused
// (nothing stored), `plan list` and `status` (counts only), the release of a week not ended is
// refused, `results` is text by default with the verdict and any mean outside its range flagged
// beside the clamped estimate, `serve` logs enrolments, reports and releases without a token.
// The employees' side: after the release, `cairn share sync` fetches the team results and `cairn
// share results` shows them beside what the device sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "aggregators.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "state_reader.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using Json = nlohmann::json;

namespace {

struct DeviceTruth {
  int impact = 0, judgment = 0, ai = 0;
  std::vector<std::int64_t> sent;  // the noisy encoded values the device sent (from `share show`)
};

}  // namespace

TEST_CASE("20 devices, a leader and a helper on loopback: n = 15, means within intervals, nothing below k") {
  REQUIRE(crypto::init().ok());
  const auto cairn = test::app("cairn/cairn");
  REQUIRE(std::filesystem::exists(cairn));
  const auto root = test::fresh_dir("e2e_share");
  test::Runner run(root / "scratch");

  // --- the two aggregators ---------------------------------------------------------------------
  test::Aggregators orgs(run, root);  // its TLS CA trusted by every process started below
  const auto& aggb = orgs.binary;
  const auto &L = orgs.leader_dir, &H = orgs.helper_dir;
  const auto tokens = orgs.tokens("platform", 20);

  auto p1 = run.run({aggb, "plan", "create", "--dir", L, "--id", "contrib-w", "--team", "platform", "--metric",
                     "contributions_by_kind", "--metric", "ai_assisted_share", "--cadence", "week", "--k", "10",
                     "--epsilon", "1", "--per-release", "--accept-useless", "--expected", "15", "--purpose", "How the team's contributions split by kind"});
  REQUIRE_MESSAGE(p1.rc == 0, p1.err);
  CHECK(p1.out.find("contributions_by_kind") != std::string::npos);  // the preview came first
  CHECK(p1.out.find("Signed plan contrib-w") > p1.out.find("contributions_by_kind"));
  auto p2 = run.run({aggb, "plan", "create", "--dir", L, "--id", "ai-big", "--team", "platform", "--metric", "ai_assisted_share",
                     "--cadence", "week", "--k", "16", "--epsilon", "0.5", "--per-release", "--accept-useless", "--purpose", "AI assistance share"});
  REQUIRE_MESSAGE(p2.rc == 0, p2.err);
  REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-w"}).rc == 0);
  REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "ai-big"}).rc == 0);
  // A plan its own preview calls useless is refused in one line unless --accept-useless; nothing
  // is signed or stored.
  auto useless = run.run({aggb, "plan", "create", "--dir", L, "--id", "focus-w", "--team", "platform", "--metric", "focus_hours",
                          "--cadence", "week", "--k", "10", "--purpose", "Focus hours every week"});
  CHECK(useless.rc == 6);
  CHECK(useless.out.find("Utility preview") != std::string::npos);  // the preview it judged by
  CHECK(useless.err.find("cairn-aggregator: not signing plan focus-w: its own preview calls focus_hours too noisy to be useful: ±") == 0);
  CHECK(useless.err.find("--accept-useless") != std::string::npos);
  CHECK(std::count(useless.err.begin(), useless.err.end(), '\n') == 1);
  auto plans = run.run({aggb, "plan", "list", "--dir", L});
  REQUIRE_MESSAGE(plans.rc == 0, plans.err);
  CHECK(plans.out.find("focus-w") == std::string::npos);
  CHECK(plans.out.find("contrib-w  team platform, every week, k = 10, published, released: none\n"
                       "  purpose: How the team's contributions split by kind\n") != std::string::npos);
  CHECK(plans.out.find("ai-big  team platform, every week, k = 16, published, released: none") != std::string::npos);

  // --- 20 devices ------------------------------------------------------------------------------
  // Devices log their contributions "now" and report the current ISO week (TZ=UTC): a run that
  // crossed Monday 00:00 UTC would split them over two weeks. With under 3 minutes of the week
  // left, start in the next one instead.
  const auto now = test::time_in_one_week();
  const auto period = iso_week_string(local_day(now, 0));
  std::vector<DeviceTruth> truth(20);
  std::map<std::string, int> uploaded_by_plan;
  for (int i = 0; i < 20; ++i) {
    const auto home = (root / ("device" + std::to_string(i))).string();
    const std::string pass = "passphrase-" + std::to_string(i) + "\n";
    auto c = [&](std::vector<std::string> args, const std::string& extra_input = "") {
      args.insert(args.begin(), {cairn, "--home", home});
      return run.run(args, pass + extra_input);
    };
    REQUIRE(c({"init"}).rc == 0);
    auto& t = truth[i];
    t.impact = i % 4 + 1;
    t.judgment = i % 3;
    for (int k = 0; k < t.impact; ++k) {
      const bool ai = k == 0 && i % 2 == 0;
      t.ai += ai;
      std::vector<std::string> args{"log", "shipped part " + std::to_string(k), "--kind", "impact"};
      if (ai) args.push_back("--ai-assisted");
      REQUIRE(c(args).rc == 0);
    }
    for (int k = 0; k < t.judgment; ++k) REQUIRE(c({"log", "decided " + std::to_string(k), "--kind", "judgment"}).rc == 0);

    // The token is a secret: first line of standard input (never an argument), then the passphrase.
    auto en = run.run({cairn, "--home", home, "enroll", "--yes"}, tokens[i] + "\n" + pass);
    REQUIRE_MESSAGE(en.rc == 0, en.err);
    CHECK(en.out.find("Acme") != std::string::npos);
    auto s1 = c({"share", "sync"});
    REQUIRE_MESSAGE(s1.rc == 0, s1.err);
    CHECK(s1.out.find("2 new") != std::string::npos);
    REQUIRE(c({"share", "join", "contrib-w"}).rc == 0);
    REQUIRE(c({"share", "join", "ai-big"}).rc == 0);
    auto s2 = c({"share", "sync", "--period", period});
    REQUIRE_MESSAGE(s2.rc == 0, (s2.err + s2.out));
    std::regex id_re("report ([0-9a-f]{32}) for (\\S+) ");
    std::vector<std::pair<std::string, std::string>> ids;
    for (std::sregex_iterator it(s2.out.begin(), s2.out.end(), id_re), end; it != end; ++it) ids.push_back({(*it)[1], (*it)[2]});
    REQUIRE_MESSAGE(ids.size() == 2, s2.out);
    const bool approve = i < 15;
    for (const auto& [id, plan] : ids) {
      auto show = c({"share", "show", id});
      REQUIRE(show.rc == 0);
      CHECK(show.out.find("Cost: ε ") != std::string::npos);
      CHECK(show.out.find("Bytes that will leave") != std::string::npos);
      std::regex sent_re("sent: (-?[0-9.]+)");
      for (std::sregex_iterator it(show.out.begin(), show.out.end(), sent_re), end; it != end; ++it)
        t.sent.push_back(std::llround(std::stod((*it)[1]) * 1000));  // scaled; compared loosely below
      auto d = c({"share", approve ? "approve" : "decline", id});
      REQUIRE_MESSAGE(d.rc == 0, d.err);
    }
    auto s3 = c({"share", "sync"});
    REQUIRE_MESSAGE(s3.rc == 0, (s3.err + s3.out));
    CHECK(s3.out.find(approve ? "2 uploaded" : "0 uploaded") != std::string::npos);
    auto list = c({"share", "list"});
    CHECK(list.out.find(approve ? "[uploaded]" : "[declined]") != std::string::npos);
  }

  // --- what the organisation sees before releasing: counts only ------------------------------------
  auto status = run.run({aggb, "status", "--dir", L});
  REQUIRE_MESSAGE(status.rc == 0, status.err);
  CHECK(status.out.find("  team platform: 20\n") != std::string::npos);
  CHECK(status.out.find("  contrib-w " + period + ": 15 reports received, at least k = 10; ends ") != std::string::npos);
  CHECK(status.out.find("  ai-big " + period + ": 15 reports received, below k = 16; ends ") != std::string::npos);
  for (const auto& t : tokens) CHECK(status.out.find(t) == std::string::npos);

  // --- release -----------------------------------------------------------------------------------
  // The week has not ended: release refuses it, naming when it ends, and nothing changes.
  auto early = run.run({aggb, "release", "--dir", L, "--plan", "contrib-w", "--period", period});
  CHECK(early.rc == 6);
  CHECK(early.err.find("has not ended yet: it ends ") != std::string::npos);
  CHECK(std::count(early.err.begin(), early.err.end(), '\n') == 1);
  // The organisation releases once it is over: the command's clock moved past the week's end
  // (CAIRN_AGGREGATOR_NOW, test suites only), the servers' clocks untouched.
  const std::int64_t week_end = (week_start_day(local_day(now, 0)) + 7) * 86400;
  ::setenv("CAIRN_AGGREGATOR_NOW", std::to_string(week_end + 60).c_str(), 1);
  auto rel = run.run({aggb, "release", "--dir", L, "--plan", "contrib-w", "--period", period});
  REQUIRE_MESSAGE(rel.rc == 0, rel.err);
  auto res = run.run({aggb, "results", "--dir", L, "--plan", "contrib-w", "--format", "json"});
  REQUIRE(res.rc == 0);
  auto j = Json::parse(res.out);
  REQUIRE(j["results"].size() == 1);
  const auto& r = j["results"][0];
  CHECK(r["n"] == 15);
  // The devices' true means over the 15 that approved.
  double impact = 0, judgment = 0, ai_share = 0;
  for (int i = 0; i < 15; ++i) {
    impact += truth[i].impact;
    judgment += truth[i].judgment;
    ai_share += static_cast<double>(truth[i].ai) / (truth[i].impact + truth[i].judgment);
  }
  std::map<std::string, double> true_mean{{"impact", impact / 15}, {"long-term", 0}, {"system", 0}, {"judgment", judgment / 15},
                                          {"ai_assisted_share", std::round(ai_share / 15 * 1000) / 1000}};
  int inside95 = 0;
  for (const auto& v : r["values"]) {
    const std::string coord = v["coordinate"];
    REQUIRE(true_mean.count(coord));
    const double mean = v["mean"], lo = v["ci95_lo"], hi = v["ci95_hi"], se = v["se"];
    INFO(coord << ": mean " << mean << " [" << lo << ", " << hi << "], true " << true_mean[coord]);
    CHECK(hi - mean == doctest::Approx(1.96 * se));
    CHECK(se > 0);
    // A 95 % interval misses 1 time in 20 by design; the test asserts the 4-se band (a miss about
    // 1 in 16000 per coordinate) and reports how many fell inside the 95 % one.
    CHECK(std::fabs(mean - true_mean[coord]) <= 4 * se + 0.002);
    inside95 += (true_mean[coord] >= lo - 0.002 && true_mean[coord] <= hi + 0.002);
  }
  MESSAGE("coordinates inside their 95% interval: " << inside95 << " of " << r["values"].size());
  CHECK(r["values"].size() == 5);
  // Nothing clamped silently: every value carries its range and verdict; a mean outside the range
  // is flagged, with the clamped estimate beside it (the mean itself unchanged).
  bool any_outside = false;
  for (const auto& v : r["values"]) {
    const double mean = v["mean"], lo = v["clip_lo"], hi = v["clip_hi"];
    CHECK(v["out_of_range"] == (mean < lo || mean > hi));
    CHECK(v["clamped_mean"].get<double>() == doctest::Approx(std::clamp(mean, lo, hi)));
    CHECK(v["verdict"] == "too noisy to be useful");  // as the preview said at plan create
    any_outside = any_outside || v["out_of_range"].get<bool>();
  }
  // Human-readable by default; --json is today's JSON.
  auto text = run.run({aggb, "results", "--dir", L, "--plan", "contrib-w"});
  REQUIRE(text.rc == 0);
  CHECK(text.out.find("contrib-w, team platform, " + period + ": 15 reports (k = 10)\n") == 0);
  CHECK(text.out.find("  contributions_by_kind / impact: team mean ") != std::string::npos);
  CHECK(text.out.find("    verdict: too noisy to be useful: ±") != std::string::npos);
  CHECK((text.out.find("OUTSIDE the metric's range") != std::string::npos) == any_outside);
  if (any_outside) CHECK(text.out.find("post-processing of the released mean, no privacy cost") != std::string::npos);
  CHECK(run.run({aggb, "results", "--dir", L, "--plan", "contrib-w", "--json"}).out == res.out);
  auto listed = run.run({aggb, "plan", "list", "--dir", L});
  CHECK(listed.out.find("contrib-w  team platform, every week, k = 10, published, released: " + period + "\n") != std::string::npos);

  // k = 16 > 15 approvals: nothing released, exit status 6.
  auto rel2 = run.run({aggb, "release", "--dir", L, "--plan", "ai-big", "--period", period});
  CHECK(rel2.rc == 6);
  CHECK(rel2.err.find("below") != std::string::npos);
  ::unsetenv("CAIRN_AGGREGATOR_NOW");
  auto res2 = run.run({aggb, "results", "--dir", L, "--plan", "ai-big", "--format", "csv"});
  REQUIRE(res2.rc == 0);
  CHECK(std::count(res2.out.begin(), res2.out.end(), '\n') == 1);  // the header only

  // --- the employees' side: team results beside what each device sent --------------------------
  for (int i : {0, 19}) {  // 0 approved both reports, 19 declined both
    const auto home = (root / ("device" + std::to_string(i))).string();
    const std::string pass = "passphrase-" + std::to_string(i) + "\n";
    auto sync = run.run({cairn, "--home", home, "share", "sync"}, pass);
    REQUIRE_MESSAGE(sync.rc == 0, (sync.err + sync.out));
    auto mine = run.run({cairn, "--home", home, "share", "results"}, pass);
    REQUIRE_MESSAGE(mine.rc == 0, mine.err);
    if (i == 19) {
      CHECK(mine.out.find("No team results yet") == 0);
      continue;
    }
    CHECK(sync.out.find("plan contrib-w: 1 new team result (`cairn share results`)") != std::string::npos);
    CHECK(mine.out.find("Plan contrib-w: How the team's contributions split by kind\n  " + period +
                        ": team of 15 reports (k = 10)\n") == 0);
    CHECK(mine.out.find("    contributions_by_kind / impact: team mean ") != std::string::npos);
    // Device 0 logged one impact contribution this week, none of judgment, one AI-assisted.
    CHECK(mine.out.find("      you sent 1.000 contributions per week (what this device sent, before the aggregators' noise)") !=
          std::string::npos);
    CHECK(mine.out.find("      you sent 1.000 share (") != std::string::npos);
    CHECK(std::count(mine.out.begin(), mine.out.end(), '\n') >= 12);
    CHECK(mine.out.find("ai-big") == std::string::npos);  // released below k: no results at all
  }

  // --- what serve logged: one line per enrolment, report and release; no token -------------------
  const auto leader_log = test::slurp(root / "leader-log.err"), helper_log = test::slurp(root / "helper-log.err");
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  };
  CHECK(count(leader_log, "cairn-aggregator: enrolment: a device joined team platform\n") == 20);
  CHECK(count(helper_log, "cairn-aggregator: enrolment: a device joined team platform\n") == 20);
  CHECK(count(leader_log, "cairn-aggregator: report for contrib-w " + period + ": accepted\n") == 15);
  CHECK(count(leader_log, "cairn-aggregator: report for ai-big " + period + ": accepted\n") == 15);
  CHECK(count(helper_log, "cairn-aggregator: report for contrib-w " + period + ": accepted\n") == 15);
  CHECK(count(helper_log, "cairn-aggregator: release contrib-w " + period + ": aggregated n = 15 with this helper's noise layer\n") == 1);
  for (const auto& t : tokens) {
    CHECK(leader_log.find(t) == std::string::npos);
    CHECK(helper_log.find(t) == std::string::npos);
  }

  // --- what each aggregator holds ----------------------------------------------------------------
  auto lrep = test::stored_reports(L);
  auto hrep = test::stored_reports(H);
  CHECK(lrep.size() == 30);
  CHECK(hrep.size() == 30);
  // The true encoded values of every device (all 20, including decliners) and the noisy values the
  // approvers sent: none appears in any stored word, and no stored seed repeats.
  std::set<std::uint64_t> forbidden;
  for (const auto& t : truth) {
    for (auto v : {t.impact * 100, t.judgment * 100, 0}) forbidden.insert(static_cast<std::uint64_t>(v));
    for (auto v : t.sent) {
      forbidden.insert(static_cast<std::uint64_t>(v));
      forbidden.insert(static_cast<std::uint64_t>(v / 10));  // contributions are in hundredths
    }
  }
  int hits = 0;
  for (const auto* side : {&lrep, &hrep})
  for (const auto& rr : *side) {
    CHECK(rr.share.size() % 8 == 0);
    for (std::size_t w = 0; w + 8 <= rr.share.size(); w += 8) {
      std::uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= std::uint64_t{rr.share[w + b]} << (8 * b);
      hits += forbidden.count(v) + forbidden.count(static_cast<std::uint64_t>(-static_cast<std::int64_t>(v)));
    }
  }
  CHECK(hits == 0);
  // Prio3 output shares (Field64, 8 bytes per coordinate) on both sides; none repeats.
  std::set<std::vector<std::uint8_t>> outs;
  for (const auto& rr : hrep) {
    CHECK(rr.share.size() % 8 == 0);
    outs.insert(rr.share);
  }
  CHECK(outs.size() == hrep.size());
  // Pooled over both sides, the stored bytes look uniform (a coarse check: 16 bins of the high
  // nibble; the fine-grained test over thousands of reports is aggregator_test's privacy case).
  std::vector<int> bins(16, 0);
  int total = 0;
  for (const auto* side : {&lrep, &hrep})
    for (const auto& rr : *side)
      for (auto b : rr.share) {
        ++bins[b >> 4];
        ++total;
      }
  double chi = 0;
  for (int c : bins) chi += (c - total / 16.0) * (c - total / 16.0) / (total / 16.0);
  CHECK(chi < 45);  // 15 degrees of freedom: p ~ 1e-4
}

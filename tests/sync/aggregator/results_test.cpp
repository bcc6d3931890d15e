// Reading results: a mean the noise carried outside the metric's range is flagged with the clamped
// estimate beside it (never clamped silently), every figure carries the preview's verdict, and the
// team results a device may read (POST /v1/results): only enrolled devices of the plan's team,
// with a fresh signature, only released periods.
#include <nlohmann/json.hpp>

#include "cairn/wire/results.hpp"
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

namespace {

aggregator::Release focus_release(double mean, double se) {
  aggregator::Release r;
  r.plan_id = "focus-w";
  r.team = "platform";
  r.period = "2026-W47";
  r.n = 10;
  r.k = 10;
  aggregator::CoordinateResult v;
  v.metric = v.coordinate = "focus_hours";
  v.unit = "hours per week";
  v.mean = mean;
  v.noisy_sum = mean * 10;
  v.se = se;
  v.lo = mean - 1.96 * se;
  v.hi = mean + 1.96 * se;
  r.values.push_back(v);
  return r;
}

std::string results_request(const wire::ResultsRequest& r) { return wire::encode_results_request(r); }

}  // namespace

TEST_CASE("a mean outside the metric's range is flagged, the clamped estimate shown beside it, the mean kept") {
  auto r = focus_release(975.0, 640.0);
  aggregator::annotate_release(r);
  const auto& v = r.values[0];
  CHECK(v.clip_lo == 0);
  CHECK(v.clip_hi == 40);
  CHECK(v.out_of_range);
  CHECK(v.clamped_mean == 40);
  CHECK(v.mean == 975.0);  // what was released stays what is shown first
  CHECK(v.verdict == dp::Verdict::too_noisy);
  CHECK(v.verdict_sentence == "too noisy to be useful: ±1254 hours per week at 95%");
  const auto text = aggregator::render_results_text({r});
  CHECK(text.find("focus-w, team platform, 2026-W47: 10 reports (k = 10)\n") == 0);
  CHECK(text.find("  focus_hours: team mean 975 hours per week, 95% interval -279 to 2229\n"
                  "    verdict: too noisy to be useful: ±1254 hours per week at 95%\n"
                  "    OUTSIDE the metric's range 0.00 to 40.0 hours per week: the noise carried the mean there. Clamped to "
                  "the range: 40.0 hours per week (post-processing of the released mean, no privacy cost; the mean above is "
                  "what was released)\n") != std::string::npos);
  auto j = nlohmann::json::parse(aggregator::render_results_json({r}));
  CHECK(j["results"][0]["values"][0]["mean"] == 975.0);
  CHECK(j["results"][0]["values"][0]["clamped_mean"] == 40.0);
  CHECK(j["results"][0]["values"][0]["out_of_range"] == true);
  CHECK(j["results"][0]["values"][0]["verdict"] == "too noisy to be useful");
  const auto csv = aggregator::render_results_csv({r});
  CHECK(csv.find(",clip_lo,clip_hi,verdict,out_of_range,clamped_mean\n") != std::string::npos);
  CHECK(csv.find(",0,40,\"too noisy to be useful\",yes,40\n") != std::string::npos);

  // Inside the range and precise: nothing flagged, "useful".
  auto good = focus_release(12.5, 0.5);
  aggregator::annotate_release(good);
  CHECK_FALSE(good.values[0].out_of_range);
  CHECK(good.values[0].clamped_mean == 12.5);
  CHECK(good.values[0].verdict == dp::Verdict::useful);
  CHECK(aggregator::render_results_text({good}).find("OUTSIDE") == std::string::npos);
  // Below k: said in words, no figures.
  auto empty = focus_release(0, 0);
  empty.values.clear();
  empty.n = 2;
  CHECK(aggregator::render_results_text({empty}) ==
        "focus-w, team platform, 2026-W47: not released: 2 reports held by both aggregators, below k = 10\n");
  CHECK(aggregator::render_results_text({}) == "No released period for this plan yet.\n");
}

TEST_CASE("team results: enrolled devices of the plan's team, a fresh signature, released periods only") {
  Pair p("results_devices", 3, 5);
  for (std::size_t i = 0; i < 5; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  const auto& me = p.devices[0].keys;
  // Before the release: an empty list.
  auto before = Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request(p.plan.id, me, test::kTestNow)));
  REQUIRE(before.status == 200);
  CHECK(wire::parse_results_answer(before.body).value().empty());
  REQUIRE(p.leader->release(p.plan.id, "2026-11").ok());
  auto got = Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request(p.plan.id, me, test::kTestNow)));
  REQUIRE_MESSAGE(got.status == 200, got.body);
  auto releases = wire::parse_results_answer(got.body).value();
  REQUIRE(releases.size() == 1);
  CHECK(releases[0].period == "2026-11");
  CHECK(releases[0].n == 5);
  CHECK(releases[0].released);
  REQUIRE(releases[0].values.size() == 1);
  const auto published = p.leader->results(p.plan.id, std::nullopt).value();
  CHECK(releases[0].values[0].mean == published[0].values[0].mean);  // exactly what `results` publishes
  CHECK(releases[0].values[0].verdict == std::string(dp::verdict_words(published[0].values[0].verdict)));
  CHECK(got.body.find("noisy_sum") == std::string::npos);

  const auto digest = p.digest();
  // Stale (11 minutes old), forged, unknown device, unknown plan: refused, nothing changes.
  auto stale = Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request(p.plan.id, me, test::kTestNow - 660)));
  CHECK(stale.status == 401);
  auto forged = wire::make_results_request(p.plan.id, me, test::kTestNow);
  forged.sig[0] ^= 1;
  CHECK(Pair::post(*p.leader, "/v1/results", results_request(forged)).status == 401);
  const auto stranger = crypto::sign_keypair();
  CHECK(Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request(p.plan.id, stranger, test::kTestNow))).status == 403);
  CHECK(Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request("nope", me, test::kTestNow))).status == 404);
  CHECK(p.digest() == digest);
  // A device of another team is refused the platform team's results.
  auto other = p.leader->create_tokens("other", 1, 1000).value();
  const auto outsider = crypto::sign_keypair();
  auto tok = wire::parse_token(other[0].token).value();
  REQUIRE(Pair::post(*p.leader, "/v1/enroll", wire::encode_enroll(wire::make_enroll(tok.secret, tok.team, outsider))).status == 201);
  auto wrong_team = Pair::post(*p.leader, "/v1/results", results_request(wire::make_results_request(p.plan.id, outsider, test::kTestNow)));
  CHECK(wrong_team.status == 403);
  CHECK(wrong_team.body.find("team") != std::string::npos);
  // The helper has no such endpoint.
  CHECK(Pair::post(*p.helper, "/v1/results", results_request(wire::make_results_request(p.plan.id, me, test::kTestNow))).status == 404);
}

TEST_CASE("serve's event log: enrolments, reports and their refusals, never a value or a key") {
  Pair p("results_log", 3, 3);
  std::vector<std::string> lines;
  std::mutex mu;
  p.leader->set_log([&](const std::string& l) {
    std::lock_guard lock(mu);
    lines.push_back(l);
  });
  REQUIRE(p.upload(p.report(0, 777)).status == 201);
  REQUIRE(p.upload(p.report(0, 778)).status == 409);  // a second report of this device and period
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "report for focus-1 2026-11: accepted");
  CHECK(lines[1] == "report for focus-1 2026-11 refused (HTTP 409): this employee already reported for this plan and period");
  const auto key = crypto::to_base64(p.devices[0].keys.public_key);
  for (const auto& l : lines) {
    CHECK(l.find("777") == std::string::npos);
    CHECK(l.find(key) == std::string::npos);
  }
  auto bad = Pair::post(*p.leader, "/v1/enroll", "{}");
  CHECK(bad.status == 400);
  REQUIRE(lines.size() == 3);
  CHECK(lines[2].rfind("enrolment refused (HTTP 400): ", 0) == 0);
}

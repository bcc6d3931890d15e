// Batch agreement and release: the decoded sum is exact, below k nothing is released, and the
// helper refuses batches it does not agree with.
#include <nlohmann/json.hpp>

#include "cairn/base/clock.hpp"
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

TEST_CASE("release decodes the exact sum of the reports and intervals include the noise variance") {
  Pair p("rel_sum", 3, 5);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::int64_t y = 60 * static_cast<std::int64_t>(i + 1) - 100;  // some negative after "noise"
    total += y;
    REQUIRE(p.upload(p.report(i, y)).status == 201);
  }
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(r.ok());
  REQUIRE(r->values.size() == 1);
  CHECK(r->n == 5);
  CHECK(r->values[0].noisy_sum == doctest::Approx(total / 60.0));
  CHECK(r->values[0].mean == doctest::Approx(total / 60.0 / 5));
  const double var = 5 * static_cast<double>(p.plan.metrics[0].mu.to_long_double()) / 3;
  CHECK(r->values[0].noise_variance == doctest::Approx(var));
  CHECK(r->values[0].hi - r->values[0].mean == doctest::Approx(1.96 * std::sqrt(var) / (60 * 5)));
  // Released once: asking again gives the stored result, and results() lists it.
  auto again = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(again.ok());
  CHECK(again->values[0].noisy_sum == r->values[0].noisy_sum);
  auto all = p.leader->results(p.plan.id, std::nullopt).value();
  REQUIRE(all.size() == 1);
  auto csv = aggregator::render_results_csv(all);
  CHECK(csv.find("focus-1,platform,2026-11,5,focus_hours") != std::string::npos);
  auto json = nlohmann::json::parse(aggregator::render_results_json(all));
  CHECK(json["results"][0]["n"] == 5);
}

TEST_CASE("below k: nothing released, the period stays open, the helper refuses small batches") {
  Pair p("rel_below_k", 4, 5);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  const auto d = p.digest();
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(p.digest() == d);
  CHECK(p.leader->results(p.plan.id, std::nullopt).value().empty());
  // A leader that tried anyway: the helper says 403.
  std::vector<std::string> ids;  // the helper does not need real ids to refuse on size
  for (int i = 0; i < 3; ++i) ids.push_back(std::string(32, static_cast<char>('a' + i)));
  nlohmann::json body{{"plan", p.plan.id}, {"period", "2026-11"}, {"count", 3},
                      {"checksum", aggregator::batch_checksum(p.plan.id, "2026-11", ids)}, {"reports", ids}};
  test::InProcessLink link(*p.helper);
  (void)link;
  aggregator::Request req{"POST", "/v1/helper/aggregate", body.dump(), "", ""};
  CHECK(p.helper->handle(req).status == 401);  // unsigned
  // The fourth report arrives: now it releases.
  REQUIRE(p.upload(p.report(3, 600)).status == 201);
  auto ok = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(ok.ok());
  CHECK(ok->n == 4);
}

TEST_CASE("periods follow the cadence") {
  CHECK(aggregator::valid_period("week", "2026-W47"));
  CHECK_FALSE(aggregator::valid_period("week", "2026-W54"));
  CHECK(aggregator::valid_period("month", "2026-01"));
  CHECK_FALSE(aggregator::valid_period("month", "2026-13"));
  CHECK(aggregator::valid_period("quarter", "2026-Q4"));
  CHECK_FALSE(aggregator::valid_period("quarter", "2026-Q5"));
  CHECK_FALSE(aggregator::valid_period("month", "26-01"));
}

TEST_CASE("the state is encrypted: the database opens only with its key file") {
  Pair p("rel_key", 3, 3);
  auto dir = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "rel_key" / "leader";
  CHECK((std::filesystem::status(dir / "state.key").permissions() & std::filesystem::perms::group_all) == std::filesystem::perms::none);
  CHECK_FALSE(test::any_file_contains(dir, "SQLite format 3"));
  CHECK_FALSE(test::any_file_contains(dir, "platform"));
}

TEST_CASE("the release schedule: a period is released once it ended plus the grace; below k it waits") {
  Pair p("rel_schedule", 3, 5);
  for (std::size_t i = 0; i < 5; ++i) REQUIRE(p.upload(p.report(i, 600, "2026-10")).status == 201);
  for (std::size_t i = 0; i < 2; ++i) REQUIRE(p.upload(p.report(i, 600, "2026-11")).status == 201);
  const std::int64_t october_ends = days_from_civil(2026, 11, 1) * 86400, grace = 72 * 3600;

  auto early = p.leader->release_due(october_ends + grace - 1, grace);
  REQUIRE(early.ok());
  CHECK(early->empty());
  CHECK(p.leader->results(p.plan.id, std::string("2026-10")).value().empty());

  auto due = p.leader->release_due(october_ends + grace, grace);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);
  CHECK((*due)[0].period == "2026-10");
  CHECK((*due)[0].released);
  CHECK((*due)[0].message == "n = 5");
  CHECK(p.leader->results(p.plan.id, std::string("2026-10")).value().size() == 1);
  CHECK(p.upload(p.report(4, 600, "2026-10")).status == 410);  // closed now

  // November has only two reports (k = 3): due in December, refused, still open, tried again.
  const std::int64_t november_ends = days_from_civil(2026, 12, 1) * 86400;
  auto later = p.leader->release_due(november_ends + grace, grace);
  REQUIRE(later.ok());
  REQUIRE(later->size() == 1);
  CHECK((*later)[0].period == "2026-11");
  CHECK_FALSE((*later)[0].released);
  CHECK((*later)[0].message.find("below the plan's minimum group size") != std::string::npos);
  REQUIRE(p.upload(p.report(2, 600, "2026-11")).status == 201);  // a late approval still counts
  auto last = p.leader->release_due(november_ends + grace + 60, grace);
  REQUIRE(last.ok());
  REQUIRE(last->size() == 1);
  CHECK((*last)[0].released);
  CHECK(p.helper->release_due(november_ends + grace, grace).error().code == Errc::usage);
}

TEST_CASE("the helper's own noise layer: added once per release, of the variance the plan states") {
  Pair p("rel_helper_noise", 3, 3);
  auto pr = Pair::plan_request("focus-noisy", 3);
  pr.helper_noise_ratio = 4.0;
  auto plan = p.leader->create_plan(pr, 1000).value().plan;
  REQUIRE(p.leader->publish_plan("focus-noisy").ok());
  const auto& m = plan.metrics[0];
  const double sigma2 = static_cast<double>(m.helper_sigma2.to_long_double());
  const double mu = static_cast<double>(m.mu.to_long_double());
  REQUIRE(sigma2 >= 4 * mu);

  // 40 periods of three reports whose device shares carry no noise of their own (split of the
  // exact value), so what the release adds beyond the exact sum is the helper's layer alone.
  const int periods = 40;
  std::vector<double> noise;
  for (int t = 0; t < periods; ++t) {
    const std::string period = std::to_string(2030 + t / 12) + "-" + (t % 12 + 1 < 10 ? "0" : "") + std::to_string(t % 12 + 1);
    std::int64_t exact = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      auto& d = p.devices[i];
      ++d.ledger_length;
      wire::ReportContext ctx{plan.id, period, wire::new_report_id(), d.keys.public_key};
      dp::ChainHead head;
      head.length = d.ledger_length;
      const std::int64_t y = 300 + 10 * static_cast<std::int64_t>(i);
      exact += y;
      std::vector<std::int64_t> v{y};
      auto e = wire::make_envelope(ctx, head, wire::split(v), {plan.leader.box_key, plan.helper.box_key}, d.keys);
      REQUIRE(p.upload(e).status == 201);
    }
    auto r = p.leader->release(plan.id, period);
    REQUIRE(r.ok());
    CHECK(r->values[0].noise_variance == doctest::Approx(3 * mu / 3 + sigma2));
    noise.push_back(r->values[0].noisy_sum * m.scale - static_cast<double>(exact));
  }
  // Sample variance against sigma2: (n-1) s^2 / sigma2 ~ chi2(39); [8, 100] holds with
  // probability above 1 - 4e-7, so a missing layer (0) or one far off its stated variance fails.
  double mean = 0, ss = 0;
  for (double x : noise) mean += x / periods;
  for (double x : noise) ss += (x - mean) * (x - mean);
  const double stat = ss / sigma2;
  INFO("sum of squares / sigma2 = " << stat);
  CHECK(stat > 8);
  CHECK(stat < 100);
}

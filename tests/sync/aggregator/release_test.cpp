// Batch agreement and release: the decoded sum is exact, below k nothing is released, and the
// helper refuses batches it does not agree with.
#include <nlohmann/json.hpp>

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

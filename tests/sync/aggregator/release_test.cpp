// Batch agreement and release: the decoded sum is exact, below k nothing is released, and the
// helper refuses batches it does not agree with.
#include <cmath>
#include <nlohmann/json.hpp>

#include "cairn/base/clock.hpp"
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

namespace {
// One layer's sigma2 of the plan's first metric, and the sd of a released sum (both layers) in units.
double layer_sigma2(const wire::Plan& plan) { return static_cast<double>(plan.metrics[0].sigma2.to_long_double()); }
}  // namespace

TEST_CASE("release decodes the sum up to both noise layers; intervals use 2 sigma^2") {
  Pair p("rel_sum", 3, 5);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::int64_t y = 300 * static_cast<std::int64_t>(i + 1);
    total += y;
    REQUIRE(p.upload(p.report(i, y)).status == 201);
  }
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(r.ok());
  REQUIRE(r->values.size() == 1);
  CHECK(r->n == 5);
  CHECK(r->dropped == 0);
  const double var = 2 * layer_sigma2(p.plan);
  CHECK(r->values[0].noise_variance == doctest::Approx(var));
  CHECK(std::abs(r->values[0].noisy_sum - total / 60.0) < 6 * std::sqrt(var) / 60);
  CHECK(r->values[0].mean == doctest::Approx(r->values[0].noisy_sum / 5));
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
  CHECK(json["results"][0]["dropped"] == 0);
}

TEST_CASE("below k: nothing released, the period stays open, the helper refuses small batches") {
  Pair p("rel_below_k", 4, 5);
  REQUIRE(p.upload(p.report(0, 600)).status == 201);
  auto one = p.leader->release(p.plan.id, "2026-11");
  REQUIRE_FALSE(one.ok());
  CHECK(one.error().message.rfind("only 1 report for focus-1 2026-11, below the plan's minimum group size k = 4", 0) == 0);
  for (std::size_t i = 1; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  const auto d = p.digest();
  auto r = p.leader->release(p.plan.id, "2026-11");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(r.error().message.rfind("only 3 reports for focus-1 2026-11, below the plan's minimum group size k = 4", 0) == 0);
  CHECK(p.digest() == d);
  CHECK(p.leader->results(p.plan.id, std::nullopt).value().empty());
  // A leader that tried anyway: the helper says 403.
  std::vector<std::string> ids;  // the helper does not need real ids to refuse on size
  for (int i = 0; i < 3; ++i) ids.push_back(std::string(32, static_cast<char>('a' + i)));
  nlohmann::json body{{"plan", p.plan.id}, {"period", "2026-11"}, {"count", 3},
                      {"checksum", aggregator::batch_checksum(p.plan.id, "2026-11", ids)}, {"drop", nlohmann::json::array()}};
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
  for (std::size_t i = 0; i < 5; ++i) REQUIRE(p.upload(p.report(i, 600, "2026-11")).status == 201);
  for (std::size_t i = 0; i < 2; ++i) REQUIRE(p.upload(p.report(i, 600, "2026-12")).status == 201);
  const std::int64_t november_ends = days_from_civil(2026, 12, 1) * 86400, grace = 72 * 3600;

  auto early = p.leader->release_due(november_ends + grace - 1, grace);
  REQUIRE(early.ok());
  CHECK(early->empty());
  CHECK(p.leader->results(p.plan.id, std::string("2026-11")).value().empty());

  auto due = p.leader->release_due(november_ends + grace, grace);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);
  CHECK((*due)[0].period == "2026-11");
  CHECK((*due)[0].released);
  CHECK((*due)[0].message == "n = 5");
  CHECK(p.leader->results(p.plan.id, std::string("2026-11")).value().size() == 1);
  CHECK(p.upload(p.report(4, 600, "2026-11")).status == 410);  // closed now

  // December has only two reports (k = 3): due in January, refused, still open, tried again.
  const std::int64_t december_ends = days_from_civil(2027, 1, 1) * 86400;
  p.now->store(december_ends + 3600);
  auto later = p.leader->release_due(december_ends + grace, grace);
  REQUIRE(later.ok());
  REQUIRE(later->size() == 1);
  CHECK((*later)[0].period == "2026-12");
  CHECK_FALSE((*later)[0].released);
  CHECK((*later)[0].message.find("below the plan's minimum group size") != std::string::npos);
  REQUIRE(p.upload(p.report(2, 600, "2026-12")).status == 201);  // a late approval still counts
  auto last = p.leader->release_due(december_ends + grace + 60, grace);
  REQUIRE(last.ok());
  REQUIRE(last->size() == 1);
  CHECK((*last)[0].released);
  CHECK(p.helper->release_due(december_ends + grace, grace).error().code == Errc::usage);
}

TEST_CASE("noise at each aggregator: a release adds two layers of the variance the plan states") {
  Pair p("rel_noise", 3, 3);
  const double sigma2 = layer_sigma2(p.plan);
  REQUIRE(sigma2 > 0);
  // 40 monthly periods of three reports: what the release adds beyond the exact sum is the two
  // layers, variance 2 sigma2.
  const int periods = 40;
  std::vector<double> noise;
  for (int t = 0; t < periods; ++t) {
    const int year = 2027 + t / 12;
    const unsigned month = static_cast<unsigned>(t % 12 + 1);
    const std::string period = std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
    p.now->store(days_from_civil(year, month, 15) * 86400);
    std::int64_t exact = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      const std::int64_t y = 300 + 10 * static_cast<std::int64_t>(i);
      exact += y;
      REQUIRE(p.upload(p.report(i, y, period)).status == 201);
    }
    auto r = p.leader->release(p.plan.id, period);
    REQUIRE(r.ok());
    CHECK(r->values[0].noise_variance == doctest::Approx(2 * sigma2));
    noise.push_back(r->values[0].noisy_sum * p.plan.metrics[0].scale - static_cast<double>(exact));
  }
  // Sample variance against 2 sigma2: (n-1) s^2 / (2 sigma2) ~ chi2(39); [8, 100] holds with
  // probability above 1 - 4e-7, so one missing layer (half the variance: chi2 ~ 19.5 in mean,
  // caught only sometimes) or none fails; the mean check below catches a biased layer.
  double mean = 0, ss = 0;
  for (double x : noise) mean += x / periods;
  for (double x : noise) ss += (x - mean) * (x - mean);
  const double stat = ss / (2 * sigma2);
  INFO("sum of squares / (2 sigma2) = " << stat);
  CHECK(stat > 8);
  CHECK(stat < 100);
  CHECK(std::abs(mean) < 6 * std::sqrt(2 * sigma2 / periods));
}

TEST_CASE("the leader's plan list names the closed periods, so devices prepare and charge nothing for them") {
  Pair p("rel_closed_list", 3, 3);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600)).status == 201);
  auto list = [&] {
    aggregator::Request r;
    r.method = "GET";
    r.path = "/v1/plans";
    r.team = "platform";
    auto a = p.leader->handle(r);
    REQUIRE(a.status == 200);
    return nlohmann::json::parse(a.body);
  };
  CHECK(list()["closed"].empty());  // open: nothing closed yet
  REQUIRE(p.leader->release(p.plan.id, "2026-11").ok());
  auto j = list();
  REQUIRE(j["plans"].size() == 1);
  REQUIRE(j["closed"].size() == 1);
  CHECK(j["closed"][0]["plan"] == p.plan.id);
  CHECK(j["closed"][0]["period"] == "2026-11");
  // Another team's listing does not name this plan's periods.
  aggregator::Request other;
  other.method = "GET";
  other.path = "/v1/plans";
  other.team = "sales";
  CHECK(nlohmann::json::parse(p.leader->handle(other).body)["closed"].empty());
}

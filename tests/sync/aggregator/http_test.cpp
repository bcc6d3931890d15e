// The HTTP server: status codes survive the adapter, oversized bodies get 413 before the handler
// runs, and GET /v1/plans lists the team's signed plans.
#include <httplib.h>

#include <thread>

#include "cairn/aggregator/server.hpp"
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

TEST_CASE("the HTTP server maps handle() and enforces the body limit") {
  Pair p("http_basic");
  aggregator::Server server(*p.leader);
  auto port = server.bind("127.0.0.1", 0);
  REQUIRE(port.ok());
  std::thread t([&] { (void)server.run(); });
  httplib::Client c("127.0.0.1", *port);
  auto plans = c.Get("/v1/plans?team=platform");
  REQUIRE(plans);
  CHECK(plans->status == 200);
  CHECK(plans->body.find("focus-1") != std::string::npos);
  auto none = c.Get("/v1/plans?team=sales");
  REQUIRE(none);
  CHECK(none->body.find("focus-1") == std::string::npos);

  const auto d = p.digest();
  auto big = c.Post("/v1/reports", std::string(aggregator::kMaxBodyBytes + 10, 'x'), "application/octet-stream");
  REQUIRE(big);
  CHECK(big->status == 413);
  auto bad = c.Post("/v1/reports", "CRNENV01", "application/octet-stream");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(p.digest() == d);
  auto ok = c.Post("/v1/reports", Pair::bytes(p.report(0, 600)), "application/octet-stream");
  REQUIRE(ok);
  CHECK(ok->status == 201);
  auto nf = c.Post("/v1/nothing", "x", "text/plain");
  REQUIRE(nf);
  CHECK(nf->status == 404);
  server.stop();
  t.join();
}

// The HTTP server: status codes survive the adapter, oversized bodies get 413 before the handler
// runs, and GET /v1/plans lists the team's signed plans.
#include <httplib.h>

#include <thread>

#include "cairn/aggregator/server.hpp"
#include "fixture.hpp"
#include "tls_cert.hpp"

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

TEST_CASE("HTTPS: a client that trusts the CA gets answers; others fail; a bad key file is refused") {
  Pair p("https_basic");
  auto tls = test::make_tls_cert(test::fresh_dir("https_basic_cert"));
  aggregator::Server server(*p.leader, aggregator::TlsFiles{tls.cert, tls.key});
  auto port = server.bind("127.0.0.1", 0);
  REQUIRE(port.ok());
  std::thread t([&] { (void)server.run(); });
  const std::string url = "https://127.0.0.1:" + std::to_string(*port);

  httplib::Client trusting(url);
  trusting.set_ca_cert_path(tls.ca.c_str());
  auto info = trusting.Get("/v1/info");
  REQUIRE(info);
  CHECK(info->status == 200);
  auto ok = trusting.Post("/v1/reports", Pair::bytes(p.report(0, 600)), "application/octet-stream");
  REQUIRE(ok);
  CHECK(ok->status == 201);

  httplib::Client stranger(url);  // the system CAs do not know the test CA
  CHECK(!stranger.Get("/v1/info"));
  httplib::Client wrong_name("https://localhost:" + std::to_string(*port));  // names match: ok
  wrong_name.set_ca_cert_path(tls.ca.c_str());
  CHECK(wrong_name.Get("/v1/info"));
  httplib::Client plain("127.0.0.1", *port);  // plain HTTP to the TLS port
  auto pr = plain.Get("/v1/info");
  CHECK((!pr || pr->status != 200));
  server.stop();
  t.join();

  // A key that does not belong to the certificate: bind refuses with a clear message.
  auto other = test::make_tls_cert(test::fresh_dir("https_basic_other"));
  aggregator::Server bad(*p.leader, aggregator::TlsFiles{tls.cert, other.key});
  auto b = bad.bind("127.0.0.1", 0);
  REQUIRE(!b.ok());
  CHECK(b.error().code == Errc::usage);
  CHECK(b.error().message.find("TLS certificate") != std::string::npos);
  aggregator::Server missing(*p.leader, aggregator::TlsFiles{"/nonexistent/cert.pem", "/nonexistent/key.pem"});
  CHECK(!missing.bind("127.0.0.1", 0).ok());
}

TEST_CASE("HTTPS between leader and helper: the link verifies the helper against CAIRN_TLS_CA_FILE") {
  Pair p("https_link");
  auto tls = test::make_tls_cert(test::fresh_dir("https_link_cert"));
  aggregator::Server hs(*p.helper, aggregator::TlsFiles{tls.cert, tls.key});
  auto hport = hs.bind("127.0.0.1", 0);
  REQUIRE(hport.ok());
  std::thread t([&] { (void)hs.run(); });
  const std::string hurl = "https://127.0.0.1:" + std::to_string(*hport);
  // Without the CA the helper cannot be verified: the report is refused (502) and nothing stored.
  ::unsetenv("CAIRN_TLS_CA_FILE");
  REQUIRE(p.leader->configure(std::nullopt, hurl, std::nullopt).ok());
  const auto d = p.digest();
  auto refused = p.upload(p.report(0, 600));
  CHECK(refused.status == 502);
  CHECK(p.digest() == d);
  ::setenv("CAIRN_TLS_CA_FILE", tls.ca.c_str(), 1);
  REQUIRE(p.leader->configure(std::nullopt, hurl, std::nullopt).ok());  // a fresh link
  CHECK(p.upload(p.report(1, 600)).status == 201);
  ::unsetenv("CAIRN_TLS_CA_FILE");
  hs.stop();
  t.join();
}

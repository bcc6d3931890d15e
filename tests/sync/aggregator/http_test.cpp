// The HTTP server: status codes survive the adapter, oversized bodies get 413 before the handler
// runs, GET /v1/plans lists the team's signed plans, and the limits every client is held to
// (chunked bodies, head size, deadline, connections per address) hold.
#include <httplib.h>

#include <thread>

#include "cairn/aggregator/server.hpp"
#include "fixture.hpp"
#include "process.hpp"
#include "raw_client.hpp"
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

TEST_CASE("the server's limits: chunked bodies, huge heads, slow requests and too many connections") {
  Pair p("http_limits");
  aggregator::ServerLimits limits;
  limits.request_deadline = std::chrono::milliseconds(600);
  limits.max_per_address = 3;
  aggregator::Server server(*p.leader, std::nullopt, limits);
  auto port = server.bind("127.0.0.1", 0);
  REQUIRE(port.ok());
  std::thread t([&] { (void)server.run(); });
  const auto ask = [&](const std::string& raw) {
    const int fd = test::connect_loopback(*port);
    REQUIRE(fd >= 0);
    REQUIRE(test::send_all(fd, raw));
    auto reply = test::read_some(fd);
    ::close(fd);
    return reply;
  };
  const auto d = p.digest();
  CHECK(test::status_of(ask("POST /v1/reports HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")) == 411);
  CHECK(test::status_of(ask("POST /v1/reports HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n")) == 413);
  CHECK(test::status_of(ask("GET /v1/info HTTP/1.1\r\nX-Junk: " + std::string(20000, 'a') + "\r\n\r\n")) == 431);
  CHECK(test::status_of(ask("GET /v1/info HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")) == 400);
  CHECK(test::status_of(ask("DELETE /v1/info HTTP/1.1\r\n\r\n")) == 405);
  CHECK(test::status_of(ask("GET /v1/info HTTP/2.0\r\n\r\n")) == 505);
  CHECK(test::status_of(ask("GET /v1/info HTTP/1.1\r\n\r\n")) == 200);
  CHECK(p.digest() == d);

  // Two requests on one keep-alive connection, the second pipelined behind the first.
  {
    const int fd = test::connect_loopback(*port);
    REQUIRE(test::send_all(fd, "GET /v1/info HTTP/1.1\r\n\r\nGET /v1/plans?team=platform HTTP/1.1\r\nConnection: close\r\n\r\n"));
    std::string all, part;
    while (!(part = test::read_some(fd)).empty()) all += part;
    ::close(fd);
    CHECK(all.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(all.find("focus-1") != std::string::npos);
  }

  // A request that does not finish within the deadline: the connection is closed.
  {
    const int fd = test::connect_loopback(*port);
    REQUIRE(test::send_all(fd, "GET /v1/in"));
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(test::read_some(fd).empty());
    const auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited > std::chrono::milliseconds(300));
    CHECK(waited < std::chrono::milliseconds(3000));
    ::close(fd);
  }

  // Three idle connections from 127.0.0.1 fill its share; a fourth is turned away with 503 and
  // served again once one of them is gone.
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) idle.push_back(test::connect_loopback(*port));
  test::sleep_ms(100);
  CHECK(test::status_of(ask("GET /v1/info HTTP/1.1\r\n\r\n")) == 503);
  ::close(idle.back());
  idle.pop_back();
  test::sleep_ms(100);
  CHECK(test::status_of(ask("GET /v1/info HTTP/1.1\r\n\r\n")) == 200);
  for (int fd : idle) ::close(fd);
  server.stop();
  t.join();
}

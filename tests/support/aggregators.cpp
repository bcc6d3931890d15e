// See aggregators.hpp.
#include "aggregators.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <thread>

namespace cairn::test {

std::string app(const std::string& rel) {
  const char* d = std::getenv("CAIRN_BIN_DIR");
  return (std::filesystem::path(d ? d : CAIRN_BINARY_DIR "/apps") / rel).string();
}

std::string line_after(const std::string& text, const std::string& label) {
  auto p = text.find(label);
  if (p == std::string::npos) return {};
  p += label.size();
  auto e = text.find_first_of(" \n", p);
  return text.substr(p, e - p);
}

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string t; std::getline(in, t);)
    if (!t.empty()) out.push_back(t);
  return out;
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto x : bytes) s += std::string{d[x >> 4], d[x & 15]};
  return s;
}

std::int64_t time_in_one_week() {
  const auto t = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t day = t / 86400, monday_index = (day + 3) % 7;  // 1970-01-01 was a Thursday
  const std::int64_t next_week = (day - monday_index + 7) * 86400;
  if (next_week - t < 180) std::this_thread::sleep_for(std::chrono::seconds(next_week - t + 1));
  return static_cast<std::int64_t>(std::time(nullptr));
}

TlsCert trust_test_ca(const std::filesystem::path& root) {
  auto tls = make_tls_cert(root / "tls");
  ::setenv("CAIRN_TLS_CA_FILE", tls.ca.c_str(), 1);
  return tls;
}

Served serve_aggregator(const std::filesystem::path& root, const std::string& dir, const std::string& name,
                        const TlsCert& tls, const std::string& listen) {
  const auto port_file = root / (name + ".port");
  std::filesystem::remove(port_file);
  Served s;
  s.process = std::make_unique<Background>(
      std::vector<std::string>{app("cairn-aggregator/cairn-aggregator"), "serve", "--dir", dir, "--listen", listen, "--port-file",
                               port_file.string(), "--tls-cert", tls.cert.string(), "--tls-key", tls.key.string()},
      root / (name + "-log"));
  s.port = wait_port(port_file);
  REQUIRE_MESSAGE(s.port > 0, name << " never wrote its port");
  s.url = "https://127.0.0.1:" + std::to_string(s.port);
  return s;
}

namespace {

// Inits the leader and returns the helper's `init` output (which names its box key).
std::string init_both(Runner& run, const std::string& aggb, const std::string& leader, const std::string& helper) {
  auto li = run.run({aggb, "init", "--role", "leader", "--dir", leader, "--org", "Acme"});
  REQUIRE_MESSAGE(li.rc == 0, li.err);
  auto hi = run.run({aggb, "init", "--role", "helper", "--dir", helper, "--org-key", line_after(li.out, "org key: ")});
  REQUIRE_MESSAGE(hi.rc == 0, hi.err);
  return hi.out;
}

}  // namespace

Aggregators::Aggregators(Runner& run, const std::filesystem::path& root)
    : binary(app("cairn-aggregator/cairn-aggregator")),
      leader_dir((root / "leader").string()),
      helper_dir((root / "helper").string()),
      tls(trust_test_ca(root)),
      run_(run),
      root_(root) {
  REQUIRE_MESSAGE(std::filesystem::exists(binary), binary);
  const auto helper_init = init_both(run, binary, leader_dir, helper_dir);
  leader_ = serve_aggregator(root, leader_dir, "leader", tls);
  helper_ = serve_aggregator(root, helper_dir, "helper", tls);
  REQUIRE(run.run({binary, "configure", "--dir", leader_dir, "--url", leader_.url, "--helper-url", helper_.url, "--helper-key",
                   line_after(helper_init, "box key: ")})
              .rc == 0);
  REQUIRE(run.run({binary, "configure", "--dir", helper_dir, "--url", helper_.url}).rc == 0);
}

std::vector<std::string> Aggregators::tokens(const std::string& team, int count) {
  const auto hashes = (root_ / "hashes").string();
  auto tc = run_.run({binary, "token", "create", "--dir", leader_dir, "--team", team, "--count", std::to_string(count), "--hash-file", hashes});
  REQUIRE_MESSAGE(tc.rc == 0, tc.err);
  auto out = nonempty_lines(tc.out);
  REQUIRE(out.size() == static_cast<std::size_t>(count));
  REQUIRE(run_.run({binary, "token", "allow", "--dir", helper_dir, "--team", team, "--from", hashes}).rc == 0);
  return out;
}

void Aggregators::restart_leader() {
  const int port = leader_.port;
  leader_.process.reset();
  leader_ = serve_aggregator(root_, leader_dir, "leader", tls, "127.0.0.1:" + std::to_string(port));
  REQUIRE(leader_.port == port);
}

}  // namespace cairn::test

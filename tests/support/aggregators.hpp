// The organisation's side of the end-to-end tests, through the real `cairn-aggregator`: a leader
// and a helper serving HTTPS with a throwaway test CA on loopback, set up with the CLI as an
// organisation would (init, serve, configure, enrolment tokens), plus the small readers those
// tests share (the built programs' paths, "label: value" in a command's output, hex ids) and the
// wait that keeps a test's reports inside one ISO week.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runner.hpp"
#include "tls_cert.hpp"

namespace cairn::test {

// A built program: CAIRN_BIN_DIR (set by CTest) or CAIRN_BINARY_DIR/apps, then `rel`
// ("cairn/cairn", "cairn-aggregator/cairn-aggregator", "cairn-upload/cairn-upload").
std::string app(const std::string& rel);

// The word after `label` in `text` (up to a space or a newline); "" when label is absent.
std::string line_after(const std::string& text, const std::string& label);

// The non-empty lines of `text` (the tokens `token create` prints, one a line).
std::vector<std::string> nonempty_lines(const std::string& text);

// Lower-case hex of a report id as the aggregators store it.
std::string hex(const std::vector<std::uint8_t>& bytes);

// Reports are for the current ISO week (TZ=UTC): with under 3 minutes of it left, sleeps into the
// next so that a test's reports do not straddle Monday 00:00. Returns the time after.
std::int64_t time_in_one_week();

// Makes the test CA under root/tls and trusts it in this process and every process it starts
// (CAIRN_TLS_CA_FILE).
TlsCert trust_test_ca(const std::filesystem::path& root);

// One `cairn-aggregator serve --dir dir` on `listen` with the test certificate; its port file is
// root/<name>.port (removed first) and its log root/<name>-log.err. Fails the test when no port
// appears.
struct Served {
  std::unique_ptr<Background> process;
  int port = 0;
  std::string url;  // https://127.0.0.1:<port>
};
Served serve_aggregator(const std::filesystem::path& root, const std::string& dir, const std::string& name,
                        const TlsCert& tls, const std::string& listen = "127.0.0.1:0");

// A leader (org "Acme", root/leader) and a helper (root/helper) inited, serving and configured
// with each other's URL and the helper's box key.
class Aggregators {
 public:
  Aggregators(Runner& run, const std::filesystem::path& root);
  // `count` enrolment tokens for `team` made at the leader and allowed at the helper.
  std::vector<std::string> tokens(const std::string& team, int count);
  void stop_leader() { leader_.process.reset(); }
  void restart_leader();  // on the port it had
  const std::string& leader_url() const { return leader_.url; }
  const std::string& helper_url() const { return helper_.url; }
  int leader_port() const { return leader_.port; }

  const std::string binary, leader_dir, helper_dir;
  const TlsCert tls;

 private:
  Runner& run_;
  std::filesystem::path root_;
  Served leader_, helper_;
};

}  // namespace cairn::test

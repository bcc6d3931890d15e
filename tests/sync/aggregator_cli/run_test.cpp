// `cairn-aggregator` in-process: init and info, and the exit statuses of base's one map.
#include <doctest/doctest.h>

#include <sstream>

#include "cairn/aggregator_cli/aggregator_cli.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

struct Run {
  int rc;
  std::string out, err;
};
Run agg(std::vector<std::string> args) {
  args.insert(args.begin(), "cairn-aggregator");
  std::ostringstream out, err;
  const int rc = aggregator_cli::run(args, out, err);
  return {rc, out.str(), err.str()};
}

}  // namespace

TEST_CASE("init then info: the leader's keys are shown, never its state key") {
  const auto dir = (test::fresh_dir("agg_cli") / "leader").string();
  auto init = agg({"init", "--role", "leader", "--dir", dir, "--org", "Acme", "--url", "http://leader.test"});
  REQUIRE(init.rc == 0);
  CHECK(init.out.find("role: leader") != std::string::npos);
  CHECK(init.out.find("organization: Acme") != std::string::npos);
  auto info = agg({"info", "--dir", dir});
  CHECK(info.rc == 0);
  CHECK(info.out == init.out);
}

TEST_CASE("exit statuses: usage 2, not set up 5; messages on the error stream") {
  const auto dir = (test::fresh_dir("agg_cli_codes") / "none").string();
  CHECK(agg({"frobnicate"}).rc != 0);
  auto lead = agg({"init", "--role", "leader", "--dir", dir});
  CHECK(lead.rc == 2);
  CHECK(lead.err == "cairn-aggregator: the leader needs --org NAME\n");
  CHECK(agg({"info", "--dir", dir}).rc == 5);
  auto listen = agg({"serve", "--dir", dir, "--listen", "nowhere"});
  CHECK(listen.rc == 2);
  CHECK(listen.err.find("--listen is ADDR:PORT") != std::string::npos);
  auto v = agg({"--version"});
  CHECK(v.rc == 0);
  CHECK(v.out.find("cairn-aggregator ") == 0);
}

// `cairn-aggregator` in-process: init and info, the exit statuses of base's one map, the
// utility preview `plan create` prints, and `status` counting an open period's reports.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "cairn/aggregator_cli/aggregator_cli.hpp"
#include "fixture.hpp"
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

TEST_CASE("plan create --preview describes noise at each aggregator; k changes nothing; no v1 options") {
  const auto dir = (test::fresh_dir("agg_cli_preview") / "leader").string();
  REQUIRE(agg({"init", "--role", "leader", "--dir", dir, "--org", "Acme"}).rc == 0);
  const std::vector<std::string> plan = {"plan", "create", "--dir", dir, "--id", "focus-q", "--team", "platform",
                                         "--metric", "focus_hours", "--cadence", "quarter", "--epsilon", "2",
                                         "--purpose", "Do we protect focus time?", "--expected", "200", "--preview"};
  auto k10 = plan, k200 = plan;
  k10.insert(k10.end(), {"--k", "10"});
  k200.insert(k200.end(), {"--k", "200"});
  auto a = agg(k10);
  REQUIRE_MESSAGE(a.rc == 0, a.err);
  CHECK(a.out.find("at most 5 releases in any rolling year") != std::string::npos);
  CHECK(a.out.find("Each of the two aggregators adds its own discrete Gaussian noise") != std::string::npos);
  CHECK(a.out.find("as long as one of them follows the protocol") != std::string::npos);
  CHECK(a.out.find("k = 10 is the smallest group released; it does not change the noise") != std::string::npos);
  CHECK(a.out.find("focus_hours (hours per week") != std::string::npos);
  CHECK(a.out.find("device") == std::string::npos);  // nothing of version one's per-device noise
  CHECK(a.out.find("Signed plan") == std::string::npos);  // --preview stops before signing
  // The same plan with another k: the same intervals, only the k line differs.
  auto b = agg(k200);
  REQUIRE(b.rc == 0);
  const auto intervals = [](const std::string& s) { return s.substr(s.find("  focus_hours")); };
  CHECK(intervals(a.out) == intervals(b.out));
  // Version one's helper-noise ratio is gone: the option is refused, not ignored.
  auto old = k10;
  old.insert(old.end(), {"--helper-noise", "1"});
  auto refused = agg(old);
  CHECK(refused.rc != 0);
  CHECK(refused.err.find("--helper-noise") != std::string::npos);
  CHECK(refused.out.find("Utility preview") == std::string::npos);
}

TEST_CASE("plan create refuses a plan its own preview calls useless, in one line, and stores nothing") {
  const auto dir = (test::fresh_dir("agg_cli_useless") / "leader").string();
  REQUIRE(agg({"init", "--role", "leader", "--dir", dir, "--org", "Acme"}).rc == 0);
  auto r = agg({"plan", "create", "--dir", dir, "--id", "focus-w", "--team", "platform", "--metric", "focus_hours", "--cadence",
                "week", "--k", "10", "--purpose", "Focus hours every week"});
  CHECK(r.rc == 6);
  CHECK(r.out.find("too noisy to be useful") != std::string::npos);  // the preview, printed first
  CHECK(r.err.rfind("cairn-aggregator: not signing plan focus-w: its own preview calls focus_hours too noisy to be useful: ±", 0) == 0);
  CHECK(r.err.find("nothing was signed or stored") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.find("Signed plan") == std::string::npos);
  auto list = agg({"plan", "list", "--dir", dir});
  CHECK(list.rc == 0);
  CHECK(list.out == "No plans yet (cairn-aggregator plan create).\n");
  // --accept-useless goes on to signing (which here stops at the missing configuration, not the verdict).
  auto forced = agg({"plan", "create", "--dir", dir, "--id", "focus-w", "--team", "platform", "--metric", "focus_hours", "--cadence",
                     "week", "--k", "10", "--purpose", "Focus hours every week", "--accept-useless"});
  CHECK(forced.err.find("not signing") == std::string::npos);
  CHECK(forced.err.find("configure the leader") != std::string::npos);
  auto status = agg({"status", "--dir", dir});
  CHECK(status.rc == 0);
  CHECK(status.out == "Enrolled devices: none\nOpen periods (reports received, counts only): none\n");
}

TEST_CASE("CAIRN_AGGREGATOR_NOW is refused unless it is UTC seconds, and announced when used") {
  const auto dir = (test::fresh_dir("agg_cli_now") / "leader").string();
  REQUIRE(agg({"init", "--role", "leader", "--dir", dir, "--org", "Acme"}).rc == 0);
  ::setenv("CAIRN_AGGREGATOR_NOW", "tomorrow", 1);
  auto bad = agg({"status", "--dir", dir});
  CHECK(bad.rc == 2);
  CHECK(bad.err == "cairn-aggregator: CAIRN_AGGREGATOR_NOW must be UTC seconds since 1970\n");
  ::setenv("CAIRN_AGGREGATOR_NOW", "1796212800", 1);
  auto moved = agg({"status", "--dir", dir});
  CHECK(moved.rc == 0);
  CHECK(moved.err == "cairn-aggregator: warning: CAIRN_AGGREGATOR_NOW is set: this command acts as if it were 2026-12-02 12:00 UTC "
                     "(test suites only)\n");
  ::unsetenv("CAIRN_AGGREGATOR_NOW");
}

TEST_CASE("status counts an open period's reports in words: 1 report, then 2 reports") {
  test::Pair p("agg_cli_status", 3, 3);
  const auto dir = (std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "agg_cli_status" / "leader").string();
  ::setenv("CAIRN_AGGREGATOR_NOW", std::to_string(test::kTestNow).c_str(), 1);
  REQUIRE(p.upload(p.report(0, 600)).status == 201);
  auto one = agg({"status", "--dir", dir});
  REQUIRE_MESSAGE(one.rc == 0, one.err);
  CHECK_MESSAGE(one.out.find("  team platform: 3\n") != std::string::npos, one.out);
  CHECK_MESSAGE(one.out.find("  focus-1 2026-11: 1 report received, below k = 3; ended ") != std::string::npos, one.out);
  REQUIRE(p.upload(p.report(1, 600)).status == 201);
  auto two = agg({"status", "--dir", dir});
  REQUIRE_MESSAGE(two.rc == 0, two.err);
  CHECK_MESSAGE(two.out.find("  focus-1 2026-11: 2 reports received, below k = 3; ended ") != std::string::npos, two.out);
  ::unsetenv("CAIRN_AGGREGATOR_NOW");
}

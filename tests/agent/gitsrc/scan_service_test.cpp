// The scan services in process and through the real helper executables (cairn-scan for git,
// cairn-scan-calendar for .ics files): a request with a real repository and a real .ics file,
// per-source failures that leave the others alone, the sources a helper does not read answered
// as such, a bad request (exit 2), the child's limits (timeout, output size), and no title or
// message in the output.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "cairn/calendar/scan_service.hpp"
#include "cairn/gitsrc/scan_service.hpp"
#include "cairn/scan/child.hpp"
#include "cairn/scan/serve.hpp"
#include "repo_fixture.hpp"

using namespace cairn;
using namespace cairn::gitsrc;
using namespace cairn::scan;
using namespace cairn::test;

namespace {

const std::string kCalendar = std::string(CAIRN_SOURCE_DIR) + "/tests/agent/calendar/fixtures/recurring_berlin.ics";

std::filesystem::path scan_executable() {
  return std::filesystem::path(CAIRN_BINARY_DIR) / "apps" / "cairn-scan" / "cairn-scan";
}
std::filesystem::path calendar_scan_executable() {
  return std::filesystem::path(CAIRN_BINARY_DIR) / "apps" / "cairn-scan-calendar" / "cairn-scan-calendar";
}

ScanRequest request_for(const std::filesystem::path& repo) {
  ScanRequest r;
  r.emails = {"me@corp.example"};
  r.since = 1672531200;
  r.git = {{repo.string(), "app", ""}, {"/definitely/not/here", "gone", ""}};
  r.calendar = {{kCalendar}, {"/definitely/not/here.ics"}};
  r.from = 1709251200;
  r.to = 1714521600;
  r.uid_key_hex = std::string(64, '7');
  return r;
}

std::string make_repo(const GitRepo& repo) {
  repo.write("a.txt", "1\n2\n");
  repo.commit({"Me", "me@corp.example"}, "2024-04-01T10:00:00+0000", "Secret Message Marmot\n");
  repo.write("a.txt", "1\n2\n3\n");
  return repo.commit({"Me", "me@corp.example"}, "2024-04-02T10:00:00+0000",
                     "Second Secret Marmot\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
}

void write_script(const std::filesystem::path& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0700);
}

void check_no_secrets(const ScanResponse& r) {
  // Nothing of the titles, descriptions, names or commit messages is in the bytes that leave.
  const std::string wire = encode_response(r);
  for (const char* secret : {"Zebra", "Okapi", "Quokka", "Marmot", "alice", "corp.example", "Agenda"}) {
    CAPTURE(secret);
    CHECK(wire.find(secret) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("run_git_scan: each repository answers for itself; calendar entries are not read here") {
  TempDir tmp("scan-service");
  GitRepo repo(tmp.path() / "repo");
  const std::string tip = make_repo(repo);
  const ManualClock clock(1714521600, 3600);

  const ScanResponse r = run_git_scan(request_for(repo.dir()), clock);
  REQUIRE(r.git.size() == 2);
  REQUIRE_FALSE(r.git[0].error.has_value());
  CHECK(r.git[0].commits.size() == 2);
  CHECK(r.git[0].commits[0].id == tip);
  CHECK(r.git[0].commits[0].ai_tool == "Claude");
  REQUIRE(r.git[1].error.has_value());
  CHECK(r.git[1].error->code == Errc::not_found);
  REQUIRE(r.calendar.size() == 2);
  for (const auto& c : r.calendar) {
    REQUIRE(c.error.has_value());
    CHECK(c.error->code == Errc::usage);
    CHECK(c.error->message == "cairn-scan does not read this kind of source");
    CHECK(c.meetings.empty());
  }
  check_no_secrets(r);

  // Feeding the new state back returns nothing new.
  ScanRequest again = request_for(repo.dir());
  again.git = {{repo.dir().string(), "app", r.git[0].state}};
  again.calendar.clear();
  const ScanResponse second = run_git_scan(again, clock);
  REQUIRE(second.git.size() == 1);
  CHECK(second.git[0].commits.empty());
}

TEST_CASE("run_calendar_scan: each file answers for itself; git entries are not read here") {
  const ManualClock clock(1714521600, 3600);
  const ScanResponse r = calendar::run_calendar_scan(request_for("/definitely/not/a/repo"), clock);
  REQUIRE(r.calendar.size() == 2);
  REQUIRE_FALSE(r.calendar[0].error.has_value());
  CHECK(r.calendar[0].meetings.size() == 8);
  CHECK(r.calendar[0].meetings[0].utc_offset == 3600);
  REQUIRE(r.calendar[1].error.has_value());
  REQUIRE(r.git.size() == 2);
  for (const auto& g : r.git) {
    REQUIRE(g.error.has_value());
    CHECK(g.error->code == Errc::usage);
    CHECK(g.error->message == "cairn-scan-calendar does not read this kind of source");
    CHECK(g.commits.empty());
  }
  check_no_secrets(r);
}

TEST_CASE("run_git_scan: an unreadable assistants file fails the git sources") {
  TempDir tmp("scan-assistants");
  GitRepo repo(tmp.path() / "repo");
  make_repo(repo);
  ScanRequest r = request_for(repo.dir());
  r.assistants_file = (tmp.path() / "missing.txt").string();
  const ScanResponse out = run_git_scan(r, ManualClock(1714521600, 0));
  REQUIRE(out.git[0].error.has_value());
  CHECK(out.git[0].commits.empty());
}

TEST_CASE("serve: stdin to stdout, bad requests exit 2 with one line and no output") {
  TempDir tmp("scan-serve");
  GitRepo repo(tmp.path() / "repo");
  make_repo(repo);
  const ManualClock clock(1714521600, 0);
  auto run = [&](const std::string& input, std::string& out, std::string& err) {
    FILE* in = std::tmpfile();
    FILE* o = std::tmpfile();
    FILE* e = std::tmpfile();
    std::fwrite(input.data(), 1, input.size(), in);
    std::rewind(in);
    const int rc = serve(in, o, e, kGitHelperName, [&](const ScanRequest& r) { return run_git_scan(r, clock); });
    auto slurp = [](FILE* f) {
      std::rewind(f);
      std::string s;
      char buf[4096];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
      std::fclose(f);
      return s;
    };
    std::fclose(in);
    out = slurp(o);
    err = slurp(e);
    return rc;
  };
  std::string out, err;
  CHECK(run(encode_request(request_for(repo.dir())), out, err) == 0);
  auto parsed = parse_response(out);
  REQUIRE(parsed.ok());
  CHECK(parsed->git[0].commits.size() == 2);
  CHECK(err.empty());

  CHECK(run("{\"version\":1}", out, err) == kScanBadRequestExit);
  CHECK(out.empty());
  CHECK(err == "cairn-scan: scan request: nothing to scan (no \"git\" and no \"calendar\" entries)\n");
}

TEST_CASE("run_scan_child: the real executables, end to end") {
  REQUIRE(std::filesystem::exists(scan_executable()));
  REQUIRE(std::filesystem::exists(calendar_scan_executable()));
  TempDir tmp("scan-child");
  GitRepo repo(tmp.path() / "repo");
  const std::string tip = make_repo(repo);
  auto r = run_scan_child(scan_executable(), request_for(repo.dir()));
  REQUIRE(r.ok());
  REQUIRE(r->git.size() == 2);
  CHECK(r->git[0].commits.size() == 2);
  CHECK(r->git[0].commits[0].id == tip);
  REQUIRE(r->calendar.size() == 2);
  CHECK(r->calendar[0].error.has_value());

  auto c = run_scan_child(calendar_scan_executable(), request_for(repo.dir()));
  REQUIRE(c.ok());
  REQUIRE(c->calendar.size() == 2);
  CHECK(c->calendar[0].meetings.size() == 8);
  REQUIRE(c->git.size() == 2);
  CHECK(c->git[0].error.has_value());

  ScanRequest bad;  // nothing to scan: each child refuses with exit 2
  for (const auto& exe : {scan_executable(), calendar_scan_executable()}) {
    auto refused = run_scan_child(exe, bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::usage);
    CHECK(refused.error().message.find("nothing to scan") != std::string::npos);
  }
}

TEST_CASE("run_child_exchange: missing helper, timeout, oversized output, crash, big echo") {
  TempDir tmp("scan-exchange");
  ChildLimits limits;
  limits.timeout = std::chrono::milliseconds(3000);

  auto missing = run_child_exchange(tmp.path() / "nope", "x", limits);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::not_found);

  write_script(tmp.path() / "sleepy", "exec sleep 30");
  limits.timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  auto slow = run_child_exchange(tmp.path() / "sleepy", "x", limits);
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.error().message.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));

  limits.timeout = std::chrono::milliseconds(10000);
  limits.max_output_bytes = 1 << 20;
  write_script(tmp.path() / "flood", "exec head -c 50000000 /dev/zero");
  auto flood = run_child_exchange(tmp.path() / "flood", "", limits);
  REQUIRE_FALSE(flood.ok());
  CHECK(flood.error().code == Errc::too_large);

  write_script(tmp.path() / "crash", "echo 'it broke' >&2; exit 3");
  auto crash = run_child_exchange(tmp.path() / "crash", "x", limits);
  REQUIRE_FALSE(crash.ok());
  CHECK(crash.error().code == Errc::io);
  CHECK(crash.error().message == "scan helper failed (exit 3): it broke");

  // The child dies without reading its stdin: the caller gets an error, not a SIGPIPE.
  write_script(tmp.path() / "deaf", "exit 0");
  auto deaf = run_child_exchange(tmp.path() / "deaf", std::string(4 << 20, 'q'), limits);
  CHECK(deaf.ok());

  // Input and output larger than a pipe buffer at the same time: no deadlock.
  write_script(tmp.path() / "echo", "exec cat");
  limits.max_output_bytes = 16 << 20;
  const std::string big(5 << 20, 'e');
  auto echoed = run_child_exchange(tmp.path() / "echo", big, limits);
  REQUIRE(echoed.ok());
  CHECK(*echoed == big);
}

// The cairn-scan protocol: requests and responses round-trip, and every malformed request is
// refused with one line (never a partial request).
#include <doctest/doctest.h>

#include "cairn/scan/protocol.hpp"

using namespace cairn;
using namespace cairn::scan;

namespace {

ScanRequest sample_request() {
  ScanRequest r;
  r.emails = {"me@corp.example"};
  r.keep_messages = true;
  r.assistants_file = "/home/me/.config/cairn/assistants.txt";
  r.since = 1700000000;
  r.git = {{"/src/app", "app", "cairn-git-state 1\n"}};
  r.calendar = {{"/cal/work.ics"}};
  r.from = 1700000000;
  r.to = 1702592000;
  r.uid_key_hex = std::string(64, 'a');
  return r;
}

}  // namespace

TEST_CASE("requests round-trip") {
  const ScanRequest r = sample_request();
  auto back = parse_request(encode_request(r));
  REQUIRE(back.ok());
  CHECK(back->emails == r.emails);
  CHECK(back->keep_messages);
  CHECK(back->assistants_file == r.assistants_file);
  CHECK(back->since == r.since);
  REQUIRE(back->git.size() == 1);
  CHECK(back->git[0].path == "/src/app");
  CHECK(back->git[0].label == "app");
  CHECK(back->git[0].state == r.git[0].state);
  REQUIRE(back->calendar.size() == 1);
  CHECK(back->calendar[0].path == "/cal/work.ics");
  CHECK(back->from == r.from);
  CHECK(back->to == r.to);
  CHECK(back->uid_key_hex == r.uid_key_hex);
}

TEST_CASE("responses round-trip, errors included") {
  ScanResponse r;
  GitRepoResponse ok;
  ok.label = "app";
  ok.state = "cairn-git-state 1\n";
  ok.visited = 3;
  records::CommitRecord c;
  c.repo = "app";
  c.id = std::string(40, 'b');
  c.time = 1700000100;
  c.utc_offset = -18000;
  c.lines_added = 10;
  c.lines_removed = 2;
  c.files_changed = 1;
  c.ai_assisted = true;
  c.ai_tool = "Claude";
  c.message = "Fix \xff bytes";  // invalid UTF-8 must not break encoding
  ok.commits.push_back(c);
  r.git.push_back(ok);
  GitRepoResponse failed;
  failed.label = "gone";
  failed.error = SourceError{Errc::not_found, "not a git repository: /x"};
  r.git.push_back(failed);
  CalendarFileResponse cal;
  cal.path = "/cal/work.ics";
  cal.skipped = 1;
  cal.meetings.push_back({std::string(64, 'c'), 1700000000, 1700001800, 3600, 2, true, true});
  r.calendar.push_back(cal);

  auto back = parse_response(encode_response(r));
  REQUIRE(back.ok());
  REQUIRE(back->git.size() == 2);
  CHECK_FALSE(back->git[0].error.has_value());
  CHECK(back->git[0].visited == 3);
  REQUIRE(back->git[0].commits.size() == 1);
  const auto& bc = back->git[0].commits[0];
  CHECK(bc.id == c.id);
  CHECK(bc.utc_offset == -18000);
  CHECK(bc.lines_added == 10);
  CHECK(bc.ai_tool == "Claude");
  REQUIRE(bc.message.has_value());
  CHECK(bc.message->find("Fix") == 0);
  REQUIRE(back->git[1].error.has_value());
  CHECK(back->git[1].error->code == Errc::not_found);
  CHECK(back->git[1].error->message == "not a git repository: /x");
  REQUIRE(back->calendar.size() == 1);
  CHECK(back->calendar[0].skipped == 1);
  REQUIRE(back->calendar[0].meetings.size() == 1);
  CHECK(back->calendar[0].meetings[0].one_on_one);
  CHECK(back->calendar[0].meetings[0].end == 1700001800);
}

TEST_CASE("malformed requests are refused with one line") {
  auto refused = [](const std::string& json, const std::string& words) {
    auto r = parse_request(json);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::usage);
    CAPTURE(r.error().message);
    CHECK(r.error().message.find(words) != std::string::npos);
    CHECK(r.error().message.find('\n') == std::string::npos);
  };
  refused("", "not valid JSON");
  refused("{", "not valid JSON");
  refused("[]", "must be a JSON object");
  refused(R"({"git":[]})", "missing \"version\"");
  refused(R"({"version":2,"git":[]})", "unsupported protocol version 2");
  refused(R"({"version":1})", "nothing to scan");
  refused(R"({"version":1,"git":[{"path":"/x","label":"x"}]})", "\"emails\" is required");
  refused(R"({"version":1,"emails":"me","git":[{"path":"/x","label":"x"}]})", "\"emails\" must be an array");
  refused(R"({"version":1,"emails":[1],"git":[{"path":"/x","label":"x"}]})", "must hold strings");
  refused(R"({"version":1,"emails":["a"],"git":[{"path":"/x"}]})", "missing \"label\"");
  refused(R"({"version":1,"emails":["a"],"git":[{"path":"","label":"x"}]})", "empty \"path\"");
  refused(R"({"version":1,"emails":["a"],"git":[{"path":"/x","label":"x","state":7}]})", "\"state\" must be a string");
  refused(R"({"version":1,"calendar":[{"path":"/c.ics"}],"from":10,"to":20})", "missing \"uid_key_hex\"");
  refused(R"({"version":1,"calendar":[{"path":"/c.ics"}],"from":10,"to":20,"uid_key_hex":"abc"})", "64 hex");
  refused(R"({"version":1,"calendar":[{"path":"/c.ics"}],"from":20,"to":10,"uid_key_hex":")" + std::string(64, 'a') +
              "\"}",
          "\"to\" must be after");
  refused(R"({"version":1,"calendar":[{"path":"/c.ics"}],"from":"x","to":10})", "\"from\" must be an integer");
  auto big = parse_request(std::string(kMaxRequestBytes + 1, ' '));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Errc::too_large);
}

TEST_CASE("malformed responses are refused as corrupt") {
  CHECK(parse_response("nope").error().code == Errc::corrupt);
  CHECK(parse_response(R"({"version":1})").error().code == Errc::corrupt);
  CHECK(parse_response(R"({"version":1,"git":[{"label":"x","ok":true}],"calendar":[]})").error().code == Errc::corrupt);
  CHECK(parse_response(R"({"version":1,"git":[],"calendar":[]})").ok());
}

TEST_CASE("error codes survive by name") {
  for (Errc e : {Errc::usage, Errc::corrupt, Errc::io, Errc::not_found, Errc::too_large, Errc::internal})
    CHECK(errc_from_name(errc_name(e)) == e);
  CHECK(errc_from_name("no-such-code") == Errc::internal);
}

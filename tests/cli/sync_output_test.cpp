// `cairn enroll` and `cairn share sync` against a scripted aggregator over real HTTP: whatever the
// organisation puts in the token, the plan or an error reply reaches the terminal without an ESC
// byte or a bidi override (base/text.hpp, safe_outside_text).
#include <doctest/doctest.h>

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "cairn/wire/plan.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

const std::string kEvil = "\x1b[1A\x1b[2K\x1b]0;pwned\x07\u202Eevil\u2066\xC2\x9B" "31m";

bool holds_terminal_control(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  for (const char* bidi : {"\u202E", "\u2066", "\xC2\x9B"})
    if (s.find(bidi) != std::string::npos) return true;
  return false;
}

// One server playing leader and helper: enrollment succeeds, /v1/plans answers `plans_reply`.
struct Aggregator {
  Aggregator() {
    server.Post("/v1/enroll", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    server.Get("/v1/plans", [this](const httplib::Request&, httplib::Response& res) {
      res.status = plans_status;
      res.set_content(plans_reply, "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Aggregator() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  httplib::Server server;
  std::string plans_reply;  // set by the test between requests
  int plans_status = 200;
  int port = 0;
  std::thread thread;
};

struct Org {
  crypto::SignKeyPair key = crypto::sign_keypair();
  wire::Endpoint leader, helper;
  std::string token() const {
    wire::EnrollToken t;
    t.org = "Acme" + kEvil;
    t.team = "platform" + kEvil;
    t.org_key = key.public_key;
    t.leader = leader;
    t.helper = helper;
    crypto::random_bytes(t.secret);
    return wire::encode_token(t);
  }
  std::string plan() const {
    wire::Plan p;
    p.id = "team-health";
    p.org = "Acme" + kEvil;
    p.team = "platform" + kEvil;
    p.purpose = "Team health" + kEvil;
    p.cadence = "week";
    p.k = 10;
    p.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
    p.metrics.push_back({"focus_hours", 1, 60, dp::Rational{12345, 7}});
    p.leader = leader;
    p.helper = helper;
    p.created = 1700000000;
    return wire::sign_plan(p, key).text;
  }
};

}  // namespace

TEST_CASE("enroll and share sync show the organisation's text without terminal controls, errors included") {
  REQUIRE(crypto::init().ok());
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  auto home = test::fresh_dir("cli-sync-output/home").string();
  auto run = [&](std::deque<std::string> in, std::vector<std::string> args, std::string& out, std::string& err) {
    test::FakeIo io(std::move(in));
    args.insert(args.begin(), {"--home", home});
    int rc = test::run_cairn(io, args);
    out = io.out_text();
    err = io.err_text();
    return rc;
  };
  std::string out, err;
  REQUIRE(run({"pw"}, {"init", "--weak-passphrase-ok"}, out, err) == cli::kOk);

  Aggregator agg;
  Org org;
  org.leader = {agg.url(), crypto::box_keypair().public_key};
  org.helper = {agg.url(), crypto::box_keypair().public_key};
  nlohmann::json list = {{"plans", nlohmann::json::array({org.plan()})}};
  agg.plans_reply = list.dump();

  REQUIRE(run({org.token(), "pw"}, {"enroll", "--yes"}, out, err) == cli::kOk);
  CHECK(out.find("Organization: Acme\\x1B[1A") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(out));
  CHECK_FALSE(holds_terminal_control(err));

  run({"pw"}, {"share", "sync"}, out, err);
  CHECK(out.find("new plan team-health: Team health\\x1B[1A") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(out));
  CHECK_FALSE(holds_terminal_control(err));

  // The leader answers an error whose message carries escapes: shown escaped too.
  agg.plans_reply = nlohmann::json{{"error", "go away" + kEvil}}.dump();
  agg.plans_status = 500;
  run({"pw"}, {"share", "sync"}, out, err);
  CHECK((out + err).find("go away") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(out));
  CHECK_FALSE(holds_terminal_control(err));
}

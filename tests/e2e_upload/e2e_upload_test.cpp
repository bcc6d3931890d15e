// Sending without a terminal, end to end on loopback: a leader and a helper (`cairn-aggregator
// serve` over HTTPS with a test CA) as processes, devices driven through the real `cairn`, and the
// real `cairn-upload` — the keyless program the systemd user timer starts — run once by hand:
//   - joining prepares nothing for a period before the plan was joined;
//   - approve -> the envelope waits in the 0700 spool (0600 file) and the ledger is charged;
//   - the leader stopped: cairn-upload leaves it waiting, `cairn status` says so with the error;
//   - the leader back: cairn-upload sends it, both aggregators hold it (read from their state
//     databases), the status says sent and the next unlock records it as uploaded;
//   - a declined report: the ledger is unchanged and cairn-upload sends nothing for it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <ctime>
#include <memory>
#include <regex>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "proc.hpp"
#include "state_reader.hpp"
#include "tls_cert.hpp"

using namespace cairn;

namespace {

std::filesystem::path bin(const char* rel) {
  const char* d = std::getenv("CAIRN_BIN_DIR");
  return std::filesystem::path(d ? d : CAIRN_BINARY_DIR "/apps") / rel;
}

std::string line_after(const std::string& text, const std::string& label) {
  auto p = text.find(label);
  if (p == std::string::npos) return {};
  p += label.size();
  auto e = text.find_first_of(" \n", p);
  return text.substr(p, e - p);
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string hex(const std::vector<std::uint8_t>& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

}  // namespace

TEST_CASE("approve, and the keyless cairn-upload sends it: waiting while the leader is down, then held by both") {
  REQUIRE(crypto::init().ok());
  const auto cairn = bin("cairn/cairn").string();
  const auto aggb = bin("cairn-aggregator/cairn-aggregator").string();
  const auto upload = bin("cairn-upload/cairn-upload").string();
  for (const auto& b : {cairn, aggb, upload}) REQUIRE_MESSAGE(std::filesystem::exists(b), b);
  const auto root = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "e2e_upload";
  std::filesystem::remove_all(root);
  e2e::Runner run(root / "scratch");
  const auto L = (root / "leader").string(), H = (root / "helper").string();

  // --- the two aggregators (as in e2e_share_test) ------------------------------------------------
  auto li = run.run({aggb, "init", "--role", "leader", "--dir", L, "--org", "Acme"});
  REQUIRE_MESSAGE(li.rc == 0, li.err);
  auto hi = run.run({aggb, "init", "--role", "helper", "--dir", H, "--org-key", line_after(li.out, "org key: ")});
  REQUIRE_MESSAGE(hi.rc == 0, hi.err);
  const auto tls = test::make_tls_cert(root / "tls");
  ::setenv("CAIRN_TLS_CA_FILE", tls.ca.c_str(), 1);  // inherited by every process below, cairn-upload too
  auto serve = [&](const std::string& dir, const std::string& listen, const std::string& name) {
    std::filesystem::remove(root / (name + ".port"));
    return std::make_unique<e2e::Background>(
        std::vector<std::string>{aggb, "serve", "--dir", dir, "--listen", listen, "--port-file", (root / (name + ".port")).string(),
                                 "--tls-cert", tls.cert.string(), "--tls-key", tls.key.string()},
        root / (name + "-log"));
  };
  auto leader = serve(L, "127.0.0.1:0", "leader");
  auto helper = serve(H, "127.0.0.1:0", "helper");
  const int lp = e2e::wait_port(root / "leader.port"), hp = e2e::wait_port(root / "helper.port");
  REQUIRE(lp > 0);
  REQUIRE(hp > 0);
  const auto lurl = "https://127.0.0.1:" + std::to_string(lp), hurl = "https://127.0.0.1:" + std::to_string(hp);
  REQUIRE(run.run({aggb, "configure", "--dir", L, "--url", lurl, "--helper-url", hurl, "--helper-key", line_after(hi.out, "box key: ")}).rc == 0);
  REQUIRE(run.run({aggb, "configure", "--dir", H, "--url", hurl}).rc == 0);
  const auto hashes = (root / "hashes").string();
  auto tc = run.run({aggb, "token", "create", "--dir", L, "--team", "platform", "--count", "2", "--hash-file", hashes});
  REQUIRE_MESSAGE(tc.rc == 0, tc.err);
  std::vector<std::string> tokens;
  {
    std::istringstream in(tc.out);
    for (std::string t; std::getline(in, t);)
      if (!t.empty()) tokens.push_back(t);
  }
  REQUIRE(tokens.size() == 2);
  REQUIRE(run.run({aggb, "token", "allow", "--dir", H, "--team", "platform", "--from", hashes}).rc == 0);
  auto pc = run.run({aggb, "plan", "create", "--dir", L, "--id", "contrib-w", "--team", "platform", "--metric",
                     "contributions_by_kind", "--metric", "ai_assisted_share", "--cadence", "week", "--k", "10",
                     "--epsilon", "1", "--per-release", "--accept-useless", "--expected", "15", "--purpose", "How the team's contributions split by kind"});
  REQUIRE_MESSAGE(pc.rc == 0, pc.err);
  REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-w"}).rc == 0);

  // Reports for the current ISO week (TZ=UTC); with under 3 minutes of it left, start in the next.
  {
    const auto t = static_cast<std::int64_t>(std::time(nullptr));
    const std::int64_t day = t / 86400, monday_index = (day + 3) % 7;
    const std::int64_t next_week = (day - monday_index + 7) * 86400;
    if (next_week - t < 180) std::this_thread::sleep_for(std::chrono::seconds(next_week - t + 1));
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto period = iso_week_string(local_day(now, 0));
  const auto last_week = iso_week_string(local_day(now - 7 * 86400, 0));

  auto device = [&](int i) {
    const auto home = (root / ("device" + std::to_string(i))).string();
    const std::string pass = "passphrase-" + std::to_string(i) + "\n";
    return std::pair{home, pass};
  };
  auto c = [&](int i, std::vector<std::string> args) {
    auto [home, pass] = device(i);
    args.insert(args.begin(), {cairn, "--home", home});
    return run.run(args, pass);
  };
  auto prepare_one = [&](int i) {
    auto [home, pass] = device(i);
    REQUIRE(c(i, {"init"}).rc == 0);
    REQUIRE(c(i, {"log", "shipped the importer", "--kind", "impact"}).rc == 0);
    auto en = run.run({cairn, "--home", home, "enroll", "--yes"}, tokens[static_cast<std::size_t>(i)] + "\n" + pass);
    REQUIRE_MESSAGE(en.rc == 0, en.err);
    auto s1 = c(i, {"share", "sync"});
    REQUIRE_MESSAGE(s1.rc == 0, s1.err);
    REQUIRE(c(i, {"share", "join", "contrib-w"}).rc == 0);
    // Nothing for a period before joining: by itself (last week ended before) or asked for.
    auto s2 = c(i, {"share", "sync"});
    REQUIRE_MESSAGE(s2.rc == 0, (s2.err + s2.out));
    CHECK(s2.out.find("Reports: 0 prepared") != std::string::npos);
    auto s3 = c(i, {"share", "sync", "--period", last_week});
    CHECK(s3.out.find("Reports: 0 prepared") != std::string::npos);
    CHECK(s3.out.find("ended before you joined the plan; no report") != std::string::npos);
    // The current week, asked for explicitly (the period the plan was joined in).
    auto s4 = c(i, {"share", "sync", "--period", period});
    REQUIRE_MESSAGE(s4.rc == 0, (s4.err + s4.out));
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(s4.out, m, std::regex("report ([0-9a-f]{32}) for contrib-w ")), s4.out);
    auto budget = c(i, {"privacy", "budget"});
    CHECK(budget.out.find("0 in the ledger") != std::string::npos);  // prepared, not charged
    return std::string(m[1]);
  };

  // --- device 0 approves --------------------------------------------------------------------------
  const auto id = prepare_one(0);
  const auto home0 = std::filesystem::path(device(0).first);
  auto ap = c(0, {"share", "approve", id});
  REQUIRE_MESSAGE(ap.rc == 0, ap.err);
  CHECK(ap.out.find("Cost: ε ") != std::string::npos);
  CHECK(c(0, {"privacy", "budget"}).out.find("1 in the ledger") != std::string::npos);
  const auto spool = home0 / "outbox";
  REQUIRE(std::filesystem::exists(spool / (id + ".env")));
  CHECK(mode_of(spool) == 0700);
  CHECK(mode_of(spool / (id + ".env")) == 0600);
  CHECK(e2e::slurp(spool / "destination.json").find(lurl) != std::string::npos);
  // Nothing in the spool but what the leader receives anyway: no record value in clear.
  CHECK(e2e::slurp(spool / (id + ".env")).find("shipped the importer") == std::string::npos);

  // The leader is down: cairn-upload keeps it, and says why.
  leader.reset();
  auto u1 = run.run({upload, "--home", home0.string()});
  REQUIRE_MESSAGE(u1.rc == 0, u1.err);
  CHECK(u1.out.find("0 sent, 1 waiting") != std::string::npos);
  CHECK(std::filesystem::exists(spool / (id + ".env")));
  auto st1 = c(0, {"status"});
  REQUIRE(st1.rc == 0);
  CHECK_MESSAGE(st1.out.find("Sharing: 1 report waiting to send, last try ") != std::string::npos, st1.out);
  CHECK_MESSAGE(st1.out.find("leader unreachable") != std::string::npos, st1.out);

  // The leader is back on the same address: the next run sends it; both aggregators hold it.
  leader = serve(L, "127.0.0.1:" + std::to_string(lp), "leader");
  REQUIRE(e2e::wait_port(root / "leader.port") == lp);
  auto u2 = run.run({upload, "--home", home0.string()});
  REQUIRE_MESSAGE(u2.rc == 0, u2.err);
  CHECK_MESSAGE(u2.out.find("1 sent, 0 waiting, 0 refused") != std::string::npos, u2.out);
  CHECK_FALSE(std::filesystem::exists(spool / (id + ".env")));
  std::string err;
  auto lrep = e2e::read_reports(L, err);
  REQUIRE_MESSAGE(err.empty(), err);
  auto hrep = e2e::read_reports(H, err);
  REQUIRE_MESSAGE(err.empty(), err);
  REQUIRE(lrep.size() == 1);
  REQUIRE(hrep.size() == 1);
  CHECK(hex(lrep[0].report_id) == id);
  CHECK(hex(hrep[0].report_id) == id);
  CHECK(lrep[0].period == period);
  auto st2 = c(0, {"status"});
  CHECK_MESSAGE(st2.out.find("Sharing: Nothing waiting to send; last report sent ") != std::string::npos, st2.out);
  // The next unlock records it as uploaded; a sync sends nothing more.
  auto list = c(0, {"share", "list"});
  CHECK_MESSAGE(list.out.find("[uploaded]") != std::string::npos, list.out);
  CHECK(list.out.find("for this report (charged); ε ") != std::string::npos);
  auto again = c(0, {"share", "sync"});
  CHECK(again.out.find("0 uploaded") != std::string::npos);
  CHECK(e2e::read_reports(L, err).size() == 1);

  // --- device 1 declines: nothing charged, nothing sent --------------------------------------------
  const auto id1 = prepare_one(1);
  auto de = c(1, {"share", "decline", id1});
  REQUIRE_MESSAGE(de.rc == 0, de.err);
  CHECK(de.out.find("Nothing was charged.") != std::string::npos);
  CHECK(c(1, {"privacy", "budget"}).out.find("0 in the ledger") != std::string::npos);
  auto show = c(1, {"share", "show", id1});
  CHECK_MESSAGE(show.out.find("Cost: nothing for this report (declined: nothing left this device)") != std::string::npos, show.out);
  auto u3 = run.run({upload, "--home", device(1).first});
  REQUIRE(u3.rc == 0);
  CHECK(e2e::read_reports(L, err).size() == 1);
  CHECK(e2e::read_reports(H, err).size() == 1);
}

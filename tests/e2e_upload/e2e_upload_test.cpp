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

#include <regex>

#include "aggregators.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "state_reader.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("approve, and the keyless cairn-upload sends it: waiting while the leader is down, then held by both") {
  REQUIRE(crypto::init().ok());
  const auto cairn = test::app("cairn/cairn");
  const auto upload = test::app("cairn-upload/cairn-upload");
  for (const auto& b : {cairn, upload}) REQUIRE_MESSAGE(std::filesystem::exists(b), b);
  const auto root = test::fresh_dir("e2e_upload");
  test::Runner run(root / "scratch");

  // --- the two aggregators (as in e2e_share_test) ------------------------------------------------
  test::Aggregators orgs(run, root);  // its TLS CA trusted by every process below, cairn-upload too
  const auto& aggb = orgs.binary;
  const auto& L = orgs.leader_dir;
  const auto& H = orgs.helper_dir;
  const auto& lurl = orgs.leader_url();
  const auto tokens = orgs.tokens("platform", 2);
  auto pc = run.run({aggb, "plan", "create", "--dir", L, "--id", "contrib-w", "--team", "platform", "--metric",
                     "contributions_by_kind", "--metric", "ai_assisted_share", "--cadence", "week", "--k", "10",
                     "--epsilon", "1", "--per-release", "--accept-useless", "--expected", "15", "--purpose", "How the team's contributions split by kind"});
  REQUIRE_MESSAGE(pc.rc == 0, pc.err);
  REQUIRE(run.run({aggb, "plan", "publish", "--dir", L, "--plan", "contrib-w"}).rc == 0);

  // Reports for the current ISO week (TZ=UTC); with under 3 minutes of it left, start in the next.
  const auto now = test::time_in_one_week();
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
  CHECK(test::slurp(spool / "destination.json").find(lurl) != std::string::npos);
  // Nothing in the spool but what the leader receives anyway: no record value in clear.
  CHECK(test::slurp(spool / (id + ".env")).find("shipped the importer") == std::string::npos);

  // The leader is down: cairn-upload keeps it, and says why.
  orgs.stop_leader();
  auto u1 = run.run({upload, "--home", home0.string()});
  REQUIRE_MESSAGE(u1.rc == 0, u1.err);
  CHECK(u1.out.find("0 sent, 1 waiting") != std::string::npos);
  CHECK(std::filesystem::exists(spool / (id + ".env")));
  auto st1 = c(0, {"status"});
  REQUIRE(st1.rc == 0);
  CHECK_MESSAGE(st1.out.find("Sharing: 1 report waiting to send, last try ") != std::string::npos, st1.out);
  CHECK_MESSAGE(st1.out.find("leader unreachable") != std::string::npos, st1.out);

  // The leader is back on the same address: the next run sends it; both aggregators hold it.
  orgs.restart_leader();
  auto u2 = run.run({upload, "--home", home0.string()});
  REQUIRE_MESSAGE(u2.rc == 0, u2.err);
  CHECK_MESSAGE(u2.out.find("1 sent, 0 waiting, 0 refused") != std::string::npos, u2.out);
  CHECK_FALSE(std::filesystem::exists(spool / (id + ".env")));
  auto lrep = test::stored_reports(L);
  auto hrep = test::stored_reports(H);
  REQUIRE(lrep.size() == 1);
  REQUIRE(hrep.size() == 1);
  CHECK(test::hex(lrep[0].report_id) == id);
  CHECK(test::hex(hrep[0].report_id) == id);
  CHECK(lrep[0].period == period);
  auto st2 = c(0, {"status"});
  CHECK_MESSAGE(st2.out.find("Sharing: Nothing waiting to send; last report sent ") != std::string::npos, st2.out);
  // The next unlock records it as uploaded; a sync sends nothing more.
  auto list = c(0, {"share", "list"});
  CHECK_MESSAGE(list.out.find("[uploaded]") != std::string::npos, list.out);
  CHECK(list.out.find("for this report (charged); ε ") != std::string::npos);
  auto again = c(0, {"share", "sync"});
  CHECK(again.out.find("0 uploaded") != std::string::npos);
  CHECK(test::stored_reports(L).size() == 1);

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
  CHECK(test::stored_reports(L).size() == 1);
  CHECK(test::stored_reports(H).size() == 1);
}

// The keyless uploader over a real spool folder and a scripted leader: envelopes go in ledger
// order and count as sent only when the leader's answer says both aggregators hold them; offline,
// 503 or one side holding keeps every envelope waiting (nothing lost) and the status says why;
// a final refusal moves the envelope aside with its reason; an envelope that does not parse or
// names another report never leaves. The status line reads the way the panel and CLI show it.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "../wire/wire_fixture.hpp"
#include "cairn/base/files.hpp"
#include "cairn/uploader/spool.hpp"
#include "cairn/uploader/status.hpp"
#include "cairn/uploader/upload.hpp"
#include "cairn/wire/answers.hpp"
#include "temp_dir.hpp"

using namespace cairn;
namespace stdfs = std::filesystem;

namespace {

// A leader that answers uploads as told and keeps what it received, in order.
class ScriptedLeader final : public wire::Transport {
 public:
  bool offline = false;
  int status = 201;
  bool helper_holds = true;
  std::string error_text = "period 2026-W47 of plan team-a-2026 is closed";
  std::vector<std::uint64_t> received;  // ledger lengths, in arrival order
  std::vector<std::string> urls;

  Result<wire::HttpReply> get(const std::string&, const std::string&) override { return wire::HttpReply{404, "{}"}; }
  Result<wire::HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                                const std::string&) override {
    if (offline) return make_error(Errc::network, "cannot reach " + base);
    urls.push_back(base + path);
    auto env = wire::parse_envelope(crypto::as_bytes(body));
    REQUIRE(env.ok());
    received.push_back(env->ledger.length);
    if (status != 200 && status != 201) return wire::HttpReply{status, nlohmann::json{{"error", error_text}}.dump()};
    wire::UploadAnswer a{"stored", wire::report_id_hex(env->ctx.report_id), true, helper_holds};
    return wire::HttpReply{status, wire::encode_upload_answer(a)};
  }
};

struct Spool {
  bool ready = crypto::init().ok();
  stdfs::path dir;
  crypto::SignKeyPair device = crypto::sign_keypair();
  crypto::BoxKeyPair leader = crypto::box_keypair(), helper = crypto::box_keypair();
  ManualClock clock{20'775LL * 86400 + 10 * 3600 + 2 * 60, 0};  // 2026-11-18 10:02 UTC (a Wednesday)
  ScriptedLeader transport;

  explicit Spool(const std::string& name) {
    REQUIRE(ready);
    dir = test::fresh_dir(name) / "outbox";
  }
  // A real sealed, signed envelope carrying ledger length `len`; returns its id.
  std::string add(std::uint64_t len) {
    auto plan = test::sample_plan(leader.public_key, helper.public_key);
    auto scheme = wire::prio3_for(plan).value();
    wire::ReportContext ctx{plan.id, "2026-W47", wire::new_report_id(), device.public_key};
    std::vector<std::int64_t> v(scheme.lo.begin(), scheme.lo.end());
    auto shares = wire::shard(scheme, ctx, wire::encode_measurement(scheme, v)).value();
    dp::ChainHead head;
    head.length = len;
    auto env = wire::make_envelope(ctx, head, shares, {leader.public_key, helper.public_key}, device);
    const auto id = wire::report_id_hex(ctx.report_id);
    REQUIRE(uploader::spool_envelope(dir, id, wire::encode(env)).ok());
    return id;
  }
  uploader::RunSummary run() {
    auto r = uploader::upload_spool(dir, transport, clock, {2, 1});
    REQUIRE(r.ok());
    return *r;
  }
  uploader::UploadStatus status() { return uploader::read_status(dir).value(); }
};

}  // namespace

TEST_CASE("the spool is private and its envelopes are written whole, one file per report") {
  Spool s("uploader/private");
  const auto id = s.add(1);
  struct stat st {};
  REQUIRE(::stat(s.dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((s.dir / (id + ".env")).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(uploader::waiting_ids(s.dir).value() == std::vector<std::string>{id});
  CHECK_FALSE(uploader::spool_envelope(s.dir, "../escape", crypto::as_bytes(std::string("x"))).ok());
  CHECK(uploader::read_destination(s.dir).value() == std::nullopt);
  REQUIRE(uploader::write_destination(s.dir, {"https://leader.example"}).ok());
  CHECK(uploader::read_destination(s.dir).value()->leader_url == "https://leader.example");
}

TEST_CASE("a run sends in ledger order; sent only when both aggregators hold each report") {
  Spool s("uploader/order");
  REQUIRE(uploader::write_destination(s.dir, {"https://leader.example"}).ok());
  const auto third = s.add(3), first = s.add(1), second = s.add(2);
  auto r = s.run();
  CHECK(r.sent == 3);
  CHECK(r.waiting == 0);
  CHECK(s.transport.received == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(s.transport.urls.at(0) == "https://leader.example/v1/reports");
  CHECK(uploader::waiting_ids(s.dir).value().empty());
  auto sent = uploader::sent_receipts(s.dir).value();
  REQUIRE(sent.size() == 3);
  auto st = s.status();
  CHECK(st.waiting == 0);
  CHECK(st.sent == 3);
  CHECK(st.sent_total == 3);
  CHECK(st.last_sent == s.clock.now());
  CHECK(st.last_error.empty());
  CHECK(uploader::status_line(st, s.clock) == "Nothing waiting to send; last report sent 10:02");
  // The store took note: receipts are forgotten, and a second run sends nothing.
  for (const auto& rc : sent) REQUIRE(uploader::forget_receipt(s.dir, rc.report_id).ok());
  CHECK(s.status().sent == 0);
  CHECK(s.run().sent == 0);
  CHECK(s.transport.received.size() == 3);
}

TEST_CASE("offline: everything stays waiting with the error, nothing is lost, the next run sends") {
  Spool s("uploader/offline");
  REQUIRE(uploader::write_destination(s.dir, {"https://leader.example"}).ok());
  const auto a = s.add(1), b = s.add(2);
  s.transport.offline = true;
  auto r = s.run();
  CHECK(r.sent == 0);
  CHECK(r.waiting == 2);
  auto st = s.status();
  CHECK(st.waiting == 2);
  CHECK(st.last_try == s.clock.now());
  CHECK(st.last_error == "leader unreachable: cannot reach https://leader.example");
  CHECK(uploader::status_line(st, s.clock) ==
        "2 reports waiting to send, last try 10:02: leader unreachable: cannot reach https://leader.example");
  // A day later, from another day: the date is shown.
  s.clock.advance(86400);
  CHECK(uploader::status_line(s.status(), s.clock).find("last try 2026-11-18 10:02") != std::string::npos);
  s.transport.offline = false;
  r = s.run();
  CHECK(r.sent == 2);
  CHECK(s.status().last_error.empty());
  CHECK(s.status().waiting == 0);
}

TEST_CASE("a 503 or a report only the leader holds stays waiting, and the later ones wait behind it") {
  Spool s("uploader/transient");
  REQUIRE(uploader::write_destination(s.dir, {"https://leader.example"}).ok());
  s.add(1);
  s.add(2);
  s.transport.helper_holds = false;
  auto r = s.run();
  CHECK(r.sent == 0);
  CHECK(r.waiting == 2);
  CHECK(s.transport.received == std::vector<std::uint64_t>{1});  // an answer, not an error: no retry now; the second waits
  CHECK(s.status().last_error == "the leader holds it but not yet the helper");
  s.transport.helper_holds = true;
  s.transport.status = 503;
  s.transport.error_text = "busy";
  CHECK(s.run().waiting == 2);
  CHECK(s.status().last_error == "HTTP 503: busy");
  s.transport.status = 200;  // "already held" by both on the retry
  CHECK(s.run().sent == 2);
}

TEST_CASE("a final refusal moves the envelope aside with its reason; an unreadable one never leaves") {
  Spool s("uploader/refused");
  REQUIRE(uploader::write_destination(s.dir, {"https://leader.example"}).ok());
  const auto id = s.add(1);
  // An envelope whose file name is not the report it carries, and one that is not an envelope.
  const auto other = s.add(2);
  stdfs::rename(s.dir / (other + ".env"), s.dir / "0123456789abcdef0123456789abcdef.env");
  REQUIRE(fs::write_file_atomic(s.dir / "fedcba9876543210fedcba9876543210.env", std::string("not an envelope")).ok());
  s.transport.status = 410;
  auto r = s.run();
  CHECK(r.refused == 3);
  CHECK(s.transport.received == std::vector<std::uint64_t>{1});  // only the real one was posted, once
  auto refused = uploader::refused_receipts(s.dir).value();
  REQUIRE(refused.size() == 3);
  for (const auto& rc : refused) {
    if (rc.report_id == id) CHECK(rc.reason == "HTTP 410: period 2026-W47 of plan team-a-2026 is closed");
    else CHECK(rc.reason.rfind("not sent: ", 0) == 0);
  }
  CHECK(s.status().refused == 3);
  CHECK(s.status().waiting == 0);
}

TEST_CASE("no destination yet: waiting, with a reason the person can act on") {
  Spool s("uploader/no_destination");
  s.add(1);
  auto r = s.run();
  CHECK(r.waiting == 1);
  CHECK(s.transport.received.empty());
  CHECK(s.status().last_error.find("no leader address") != std::string::npos);
}

TEST_CASE("status lines: never tried, nothing ever approved, and outside text made safe") {
  ManualClock clock{20'775LL * 86400};
  uploader::UploadStatus st;
  CHECK(uploader::status_line(st, clock).empty());
  st.waiting = 1;
  CHECK(uploader::status_line(st, clock) == "1 report waiting to send (not tried yet)");
  CHECK(uploader::one_line_error("bad\x1b[2Jthing\nsecond line").find('\x1b') == std::string::npos);
  CHECK(uploader::one_line_error("bad\nline").find('\n') == std::string::npos);
  CHECK(uploader::one_line_error(std::string(1000, 'x')).size() <= uploader::kMaxErrorChars + 3);
}

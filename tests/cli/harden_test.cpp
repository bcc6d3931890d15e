// Hardening through the whole CLI on real SQLCipher files: one forged record never locks the
// employee out (every command still opens the record; `verify` names the problem and `verify
// --repair` fixes it), and no text from the organisation reaches the terminal raw.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cairn/base/files.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/store/store.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using test::FakeIo;
using test::run_cairn;

namespace {
const std::int64_t kNow = static_cast<std::int64_t>(std::time(nullptr));
const std::int64_t kT = kNow / 86400 * 86400 - 2 * 86400;

struct Home {
  explicit Home(const char* name) : dir(test::fresh_dir(std::string("cli-harden/") + name)) {
    ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
    REQUIRE(sh({"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  }
  int sh(std::deque<std::string> input, std::vector<std::string> a, std::string* out = nullptr, std::string* err = nullptr) {
    FakeIo io(std::move(input));
    a.insert(a.begin(), {"--home", dir.string()});
    int rc = run_cairn(io, a);
    if (out) *out = io.out_text();
    if (err) *err = io.err_text();
    return rc;
  }
  Paths paths() const { return resolve_paths(dir.string()); }
  // Opens the real store with the real key, as the CLI does, for the test to write into it.
  template <class Fn>
  void with_store(Fn fn) {
    auto keys = crypto::vault_unlock(paths().vault(), crypto::SecretBytes::from(std::string_view("pw")));
    REQUIRE(keys.ok());
    auto s = store::Store::open(paths().store(), keys->store_key(), store::Store::Mode::open_existing);
    REQUIRE(s.ok());
    fn(*s, *keys);
  }
  std::filesystem::path dir;
};

// Bytes no terminal should receive from outside text: ESC, CSI, BEL, and the bidi overrides.
bool holds_terminal_control(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  for (const char* bidi : {"\u202E", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200F", "\u061C", "\xC2\x9B"})
    if (s.find(bidi) != std::string::npos) return true;
  return false;
}

// Valid UTF-8 (a signed plan is JSON); invalid UTF-8 is covered by tests/base/text_test.cpp.
const std::string kEvil = "Team health\x1b[1A\x1b[2K\x1b]0;pwned\x07 \u202Eevil\u202C\xC2\x9B" "31m end";
}  // namespace

TEST_CASE("a store already holding forged rows opens for every command; verify says how to repair; repair fixes it") {
  Home h("forged-rows");
  REQUIRE(h.sh({"pw"}, {"consent", "grant", "self"}) == cli::kOk);
  h.with_store([](store::Store& s, crypto::UnlockedKeys&) {
    // The state a forged batch left on main: the rows, and their days marked dirty.
    std::vector<records::ActivitySpan> spans = {{0, 4'000'000'000, 0, false, "x", "development", std::nullopt}};
    std::vector<records::MeetingRecord> meetings = {
        {"m", -9'000'000'000'000'000'000, 9'000'000'000'000'000'000, 0, 2, false, false}};
    REQUIRE(s.import_batch("forged", [&](store::Store& st) -> Status {
                CAIRN_TRY(st.add_spans(spans));
                return st.add_meetings(meetings);
              }).ok());
    REQUIRE(s.setting("rollups.dirty").value().has_value());
  });
  std::string out, err;
  CHECK(h.sh({}, {"status"}) == cli::kOk);
  CHECK(h.sh({"pw"}, {"export", "--format", "json"}, &out, &err) == cli::kOk);
  CHECK(out.find("\"activity_spans\"") != std::string::npos);
  CHECK(h.sh({"pw"}, {"log", "Fixed the flaky deploy for the web team"}) == cli::kOk);
  CHECK(h.sh({"pw"}, {"privacy", "budget"}) == cli::kOk);
  CHECK(h.sh({"pw"}, {"import"}) == cli::kOk);
  CHECK(h.sh({"pw"}, {"verify"}, &out, &err) == cli::kCorrupt);
  CHECK(err.find("2 implausible records") != std::string::npos);
  CHECK(err.find("`cairn verify --repair` removes them") != std::string::npos);
  CHECK(h.sh({"pw"}, {"verify", "--repair"}, &out, &err) == cli::kOk);
  CHECK(out.find("Repaired: removed 2 implausible records") != std::string::npos);
  CHECK(h.sh({"pw"}, {"verify"}, &out, &err) == cli::kOk);
  CHECK(err.empty());
  h.with_store([](store::Store& s, crypto::UnlockedKeys&) {
    CHECK(s.counts()->spans == 0);
    CHECK(s.counts()->contributions == 1);  // the repair removed only the forged rows
    CHECK(s.consent_log()->back().action == "repair");
  });
}

TEST_CASE("a forged batch is set aside at unlock with a one-line warning; the command still runs") {
  Home h("forged-batch");
  h.with_store([&](store::Store&, crypto::UnlockedKeys& keys) {
    inbox::Batch b;
    b.id = inbox::new_batch_id();
    b.created = kT;
    b.spans.push_back({0, 4'000'000'000, 0, false, "x", "development", std::nullopt});
    std::filesystem::create_directories(h.paths().inbox());
    REQUIRE(fs::write_file_atomic(h.paths().inbox() / (b.id + ".batch"),
                                  inbox::seal_batch(b, keys.inbox_keys().public_key)).ok());
  });
  std::string out, err;
  CHECK(h.sh({"pw"}, {"export", "--format", "json"}, &out, &err) == cli::kOk);
  CHECK(err.find("set aside in inbox/rejected: inbox batch is implausible: an activity span") != std::string::npos);
  CHECK(inbox::pending_batches(h.paths().inbox()).empty());
  CHECK(inbox::pending_batches(h.paths().inbox() / "rejected").size() == 1);
  CHECK(h.sh({"pw"}, {"verify"}) == cli::kOk);
}

TEST_CASE("share list and show write no escape byte or bidi override from a plan's text") {
  Home h("escapes");
  h.with_store([](store::Store& s, crypto::UnlockedKeys&) {
    wire::Plan p;
    p.id = "team-a-2026";
    p.org = "Acme" + kEvil;
    p.team = "platform" + kEvil;
    p.purpose = kEvil;
    p.cadence = "week";
    p.k = 10;
    p.budget = {0.5, 1e-6, dp::BudgetScope::per_release};
    p.metrics.push_back({"focus_hours", 1, 60, dp::Rational{12345, 7}});
    p.leader = {"http://127.0.0.1:1", crypto::box_keypair().public_key};
    p.helper = {"http://127.0.0.1:2", crypto::box_keypair().public_key};
    p.created = kT;
    auto signed_plan = wire::sign_plan(p, crypto::sign_keypair());
    REQUIRE(wire::parse_signed_plan(signed_plan.text).ok());
    REQUIRE(s.put_plan({p.id, "offered", signed_plan.text, kT}).ok());
    store::SharedReport r;
    r.report_id = "r1";
    r.plan_id = p.id;
    r.period = "2026-W47";
    r.state = "pending";
    r.created = kT;
    nlohmann::json detail = {{"purpose", kEvil},
                             {"values", nlohmann::json::array({{{"metric", "focus" + kEvil}, {"coordinate", kEvil},
                                                                 {"unit", kEvil}, {"value", 1.0}}})}};
    r.detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    REQUIRE(s.put_shared_report(r).ok());
  });
  std::string out, err;
  REQUIRE(h.sh({"pw"}, {"share", "list"}, &out, &err) == cli::kOk);
  CHECK(out.find("Team health\\x1B[1A\\x1B[2K") != std::string::npos);  // shown, visibly escaped
  CHECK(out.find("\\u{202E}evil") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(out));
  CHECK_FALSE(holds_terminal_control(err));
  REQUIRE(h.sh({"pw"}, {"share", "show", "r1"}, &out, &err) == cli::kOk);
  CHECK(out.find("Purpose: Team health") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(out));
  CHECK_FALSE(holds_terminal_control(err));
  // An error message that carries outside text (here an unknown report id given back).
  CHECK(h.sh({"pw"}, {"share", "show", "x" + kEvil}, &out, &err) != cli::kOk);
  CHECK(err.find("no report") != std::string::npos);
  CHECK_FALSE(holds_terminal_control(err));
}

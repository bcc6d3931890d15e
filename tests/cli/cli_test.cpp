// The CLI contract: commands, exit codes, and "a failure changes nothing on disk".
#include <doctest/doctest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cairn/base/files.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using test::FakeIo;
using test::run_cairn;

namespace {
struct Home {
  explicit Home(const char* name) : dir(test::fresh_dir(std::string("cli/") + name)) {
    ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  }
  std::vector<std::string> args(std::vector<std::string> a) const {
    a.insert(a.begin(), {"--home", dir.string()});
    return a;
  }
  std::filesystem::path dir;
};
int sh(const Home& h, std::deque<std::string> input, std::vector<std::string> args, std::string* out = nullptr,
          std::string* err = nullptr) {
  FakeIo io(std::move(input));
  int rc = run_cairn(io, h.args(std::move(args)));
  if (out) *out = io.out_text();
  if (err) *err = io.err_text();
  return rc;
}
std::string snapshot(const std::filesystem::path& dir) {
  std::string s;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) s += e.path().string() + ":" + fs::read_text_file(e.path(), 1 << 24).value() + "\n";
  return s;
}
}  // namespace

TEST_CASE("init prints a recovery code once; a second init is refused and changes nothing") {
  Home h("init");
  std::string out;
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}, &out) == cli::kOk);
  CHECK(out.find("recovery code") != std::string::npos);
  auto before = snapshot(h.dir);
  std::string err;
  CHECK(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}, nullptr, &err) == cli::kFailure);
  CHECK(err.find("already set up") != std::string::npos);
  CHECK(snapshot(h.dir) == before);
}

TEST_CASE("exit codes: usage, not set up, wrong passphrase") {
  Home h("codes");
  CHECK(sh(h, {}, {"frobnicate"}) == cli::kUsage);
  CHECK(sh(h, {"pw"}, {"log", "x", "--kind", "bogus"}) == cli::kUsage);
  CHECK(sh(h, {"pw"}, {"export", "--format", "json"}) == cli::kNotSetUp);
  CHECK(sh(h, {}, {"status"}) == cli::kNotSetUp);
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  auto before = snapshot(h.dir);
  std::string err;
  CHECK(sh(h, {"wrong"}, {"log", "something"}, nullptr, &err) == cli::kWrongSecret);
  CHECK(err == "cairn: wrong passphrase or recovery code\n");
  CHECK(snapshot(h.dir) == before);
  CHECK(sh(h, {}, {"log", "something"}) == cli::kUsage);  // no passphrase at all
  CHECK(sh(h, {""}, {"init", "--weak-passphrase-ok"}) == cli::kFailure);          // already set up wins over empty input
  std::string out;
  CHECK(sh(h, {}, {"--version"}, &out) == cli::kOk);
  CHECK(out.rfind("cairn ", 0) == 0);
  CHECK(sh(h, {}, {"--help"}, &out) == cli::kOk);
  CHECK(out.find("Exit status") != std::string::npos);
}

TEST_CASE("log, then export shows exactly what was logged") {
  Home h("log");
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  REQUIRE(sh(h, {"pw"}, {"log", "Cut build time for the mobile team", "--kind", "system", "--skill", "ci",
                             "--skill", "caching", "--link", "https://example.org/pr/7", "--ai-assisted"}) == cli::kOk);
  std::string out;
  REQUIRE(sh(h, {"pw"}, {"export", "--format", "json"}, &out) == cli::kOk);
  auto doc = nlohmann::json::parse(out);
  REQUIRE(doc["contributions"].size() == 1);
  auto c = doc["contributions"][0];
  CHECK(c["text"] == "Cut build time for the mobile team");
  CHECK(c["kind"] == "system");
  CHECK(c["skills"] == nlohmann::json::array({"ci", "caching"}));
  CHECK(c["ai_assisted"] == true);
}

TEST_CASE("passwd rewraps; the recovery code sets a new passphrase") {
  Home h("passwd");
  std::string out;
  REQUIRE(sh(h, {"old"}, {"init", "--weak-passphrase-ok"}, &out) == cli::kOk);
  auto at = out.find("    ") + 4;
  std::string code = out.substr(at, out.find('\n', at) - at);
  REQUIRE(sh(h, {"old"}, {"log", "before"}) == cli::kOk);
  auto store_before = fs::read_file(h.dir / "store.db", 1 << 24).value();
  REQUIRE(sh(h, {"old", "new"}, {"passwd", "--weak-passphrase-ok"}) == cli::kOk);
  CHECK(fs::read_file(h.dir / "store.db", 1 << 24).value() == store_before);  // never re-encrypted
  CHECK(sh(h, {"old"}, {"export", "--format", "json"}) == cli::kWrongSecret);
  CHECK(sh(h, {"new"}, {"export", "--format", "json"}) == cli::kOk);
  CHECK(sh(h, {"not-the-code", "x"}, {"passwd", "--recovery", "--weak-passphrase-ok"}) == cli::kWrongSecret);
  REQUIRE(sh(h, {code, "newer"}, {"passwd", "--recovery", "--weak-passphrase-ok"}) == cli::kOk);
  REQUIRE(sh(h, {"newer"}, {"export", "--format", "json"}, &out) == cli::kOk);
  CHECK(out.find("before") != std::string::npos);
}

TEST_CASE("wipe asks, --yes does not, and nothing remains") {
  Home h("wipe");
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  CHECK(sh(h, {"no"}, {"wipe"}) == cli::kUsage);
  CHECK(std::filesystem::exists(h.dir / "vault"));
  REQUIRE(sh(h, {"wipe"}, {"wipe"}) == cli::kOk);
  CHECK_FALSE(std::filesystem::exists(h.dir / "vault"));
  CHECK_FALSE(std::filesystem::exists(h.dir / "store.db"));
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  REQUIRE(sh(h, {}, {"wipe", "--yes"}) == cli::kOk);
  CHECK(sh(h, {}, {"wipe", "--yes"}) == cli::kNotSetUp);
}

TEST_CASE("consent: off by default, grant needs settings, revoke needs no passphrase") {
  Home h("consent");
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  std::string out;
  REQUIRE(sh(h, {}, {"consent", "list"}, &out) == cli::kOk);
  CHECK(out.find("activity — Desktop activity (X11): off") != std::string::npos);
  CHECK(sh(h, {}, {"consent", "grant", "git"}) == cli::kUsage);
  CHECK(sh(h, {}, {"consent", "grant", "telepathy"}) == cli::kUsage);
  CHECK(sh(h, {}, {"consent", "grant", "activity-titles"}) == cli::kRefused);
  REQUIRE(sh(h, {}, {"consent", "grant", "git", "--repo", "/tmp/r=work", "--email", "me@example.org"}) == cli::kOk);
  REQUIRE(sh(h, {}, {"consent", "grant", "activity"}) == cli::kOk);
  REQUIRE(sh(h, {}, {"consent", "revoke", "activity", "--delete-data"}) == cli::kOk);
  REQUIRE(sh(h, {"pw"}, {"export", "--format", "json"}, &out) == cli::kOk);
  auto doc = nlohmann::json::parse(out);
  REQUIRE(doc["consent_log"].size() == 4);
  CHECK(doc["consent_log"][0]["source"] == "git");
  CHECK(doc["consent_log"][3]["action"] == "delete-data");
  // Turning "self" off refuses `cairn log` and changes nothing.
  REQUIRE(sh(h, {}, {"consent", "revoke", "self"}) == cli::kOk);
  CHECK(sh(h, {"pw"}, {"log", "not now"}) == cli::kRefused);
  REQUIRE(sh(h, {}, {"consent", "grant", "self"}) == cli::kOk);
  // Imported once only.
  REQUIRE(sh(h, {"pw"}, {"export", "--format", "json"}, &out) == cli::kOk);
  CHECK(nlohmann::json::parse(out)["consent_log"].size() == 6);  // + revoke and grant of self
}

// The one passphrase rule in the CLI: `init` and `passwd` refuse what the panel's meter calls weak
// (with one line naming why and nothing changed on disk) unless --weak-passphrase-ok.
#include <doctest/doctest.h>

#include "cli_home.hpp"

using namespace cairn;
using test::CliHome;

TEST_CASE("init refuses a and password with the reason, creates nothing, and accepts them with the flag") {
  for (const char* weak : {"a", "password"}) {
    CliHome h(std::string("init-") + weak);
    CHECK(h.sh({weak}, {"init"}) == cli::kUsage);
    CHECK(h.err.rfind("cairn: the passphrase is too weak (very weak: ", 0) == 0);
    CHECK(h.err.find("--weak-passphrase-ok") != std::string::npos);
    CHECK(h.err.find("nothing was created") != std::string::npos);
    CHECK(std::count(h.err.begin(), h.err.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(h.dir / "vault"));
    CHECK(h.sh({weak}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
    CHECK(std::filesystem::exists(h.dir / "vault"));
    CHECK(h.sh({weak}, {"log", "it opens with the weak passphrase"}) == cli::kOk);
  }
  CliHome h("init-reason");
  CHECK(h.sh({"password"}, {"init"}) == cli::kUsage);
  CHECK(h.err.find("it is or contains a very common password") != std::string::npos);
}

TEST_CASE("init accepts a strong passphrase without the flag") {
  CliHome h("init-strong");
  REQUIRE(h.sh({"maple orbit velvet canyon lantern"}, {"init"}) == cli::kOk);
  CHECK(h.sh({"maple orbit velvet canyon lantern"}, {"log", "opened"}) == cli::kOk);
}

TEST_CASE("passwd refuses a weak new passphrase and keeps the old one; the flag allows it") {
  CliHome h("passwd");
  const std::string old = "maple orbit velvet canyon lantern";
  REQUIRE(h.sh({old}, {"init"}) == cli::kOk);
  CHECK(h.sh({old, "password"}, {"passwd"}) == cli::kUsage);
  CHECK(h.err.find("too weak") != std::string::npos);
  CHECK(h.err.find("nothing was changed") != std::string::npos);
  CHECK(h.sh({old}, {"log", "the old passphrase still opens it"}) == cli::kOk);
  CHECK(h.sh({old, "a"}, {"passwd", "--weak-passphrase-ok"}) == cli::kOk);
  CHECK(h.sh({"a"}, {"log", "the new one does"}) == cli::kOk);
  CHECK(h.sh({"a", "quiet harbour pencil marble orbit"}, {"passwd"}) == cli::kOk);
}

TEST_CASE("--help of init and passwd documents --weak-passphrase-ok") {
  CliHome h("help");
  REQUIRE(h.sh({}, {"init", "--help"}) == cli::kOk);
  CHECK(h.out.find("--weak-passphrase-ok") != std::string::npos);
  REQUIRE(h.sh({}, {"passwd", "--help"}) == cli::kOk);
  CHECK(h.out.find("--weak-passphrase-ok") != std::string::npos);
}

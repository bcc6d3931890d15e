// One flipped byte in any page of the store, or anywhere in the vault, ends in the documented
// error (exit 4, "corrupt") or, for a page the command never reads, in exactly the right
// answer: never a crash and never a silently wrong record.
#include <doctest/doctest.h>

#include <cstdlib>

#include "cairn/base/files.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {
int run(const std::filesystem::path& home, std::deque<std::string> in, std::vector<std::string> args, std::string* out = nullptr) {
  test::FakeIo io(std::move(in));
  args.insert(args.begin(), {"--home", home.string()});
  int rc = test::run_cairn(io, args);
  if (out) *out = io.out_text();
  return rc;
}
}  // namespace

TEST_CASE("a flipped byte in each page of the store") {
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  auto home = test::fresh_dir("cli/tamper-store");
  REQUIRE(run(home, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  for (int i = 0; i < 60; ++i)
    REQUIRE(run(home, {"pw"}, {"log", "contribution number " + std::to_string(i) + std::string(300, 'x'), "--skill",
                               "s" + std::to_string(i % 7)}) == cli::kOk);
  std::string good_export;
  REQUIRE(run(home, {"pw"}, {"export", "--format", "json"}, &good_export) == cli::kOk);
  auto store = home / "store.db";
  REQUIRE_FALSE(std::filesystem::exists(home / "store.db-wal"));  // checkpointed on close
  auto original = fs::read_file(store, 1 << 26).value();
  REQUIRE(original.size() % 4096 == 0);
  const std::size_t pages = original.size() / 4096;
  REQUIRE(pages >= 8);
  std::size_t corrupt = 0, untouched = 0;
  for (std::size_t page = 0; page < pages; ++page) {
    auto bad = original;
    // SQLCipher 3 reserves 48 bytes at the end of each page: IV (16), HMAC-SHA1 (20) and 12
    // bytes of padding that nothing reads. Flip a byte anywhere in the other 4084.
    bad[page * 4096 + (page * 613 + 17) % 4084] ^= 0x04;
    REQUIRE(fs::write_file_atomic(store, bad).ok());
    std::string out;
    int rc = run(home, {"pw"}, {"export", "--format", "json"}, &out);
    INFO("page " << page << " rc " << rc);
    if (rc == cli::kCorrupt) {
      ++corrupt;
    } else {
      REQUIRE(rc == cli::kOk);
      REQUIRE(out == good_export);  // a page export does not read (an index): the answer is still right
      ++untouched;
      // ... and `cairn verify`, which reads every page, finds the damage.
      REQUIRE(run(home, {"pw"}, {"verify"}) == cli::kCorrupt);
    }
    std::filesystem::remove(home / "store.db-wal");
    std::filesystem::remove(home / "store.db-shm");
  }
  MESSAGE(pages << " pages: " << corrupt << " detected by export, " << untouched << " (indexes) by verify");
  CHECK(corrupt > 0);
  REQUIRE(fs::write_file_atomic(store, original).ok());
  std::string out;
  CHECK(run(home, {"pw"}, {"export", "--format", "json"}, &out) == cli::kOk);
  CHECK(out == good_export);
  CHECK(run(home, {"pw"}, {"verify"}) == cli::kOk);
}

TEST_CASE("a flipped byte anywhere in the vault") {
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  auto home = test::fresh_dir("cli/tamper-vault");
  REQUIRE(run(home, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  auto vault = home / "vault";
  auto original = fs::read_file(vault, 4096).value();
  for (std::size_t at = 0; at < original.size(); ++at) {
    auto bad = original;
    bad[at] ^= 0x01;
    REQUIRE(fs::write_file_atomic(vault, bad).ok());
    INFO("byte " << at);
    CHECK(run(home, {"pw"}, {"export", "--format", "json"}) == cli::kCorrupt);
    CHECK(run(home, {}, {"status"}) == cli::kCorrupt);
  }
  REQUIRE(fs::write_file_atomic(vault, original).ok());
  CHECK(run(home, {"pw"}, {"export", "--format", "json"}) == cli::kOk);
}

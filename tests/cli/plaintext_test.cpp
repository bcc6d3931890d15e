// 1,000 distinct markers written through the code path of `cairn log` never appear in plaintext
// in any file under the data directory, the config directory or the temp directories.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>

#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;

TEST_CASE("no marker logged with cairn log reaches the disk in plaintext") {
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  auto home = test::fresh_dir("cli/plaintext");
  auto tmp = test::fresh_dir("cli/plaintext-tmp");
  ::setenv("TMPDIR", tmp.c_str(), 1);  // SQLite would put temp files here if it ever made one
  auto run = [&](std::deque<std::string> in, std::vector<std::string> args) {
    test::FakeIo io(std::move(in));
    args.insert(args.begin(), {"--home", home.string()});
    return test::run_cairn(io, args);
  };
  const auto started = std::filesystem::file_time_type::clock::now() - std::chrono::seconds(2);
  REQUIRE(run({"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  std::vector<std::string> markers;
  for (int i = 0; i < 1000; ++i) {
    markers.push_back("MARKER" + std::to_string(100000 + i * 7919) + "Q");
    REQUIRE(run({"pw"}, {"log", markers.back() + " for the team", "--skill", "S" + markers.back(), "--link",
                         "https://e.org/" + markers.back()}) == cli::kOk);
  }
  // The shared temp directories: every file written while the test ran.
  std::string shared;
  for (const char* d : {"/tmp", "/var/tmp", "/dev/shm"}) shared += test::all_file_bytes(d, started);
  for (const auto& m : markers) REQUIRE(shared.find(m) == std::string::npos);
  // Every marker against the data directory (where the store lives) and the private temp dir.
  std::string disk = test::all_file_bytes(home) + test::all_file_bytes(tmp);
  CHECK(disk.size() > 4096);
  for (const auto& m : markers) REQUIRE(disk.find(m) == std::string::npos);
  // And the markers are really in the record.
  test::FakeIo io({"pw"});
  REQUIRE(test::run_cairn(io, {"--home", home.string(), "export", "--format", "json"}) == cli::kOk);
  for (const auto& m : markers) REQUIRE(io.out_text().find(m) != std::string::npos);
  ::unsetenv("TMPDIR");
}

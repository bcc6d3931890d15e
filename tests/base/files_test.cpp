// Tests of the private-file primitives: permissions, atomic replacement, size limits, and a disk
// that fills up after N bytes (the old file must survive intact).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "cairn/base/files.hpp"

using namespace cairn;
namespace stdfs = std::filesystem;

namespace {
stdfs::path fresh_dir(const char* name) {
  stdfs::path d = stdfs::path(CAIRN_BINARY_DIR) / "test-tmp" / "base" / name;
  stdfs::remove_all(d);
  return d;
}
int mode_of(const stdfs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
std::size_t g_budget = 0;
bool budget_gate(std::size_t n) {
  if (n > g_budget) return false;
  g_budget -= n;
  return true;
}
}  // namespace

TEST_CASE("ensure_private_dir creates 0700 directories and tightens existing ones") {
  auto d = fresh_dir("dirs") / "a" / "b";
  REQUIRE(fs::ensure_private_dir(d).ok());
  CHECK(mode_of(d) == 0700);
  ::chmod(d.c_str(), 0755);
  REQUIRE(fs::ensure_private_dir(d).ok());
  CHECK(mode_of(d) == 0700);
  REQUIRE(fs::write_file_atomic(d / "f", std::string("x")).ok());
  CHECK_FALSE(fs::ensure_private_dir(d / "f").ok());
}

TEST_CASE("write_file_atomic writes 0600 files and replaces whole") {
  auto d = fresh_dir("atomic");
  REQUIRE(fs::ensure_private_dir(d).ok());
  REQUIRE(fs::write_file_atomic(d / "f", std::string("first")).ok());
  CHECK(mode_of(d / "f") == 0600);
  REQUIRE(fs::write_file_atomic(d / "f", std::string("second")).ok());
  CHECK(fs::read_text_file(d / "f", 100).value() == "second");
  // No temporary files are left behind.
  int n = 0;
  for ([[maybe_unused]] auto& e : stdfs::directory_iterator(d)) ++n;
  CHECK(n == 1);
}

TEST_CASE("a full disk keeps the old file and leaves no temporary") {
  auto d = fresh_dir("full");
  REQUIRE(fs::ensure_private_dir(d).ok());
  REQUIRE(fs::write_file_atomic(d / "f", std::string("old content")).ok());
  g_budget = 3;
  fs::set_write_gate_for_tests(budget_gate);
  auto st = fs::write_file_atomic(d / "f", std::string(1000, 'n'));
  fs::set_write_gate_for_tests(nullptr);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::io);
  CHECK(st.error().message.find("No space left") != std::string::npos);
  CHECK(fs::read_text_file(d / "f", 100).value() == "old content");
  int n = 0;
  for ([[maybe_unused]] auto& e : stdfs::directory_iterator(d)) ++n;
  CHECK(n == 1);
}

TEST_CASE("read_file enforces its limit and reports missing files") {
  auto d = fresh_dir("read");
  REQUIRE(fs::ensure_private_dir(d).ok());
  REQUIRE(fs::write_file_atomic(d / "f", std::string(100, 'a')).ok());
  CHECK(fs::read_file(d / "f", 100).ok());
  CHECK(fs::read_file(d / "f", 99).error().code == Errc::too_large);
  CHECK(fs::read_file(d / "nope", 99).error().code == Errc::not_found);
  CHECK_FALSE(fs::read_file(d, 99).ok());
}

TEST_CASE("shred_file removes the file") {
  auto d = fresh_dir("shred");
  REQUIRE(fs::ensure_private_dir(d).ok());
  REQUIRE(fs::write_file_atomic(d / "f", std::string("secret-ish")).ok());
  REQUIRE(fs::shred_file(d / "f").ok());
  CHECK_FALSE(stdfs::exists(d / "f"));
  CHECK(fs::shred_file(d / "f").ok());
}

// See state_reader.hpp.
#include "state_reader.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

namespace cairn::test {

std::vector<StoredReport> read_reports(const std::filesystem::path& dir, std::string& error) {
  std::vector<StoredReport> out;
  std::ifstream kf(dir / "state.key", std::ios::binary);
  std::vector<unsigned char> key((std::istreambuf_iterator<char>(kf)), std::istreambuf_iterator<char>());
  if (key.size() != 32) {
    error = "no key file";
    return out;
  }
  static const char* hex = "0123456789abcdef";
  std::string literal = "x'";
  for (auto b : key) {
    literal += hex[b >> 4];
    literal += hex[b & 15];
  }
  literal += "'";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((dir / "state.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open state.db";
    return out;
  }
  sqlite3_key(db, literal.data(), static_cast<int>(literal.size()));
  sqlite3_exec(db, "PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = 4096;", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT plan_id, period, report_id, device_key, share FROM reports", -1, &st, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  auto blob = [&](int c) {
    auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, c));
    return std::vector<std::uint8_t>(p, p + sqlite3_column_bytes(st, c));
  };
  while (sqlite3_step(st) == SQLITE_ROW)
    out.push_back({reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                   blob(2), blob(3), blob(4)});
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::vector<StoredReport> stored_reports(const std::filesystem::path& dir) {
  std::string error;
  auto out = read_reports(dir, error);
  REQUIRE_MESSAGE(error.empty(), dir.string() << ": " << error);
  return out;
}

}  // namespace cairn::test

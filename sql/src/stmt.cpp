// Prepared statements: stepping and column reads; see sql.hpp.
#include "cairn/sql/sql.hpp"

namespace cairn::sql {

Result<bool> Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = to_error(rc, sqlite3_db_handle(s_), label_);
  sqlite3_reset(s_);
  return e;
}

Status Stmt::run() {
  while (CAIRN_TRY(step())) {
  }
  reset();
  return {};
}

std::string Stmt::text(int c) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string();
}

std::vector<std::uint8_t> Stmt::blob(int c) const {
  auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
  const auto n = static_cast<std::size_t>(sqlite3_column_bytes(s_, c));
  return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

}  // namespace cairn::sql

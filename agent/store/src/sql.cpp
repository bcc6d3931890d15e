// The SQLCipher RAII layer; see sql.hpp.
#include "sql.hpp"

namespace cairn::store::sql {

Error to_error(int rc, sqlite3* db, const char* what) {
  int primary = rc & 0xff;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return make_error(Errc::corrupt, std::string(what) + ": the store is damaged or the key is wrong");
    case SQLITE_FULL:
      return make_error(Errc::io, std::string(what) + ": the disk is full");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return make_error(Errc::io, std::string(what) + ": " + detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(Errc::io, std::string(what) + ": the store is in use by another Cairn process");
    case SQLITE_CONSTRAINT:
      return make_error(Errc::exists, std::string(what) + ": " + detail);
    default:
      return make_error(Errc::internal, std::string(what) + ": " + detail);
  }
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = to_error(rc, db_, "store query failed");
  sqlite3_reset(stmt_);
  return e;
}

Status Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r.ok()) return r.error();
    if (!*r) break;
  }
  reset();
  return ok_status();
}

Result<Db> Db::open(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_CANTOPEN && !create)
      return make_error(Errc::not_found, "no store at " + path + " (run `cairn init` first)");
    return to_error(rc, raw, "cannot open the store");
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Status Db::exec(const char* sql) {
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  if (msg) sqlite3_free(msg);
  if (rc != SQLITE_OK) return to_error(rc, db_, "store statement failed");
  return ok_status();
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return to_error(rc, db_, "store query failed");
  return Stmt(db_, s);
}

Result<std::int64_t> Db::scalar(const char* sql) {
  auto st = CAIRN_TRY(prepare(sql));
  if (!CAIRN_TRY(st.step())) return make_error(Errc::internal, "query returned no row");
  return st.i64(0);
}

Result<std::string> Db::scalar_text(const char* sql) {
  auto st = CAIRN_TRY(prepare(sql));
  if (!CAIRN_TRY(st.step())) return std::string();
  return st.text(0);
}

Result<Transaction> Transaction::begin(Db& db) {
  CAIRN_TRY(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  if (!db_) return make_error(Errc::internal, "transaction already finished");
  auto st = db_->exec("COMMIT");
  if (st.ok()) db_ = nullptr;
  return st;
}

}  // namespace cairn::store::sql

// Connections: opening, statements, the statement cache and the pragmas; see sql.hpp.
#include "cairn/sql/sql.hpp"

namespace cairn::sql {

Db::~Db() {
  cache_.clear();  // statements before the connection
  if (db_) sqlite3_close_v2(db_);
}

Result<Db> Db::open(const std::filesystem::path& path, const OpenOptions& options) {
  Db d;
  d.label_ = options.label;
  const int flags = SQLITE_OPEN_READWRITE | (options.serialized ? SQLITE_OPEN_FULLMUTEX : SQLITE_OPEN_NOMUTEX) |
                    (options.create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &d.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_CANTOPEN && !options.create)
      return make_error(Errc::not_found, "no " + std::string(options.label) + " at " + path.string());
    return to_error(rc, d.db_, options.label);
  }
  sqlite3_extended_result_codes(d.db_, 1);
  sqlite3_busy_timeout(d.db_, 5000);  // a CLI and a daemon may share the file
  return d;
}

Status Db::exec(const char* sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return to_error(rc, db_, label_);
  return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return to_error(rc, db_, label_);
  return Stmt(s, label_);
}

Result<Stmt*> Db::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto st = CAIRN_TRY(prepare(sql));
    it = cache_.emplace(std::string(sql), std::make_unique<Stmt>(std::move(st))).first;
  }
  it->second->reset();
  return it->second.get();
}

void Db::reset_cached() {
  for (auto& [sql, st] : cache_) st->reset();
}

Result<std::int64_t> Db::scalar(std::string_view sql) {
  auto st = CAIRN_TRY(prepare(sql));
  if (!CAIRN_TRY(st.step())) return make_error(Errc::internal, std::string(label_) + ": query returned no row");
  return st.i64(0);
}

Result<std::string> Db::scalar_text(std::string_view sql) {
  auto st = CAIRN_TRY(prepare(sql));
  if (!CAIRN_TRY(st.step())) return std::string();
  return st.text(0);
}

Status apply_pragmas(Db& db, const Pragmas& p) {
  if (p.auto_vacuum_full) CAIRN_TRY(db.exec("PRAGMA auto_vacuum = FULL"));
  CAIRN_TRY(db.scalar_text("PRAGMA journal_mode = WAL"));  // answers with a row: not exec
  const std::string rest = std::string("PRAGMA synchronous = ") + p.synchronous +
                           "; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;" +
                           (p.foreign_keys ? " PRAGMA foreign_keys = ON;" : "");
  return db.exec(rest.c_str());
}

}  // namespace cairn::sql

// SQLCipher wrapper: see db.hpp.
#include "db.hpp"

namespace cairn::aggregator::db {
namespace {
Error sql_error(sqlite3* db, int rc, const char* what) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    return make_error(Errc::corrupt, std::string(what) + ": the aggregator state is damaged or its key file is wrong");
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY)
    return make_error(Errc::io, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  if (primary == SQLITE_CONSTRAINT) return make_error(Errc::exists, std::string(what) + ": already recorded");
  return make_error(Errc::internal, std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}
}  // namespace

Result<bool> Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sql_error(sqlite3_db_handle(s_), rc, "aggregator state");
}

Status Stmt::run() {
  while (CAIRN_TRY(step())) {
  }
  return {};
}

std::string Stmt::text(int c) const {
  auto p = sqlite3_column_text(s_, c);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string();
}

std::vector<std::uint8_t> Stmt::blob(int c) const {
  auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s_, c));
  const int n = sqlite3_column_bytes(s_, c);
  return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
}

Db::~Db() {
  cache_.clear();  // statements before the connection
  if (db_) sqlite3_close_v2(db_);
}

Result<Stmt*> Db::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto st = CAIRN_TRY(prepare(sql));
    it = cache_.emplace(sql, std::make_unique<Stmt>(std::move(st))).first;
  }
  it->second->reset();
  return it->second.get();
}

void Db::reset_cached() {
  for (auto& [sql, st] : cache_) st->reset();
}

Result<Db> Db::open(const std::filesystem::path& path, const crypto::SecretBytes& key, bool create) {
  if (key.size() != 32) return make_error(Errc::internal, "the state key must be 32 bytes");
  Db d;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (int rc = sqlite3_open_v2(path.c_str(), &d.db_, flags, nullptr); rc != SQLITE_OK)
    return sql_error(d.db_, rc, "opening the aggregator state");
  // Raw-key form x'<hex>': the key is already 256 random bits, SQLCipher's PBKDF2 would only cost time.
  crypto::SecretBytes literal(3 + 64);
  static const char digits[] = "0123456789abcdef";
  auto* p = literal.data();
  p[0] = 'x';
  p[1] = '\'';
  for (int i = 0; i < 32; ++i) {
    p[2 + 2 * i] = static_cast<std::uint8_t>(digits[key.data()[i] >> 4]);
    p[3 + 2 * i] = static_cast<std::uint8_t>(digits[key.data()[i] & 15]);
  }
  p[66] = '\'';
  if (sqlite3_key(d.db_, literal.data(), static_cast<int>(literal.size())) != SQLITE_OK)
    return make_error(Errc::internal, "SQLCipher refused the key");
  CAIRN_TRY(d.exec("PRAGMA cipher_compatibility = 3"));  // 4.x: the 3.x format; 3.4 ignores it
  CAIRN_TRY(d.exec("PRAGMA cipher_page_size = 4096"));
  CAIRN_TRY(d.scalar("SELECT count(*) FROM sqlite_master"));  // wrong key fails here
  sqlite3_busy_timeout(d.db_, 5000);                            // the CLI and the server share the file
  auto st = CAIRN_TRY(d.prepare("PRAGMA journal_mode = WAL"));
  CAIRN_TRY(st.run());
  CAIRN_TRY(d.exec("PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON;"));
  return d;
}

Status Db::exec(const char* sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return sql_error(db_, rc, "aggregator state");
  return {};
}

Result<Stmt> Db::prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr); rc != SQLITE_OK)
    return sql_error(db_, rc, "aggregator state");
  return Stmt(s);
}

Result<std::int64_t> Db::scalar(const std::string& sql) {
  auto st = CAIRN_TRY(prepare(sql));
  if (!CAIRN_TRY(st.step())) return std::int64_t{0};
  return st.i64(0);
}

}  // namespace cairn::aggregator::db

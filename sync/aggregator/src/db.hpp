// A minimal SQLCipher wrapper for the aggregator's state: open with a raw 32-byte key, prepared
// statements with bound parameters, transactions. Errors carry SQLite's result code family in a
// one-line message; nothing here logs values.
//
// Thread safety: a Db is used by one thread at a time (the aggregator holds a mutex around it).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::aggregator::db {

class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  ~Stmt() { if (s_) sqlite3_finalize(s_); }
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept { std::swap(s_, o.s_); return *this; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& bind(int i, const std::string& v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); return *this; }
  Stmt& bind_blob(int i, std::span<const std::uint8_t> v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // true when a row is available.
  Result<bool> step();
  Status run();  // step to completion
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  std::string text(int c) const;
  std::vector<std::uint8_t> blob(int c) const;
  int columns() const { return sqlite3_column_count(s_); }
  int type(int c) const { return sqlite3_column_type(s_, c); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  Db() = default;
  ~Db();
  Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(cache_, o.cache_);
    return *this;
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens (create: or creates) the database keyed with `key` (32 bytes, raw-key form). A wrong key
  // or a damaged file fails with Errc::corrupt.
  static Result<Db> open(const std::filesystem::path& path, const crypto::SecretBytes& key, bool create);
  Status exec(const char* sql);
  Result<Stmt> prepare(const std::string& sql);
  // A prepared statement kept for the life of the Db (the hot path prepares the same dozen
  // statements for every report). Reset and unbound on every call; valid until the next call with
  // the same SQL. Call reset_cached() when done so no read snapshot stays open.
  Result<Stmt*> cached(const std::string& sql);
  void reset_cached();
  Result<std::int64_t> scalar(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Stmt>> cache_;
};

// Resets the Db's cached statements when the scope ends.
class CachedScope {
 public:
  explicit CachedScope(Db& db) : db_(db) {}
  ~CachedScope() { db_.reset_cached(); }
  CachedScope(const CachedScope&) = delete;
  CachedScope& operator=(const CachedScope&) = delete;

 private:
  Db& db_;
};

// Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back when fn fails, so a refused request
// changes nothing.
template <class Fn>
Status transaction(Db& db, Fn&& fn) {
  CAIRN_TRY(db.exec("BEGIN IMMEDIATE"));
  Status st = fn();
  if (!st.ok()) {
    (void)db.exec("ROLLBACK");
    return st;
  }
  if (auto c = db.exec("COMMIT"); !c.ok()) {
    (void)db.exec("ROLLBACK");
    return c;
  }
  return {};
}

}  // namespace cairn::aggregator::db

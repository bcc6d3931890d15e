// A minimal RAII layer over the SQLCipher C API (private to the store): a connection, prepared
// statements with typed binds, and transactions. Errors become cairn::Error with SQLite's result
// code compared as a code, never as a message (messages changed between SQLite versions).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cairn/base/result.hpp"

namespace cairn::store::sql {

// Maps an SQLite result code to Cairn's codes: NOTADB/CORRUPT -> corrupt, FULL/IOERR -> io.
Error to_error(int rc, sqlite3* db, const char* what);

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  ~Stmt() { if (stmt_) sqlite3_finalize(stmt_); }
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    if (this != &o) { if (stmt_) sqlite3_finalize(stmt_); db_ = o.db_; stmt_ = o.stmt_; o.stmt_ = nullptr; }
    return *this;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Stmt& bind(int i, int v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Stmt& bind(int i, bool v) { sqlite3_bind_int64(stmt_, i, v ? 1 : 0); return *this; }
  Stmt& bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); return *this; }
  Stmt& bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind_blob(int i, const void* p, std::size_t n) {
    sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind_null(int i) { sqlite3_bind_null(stmt_, i); return *this; }
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }

  // Steps once: true while a row is available, false when done.
  Result<bool> step();
  // Steps to completion (for statements without rows) and resets for reuse.
  Status run();
  void reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }

  std::int64_t i64(int col) const { return sqlite3_column_int64(stmt_, col); }
  int i32(int col) const { return sqlite3_column_int(stmt_, col); }
  double f64(int col) const { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  std::optional<std::string> opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  std::string blob(int col) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  Db() = default;
  explicit Db(sqlite3* db) : db_(db) {}
  ~Db() { if (db_) sqlite3_close_v2(db_); }
  Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept {
    if (this != &o) { if (db_) sqlite3_close_v2(db_); db_ = o.db_; o.db_ = nullptr; }
    return *this;
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  static Result<Db> open(const std::string& path, bool create);
  sqlite3* get() const { return db_; }
  Status exec(const char* sql);
  Result<Stmt> prepare(std::string_view sql);
  // A single integer from a query such as "PRAGMA user_version".
  Result<std::int64_t> scalar(const char* sql);
  Result<std::string> scalar_text(const char* sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace cairn::store::sql

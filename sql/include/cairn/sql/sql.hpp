// The one SQLCipher layer of Cairn, used by agent/store and sync/aggregator: a connection keyed with
// a raw key, the pragmas that keep plaintext off the disk, prepared statements with typed binds, a
// per-connection statement cache, RAII transactions, and one mapping from SQLite result codes to
// cairn::Errc (compared as codes, never as message strings). Nothing here logs a value.
//
// Thread safety: a Db and its statements are used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::sql {

// Maps an SQLite result code (primary or extended) to Cairn's codes: NOTADB/CORRUPT -> corrupt
// ("damaged or the key is wrong"), FULL -> io ("the disk is full"), IOERR/CANTOPEN/READONLY/PERM
// -> io, BUSY/LOCKED -> io ("in use by another Cairn process"), CONSTRAINT -> exists, anything
// else -> internal. `label` names the database in the one-line message ("the store").
Error to_error(int rc, sqlite3* db, std::string_view label);

// Bytes as a blob parameter, for callers that keep bytes in a std::string.
inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* s, std::string_view label) : s_(s), label_(label) {}
  ~Stmt() { if (s_) sqlite3_finalize(s_); }
  Stmt(Stmt&& o) noexcept : s_(o.s_), label_(o.label_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(s_, o.s_);
    std::swap(label_, o.label_);
    return *this;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based. Text and blobs are copied (SQLITE_TRANSIENT).
  template <std::integral T>
  Stmt& bind(int i, T v) {
    if constexpr (std::same_as<T, bool>) sqlite3_bind_int64(s_, i, v ? 1 : 0);
    else sqlite3_bind_int64(s_, i, static_cast<std::int64_t>(v));
    return *this;
  }
  Stmt& bind(int i, double v) { sqlite3_bind_double(s_, i, v); return *this; }
  Stmt& bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  template <class T>
  Stmt& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }
  Stmt& bind_blob(int i, std::span<const std::uint8_t> v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind_null(int i) { sqlite3_bind_null(s_, i); return *this; }

  // Steps once: true while a row is available, false when done. On an error the statement is
  // reset, so no read snapshot stays open.
  Result<bool> step();
  // Steps to completion (statements without rows), then resets and unbinds for reuse.
  Status run();
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  // Columns are 0-based.
  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  int i32(int c) const { return sqlite3_column_int(s_, c); }
  double f64(int c) const { return sqlite3_column_double(s_, c); }
  bool is_null(int c) const { return type(c) == SQLITE_NULL; }
  int type(int c) const { return sqlite3_column_type(s_, c); }
  int columns() const { return sqlite3_column_count(s_); }
  std::string text(int c) const;
  std::optional<std::string> opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
  }
  std::vector<std::uint8_t> blob(int c) const;

 private:
  sqlite3_stmt* s_ = nullptr;
  std::string_view label_;  // a string literal of the Db that prepared it
};

struct OpenOptions {
  bool create = false;     // create the file when missing (otherwise Errc::not_found)
  bool serialized = false;  // SQLITE_OPEN_FULLMUTEX instead of NOMUTEX
  // Names the database in error messages; must outlive the Db (use a string literal).
  std::string_view label = "the database";
};

class Db {
 public:
  Db() = default;
  ~Db();
  Db(Db&& o) noexcept : db_(o.db_), label_(o.label_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(label_, o.label_);
    std::swap(cache_, o.cache_);
    return *this;
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens the file (not keyed yet) with extended result codes and a 5 s busy timeout.
  static Result<Db> open(const std::filesystem::path& path, const OpenOptions& options);

  // Keys the connection with a 32-byte key in SQLCipher's raw-key form x'<hex>' (no PBKDF2: the
  // key is already uniformly random), selects the 3.x file format on SQLCipher 4, sets
  // cipher_page_size = 4096 and reads the schema once: a wrong key or a file that is not a
  // database fails here with Errc::corrupt. Errc::internal when the library has no codec.
  Status key(const crypto::SecretBytes& raw_key);

  sqlite3* get() const { return db_; }
  std::string_view label() const { return label_; }
  Status exec(const char* sql);
  Result<Stmt> prepare(std::string_view sql);
  // A prepared statement kept for the life of the Db (hot paths run the same statements many
  // times). Reset and unbound on every call; valid until the next call with the same SQL. Call
  // reset_cached() (or hold a CachedScope) when done so no read snapshot stays open.
  Result<Stmt*> cached(std::string_view sql);
  void reset_cached();
  // A single integer / text from a query such as "PRAGMA user_version"; no row is Errc::internal
  // for scalar, an empty string for scalar_text.
  Result<std::int64_t> scalar(std::string_view sql);
  Result<std::string> scalar_text(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::string_view label_ = "the database";
  std::map<std::string, std::unique_ptr<Stmt>, std::less<>> cache_;
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

// The pragmas each side sets after keying. WAL (readers never block the writer), temp_store =
// MEMORY (a temporary file would hold plaintext) and secure_delete = ON (freed pages are zeroed)
// are always set.
struct Pragmas {
  const char* synchronous = "NORMAL";
  bool auto_vacuum_full = false;  // only takes effect on a database without tables
  bool foreign_keys = false;
};
Status apply_pragmas(Db& db, const Pragmas& pragmas);

namespace detail {
// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class TransactionGuard {
 public:
  explicit TransactionGuard(Db& db) : db_(&db) {}
  ~TransactionGuard() { if (db_) (void)db_->exec("ROLLBACK"); }
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;
  Status commit() {
    CAIRN_TRY(db_->exec("COMMIT"));
    db_ = nullptr;
    return {};
  }

 private:
  Db* db_;
};
}  // namespace detail

// Runs fn (returning Status) inside BEGIN IMMEDIATE ... COMMIT; rolls back when fn fails or the
// commit does, so a refused request changes nothing.
template <class Fn>
Status transaction(Db& db, Fn&& fn) {
  CAIRN_TRY(db.exec("BEGIN IMMEDIATE"));
  detail::TransactionGuard guard(db);
  CAIRN_TRY(Status(fn()));
  return guard.commit();
}

}  // namespace cairn::sql

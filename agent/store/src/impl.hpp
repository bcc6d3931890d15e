// The Store's private state, shared by the .cpp files of this folder.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include "cairn/base/clock.hpp"
#include "cairn/store/store.hpp"
#include "sql.hpp"

namespace cairn::store {

struct Store::Impl {
  sql::Db db;
  std::string cipher_version;
  int schema_version = 0;
  // Prepared statements reused across calls (an import runs the same few thousands of times).
  // Declared after db, so they are finalised before the connection closes.
  std::map<std::string, sql::Stmt> stmt_cache;
  Result<sql::Stmt*> cached(const char* sql_text) {
    auto it = stmt_cache.find(sql_text);
    if (it == stmt_cache.end()) {
      auto st = CAIRN_TRY(db.prepare(sql_text));
      it = stmt_cache.emplace(sql_text, std::move(st)).first;
    }
    return &it->second;
  }
  bool in_batch = false;
  int tx_depth = 0;  // in_transaction nesting: only the outermost level begins and commits
  // Local days touched by writes inside the current batch, for the rollup rebuild.
  std::int64_t touched_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t touched_max = std::numeric_limits<std::int64_t>::min();

  void touch(std::int64_t instant, std::int32_t offset, std::int64_t end_instant);
  void reset_touched() {
    touched_min = std::numeric_limits<std::int64_t>::max();
    touched_max = std::numeric_limits<std::int64_t>::min();
  }
};

// Runs fn in a transaction unless a batch transaction is already open.
template <class Fn>
Status in_transaction(Store::Impl& impl, Fn&& fn) {
  if (impl.in_batch || impl.tx_depth > 0) return fn();
  auto tx = CAIRN_TRY(sql::Transaction::begin(impl.db));
  ++impl.tx_depth;
  Status st = fn();
  --impl.tx_depth;
  if (!st.ok()) return st;  // tx rolls back on destruction
  return tx.commit();
}

// schema.cpp
Status migrate(sql::Db& db, int& version_out);

}  // namespace cairn::store

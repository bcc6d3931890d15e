// The Store's private state, shared by the .cpp files of this folder.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/store/store.hpp"
#include "cairn/sql/sql.hpp"

namespace cairn::store {

struct Store::Impl {
  sql::Db db;
  std::string cipher_version;
  int schema_version = 0;
  // Prepared statements reused across calls (an import runs the same few thousands of times).
  Result<sql::Stmt*> cached(const char* sql_text) { return db.cached(sql_text); }
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
  return sql::transaction(impl.db, [&]() -> Status {
    ++impl.tx_depth;
    Status st = fn();
    --impl.tx_depth;
    return st;  // a failure rolls back
  });
}

// schema.cpp
Status migrate(sql::Db& db, int& version_out);

// marks.cpp: the marks overlapping [from, to], oldest first, and one span after all of them.
Result<std::vector<ActivityMark>> marks_between(sql::Db& db, Instant from, Instant to);
std::vector<ActivitySpan> apply_marks(const ActivitySpan& s, std::span<const ActivityMark> marks);

}  // namespace cairn::store

// Import: moves sealed inbox batches and consent changes into the store, exactly once. Called by
// every unlocking process (CLI commands, panel) right after the store opens.
//
// Exactly once: each batch's id is recorded in the same transaction as its records; the file is
// removed only after that commit. A crash before the commit leaves the file (imported next time);
// a crash after it leaves a file whose id is already recorded (removed next time, adding nothing).
// A batch that does not open or decode is moved to inbox/rejected/ and counted, never imported.
#pragma once

#include <cstddef>
#include <functional>

#include "cairn/base/paths.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/store/store.hpp"

namespace cairn::import {

struct ImportReport {
  std::size_t batches = 0;   // batches imported now
  std::size_t rejected = 0;  // damaged batches set aside
  store::ImportCounts counts;
};

using Progress = std::function<void(std::size_t done, std::size_t total)>;

Result<ImportReport> import_inbox(store::Store& store, const Paths& paths, const crypto::UnlockedKeys& keys,
                                  const Progress& progress);

// Test hook: called after a batch's transaction committed and before its file is removed.
void set_after_commit_hook_for_tests(void (*hook)());

}  // namespace cairn::import

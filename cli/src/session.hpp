// What every command shares: resolved paths, the Io, the clock, and unlocking (passphrase ->
// vault -> store, then the inbox import that every unlock performs).
#pragma once

#include <optional>

#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/cli/cli.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/import/import.hpp"
#include "cairn/store/store.hpp"

namespace cairn::cli {

struct Context {
  Paths paths;
  Io& io;
  const Clock& clock;
  std::string argv0;
};

struct Session {
  crypto::UnlockedKeys keys;
  store::Store store;
  import::ImportReport imported;  // what the unlock brought in from the inbox
};

// Reads the passphrase, unlocks the vault, opens the store and imports pending inbox batches
// and consent changes. quiet: no import summary on stderr.
Result<Session> unlock(Context& ctx, bool quiet = false);

// Prints "cairn: <message>" on stderr and returns the exit code for the error.
int fail(Context& ctx, const Error& e);

}  // namespace cairn::cli

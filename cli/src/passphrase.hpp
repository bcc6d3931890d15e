// The CLI side of the one passphrase rule (cairn/crypto/strength.hpp, the panel's meter): every
// command that sets a new passphrase (`init`, `passwd`) refuses one below the minimum unless the
// employee passed --weak-passphrase-ok.
#pragma once

#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::cli {

// Errc::usage with one line naming why ("the passphrase is too weak (very weak: it is short)...")
// when the passphrase is below the minimum and !weak_ok. `outcome` ends the message: what did not
// happen ("nothing was created"). Never quotes the passphrase.
Status check_new_passphrase(const crypto::SecretBytes& passphrase, bool weak_ok, const char* outcome);

}  // namespace cairn::cli

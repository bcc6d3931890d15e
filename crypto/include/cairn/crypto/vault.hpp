// The vault: one small file that turns a passphrase (or the recovery code shown once at creation)
// into Cairn's master key, and from it every other key (docs/formats.md, "vault").
//
//   passphrase    --Argon2id(params, salt_p)--> KEK --XChaCha20-Poly1305(AD = header)--> master
//   recovery code --Argon2id(params, salt_r)--> RK  --XChaCha20-Poly1305(AD = header)--> master
//   master --crypto_kdf--> store key, inbox X25519 seed, device Ed25519 seed, ledger MAC, export key
//
// The header (clear, authenticated as AD) carries the public keys so the daemon can seal batches
// without any secret. A BLAKE2b checksum over the whole file separates damage (Errc::corrupt)
// from a wrong passphrase (Errc::wrong_secret). Changing the passphrase rewraps the same master
// key: the store is never re-encrypted. Thread safety: free functions, no shared state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::crypto {

inline constexpr std::uint16_t kVaultVersion = 1;
inline constexpr std::size_t kVaultMaxBytes = 4096;

// What anyone may read without a secret.
struct VaultPublic {
  std::uint16_t version = kVaultVersion;
  PwhashParams params;
  BoxPublicKey inbox_public_key{};
  SignPublicKey device_public_key{};
  std::int64_t created = 0;
};

// An unlocked vault: the master key and the keys derived from it. Move-only (holds secrets).
class UnlockedKeys {
 public:
  explicit UnlockedKeys(SecretBytes master) : master_(std::move(master)) {}
  SecretBytes store_key() const;       // 32 bytes, SQLCipher raw key
  BoxKeyPair inbox_keys() const;       // opens sealed inbox batches
  SignKeyPair device_keys() const;     // signs reports and enrolment
  SecretBytes ledger_mac_key() const;  // authenticates the privacy-budget ledger chain
  SecretBytes export_key() const;      // reserved for encrypted exports
  const SecretBytes& master() const { return master_; }

 private:
  SecretBytes master_;
};

struct CreatedVault {
  SecretBytes recovery_code;  // shown to the employee once, e.g. "7K3M-Q9TD-..."; never stored
  UnlockedKeys keys;
  VaultPublic info;
};

// Refuses (Errc::exists) when the file exists. Passphrase must not be empty (Errc::usage).
Result<CreatedVault> vault_create(const std::filesystem::path& path, const SecretBytes& passphrase,
                                  const PwhashParams& params, std::int64_t now);
Result<VaultPublic> vault_read_public(const std::filesystem::path& path);
Result<UnlockedKeys> vault_unlock(const std::filesystem::path& path, const SecretBytes& passphrase);
Result<UnlockedKeys> vault_unlock_recovery(const std::filesystem::path& path, const SecretBytes& recovery_code);
// The same parsing and unlocking over bytes in memory (the fuzz target's entry points).
Result<VaultPublic> vault_inspect(ByteView bytes);
Result<UnlockedKeys> vault_unlock_bytes(ByteView bytes, const SecretBytes& passphrase);
// Rewraps the master key under a new passphrase; the recovery wrap is kept as it is.
Status vault_change_passphrase(const std::filesystem::path& path, const UnlockedKeys& keys,
                               const SecretBytes& new_passphrase);

// The parameters a new vault gets: MODERATE, or INTERACTIVE-minimum when the environment variable
// CAIRN_INSECURE_FAST_KDF=1 is set (test suites only; `cairn status` warns about such a vault).
PwhashParams default_vault_params();
bool is_weak(const PwhashParams& params);

// Normalises a typed recovery code: upper-case, drops spaces and dashes, maps the Crockford
// look-alikes (O->0, I/L->1). Returns the canonical form for key derivation.
Result<SecretBytes> normalise_recovery_code(const SecretBytes& typed);

}  // namespace cairn::crypto

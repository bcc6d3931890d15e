// Thin wrappers over the libsodium primitives Cairn uses, named after them. Sizes are constants
// checked against libsodium with static_assert in sodium.cpp. Every open/verify fails with
// Errc::corrupt on a wrong key, a flipped byte or a truncated input, and never returns partial
// plaintext. REQUIRES: init() returned ok.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/secret.hpp"

namespace cairn::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Initialises libsodium and runs the known-answer self-test (selftest.cpp). Programs refuse to run
// when it fails. Idempotent and thread-safe.
Status init();

// Overwrites memory with zeros in a way the compiler cannot elide (sodium_memzero). memzero takes
// any object's memory (plain structs, strings' buffers); wipe is the same over bytes.
void memzero(void* data, std::size_t size);
void wipe(std::span<std::uint8_t> bytes);

// --- randomness -----------------------------------------------------------------------------
void random_bytes(std::span<std::uint8_t> out);
std::uint32_t random_uniform(std::uint32_t upper_bound);  // uniform in [0, upper_bound)

// --- Argon2id (crypto_pwhash, ALG_ARGON2ID13) -----------------------------------------------
inline constexpr std::size_t kPwhashSaltBytes = 16;
struct PwhashParams {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;
  static PwhashParams moderate();     // production default
  static PwhashParams interactive();  // allowed for tests only (CAIRN_INSECURE_FAST_KDF, see vault.cpp)
  static PwhashParams minimum();      // the smallest libsodium accepts; tests only
};
Result<SecretBytes> pwhash(std::string_view passphrase_bytes, ByteView salt, const PwhashParams& params,
                           std::size_t out_len = 32);

// --- XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf) --------------------------------
inline constexpr std::size_t kAeadKeyBytes = 32;
inline constexpr std::size_t kAeadNonceBytes = 24;
inline constexpr std::size_t kAeadTagBytes = 16;
// Output: nonce || ciphertext || tag, with a fresh random nonce.
Bytes aead_encrypt(const SecretBytes& key, ByteView plaintext, ByteView associated_data);
Result<SecretBytes> aead_decrypt(const SecretBytes& key, ByteView sealed, ByteView associated_data);

// --- key derivation (crypto_kdf) ------------------------------------------------------------
inline constexpr std::size_t kKdfKeyBytes = 32;
// context: exactly 8 characters, e.g. "cairnstr".
SecretBytes kdf_derive(const SecretBytes& master, std::uint64_t subkey_id, const char (&context)[9],
                       std::size_t len = 32);

// --- sealed boxes (crypto_box_seal) ---------------------------------------------------------
inline constexpr std::size_t kBoxPublicKeyBytes = 32;
inline constexpr std::size_t kBoxSecretKeyBytes = 32;
inline constexpr std::size_t kBoxSeedBytes = 32;
inline constexpr std::size_t kSealOverheadBytes = 48;
using BoxPublicKey = std::array<std::uint8_t, kBoxPublicKeyBytes>;
struct BoxKeyPair {
  BoxPublicKey public_key{};
  SecretBytes secret_key;
};
BoxKeyPair box_keypair_from_seed(const SecretBytes& seed);
BoxKeyPair box_keypair();
Bytes seal(const BoxPublicKey& recipient, ByteView plaintext);
Result<Bytes> seal_open(const BoxKeyPair& keys, ByteView sealed);

// --- key exchange (crypto_kx) over box key pairs (both are X25519) ----------------------------
// The 32-byte key for messages from a client to a server, which each side computes from its own
// key pair and the other's public key: BLAKE2b over the X25519 shared point and both public keys.
// Errc::corrupt when the other's key is a low-order point.
Result<SecretBytes> kx_client_to_server(const BoxKeyPair& client, const BoxPublicKey& server);
Result<SecretBytes> kx_client_to_server_at_server(const BoxKeyPair& server, const BoxPublicKey& client);

// --- Ed25519 signatures (crypto_sign_detached) ----------------------------------------------
inline constexpr std::size_t kSignPublicKeyBytes = 32;
inline constexpr std::size_t kSignSecretKeyBytes = 64;
inline constexpr std::size_t kSignSeedBytes = 32;
inline constexpr std::size_t kSignatureBytes = 64;
using SignPublicKey = std::array<std::uint8_t, kSignPublicKeyBytes>;
using Signature = std::array<std::uint8_t, kSignatureBytes>;
struct SignKeyPair {
  SignPublicKey public_key{};
  SecretBytes secret_key;
};
SignKeyPair sign_keypair_from_seed(const SecretBytes& seed);
SignKeyPair sign_keypair();
Signature sign_detached(const SignKeyPair& keys, ByteView message);
Status verify_detached(const SignPublicKey& key, ByteView message, const Signature& sig);

// --- hashing (crypto_generichash, BLAKE2b) --------------------------------------------------
inline constexpr std::size_t kHashBytes = 32;
using Hash = std::array<std::uint8_t, kHashBytes>;
Hash generichash(ByteView message);
Hash generichash_keyed(const SecretBytes& key, ByteView message);
// The same with a key that is not secret in this process (e.g. the calendar's uid key, handed to
// cairn-scan in its request). REQUIRES: 16 to 64 key bytes.
Hash generichash_keyed(ByteView key, ByteView message);
// Constant-time comparison of two equal-length byte strings (sodium_memcmp); false on a length
// mismatch.
bool equal_ct(ByteView a, ByteView b);

// --- stream (crypto_stream_xchacha20) for the secret-sharing PRG -----------------------------
void stream_xchacha20(std::span<std::uint8_t> out, ByteView nonce24, ByteView key32);
// --- stream (crypto_stream_chacha20_ietf_xor_ic) for dp's seeded test generator --------------
// The keystream from 64-byte block `ic` on: out = ChaCha20-IETF(key32, nonce12) blocks ic, ic+1, ...
// out.size() need not be a multiple of 64; the counter must not wrap (the caller keeps it below).
inline constexpr std::size_t kStreamChacha20IetfNonceBytes = 12;
void stream_chacha20_ietf_ic(std::span<std::uint8_t> out, ByteView nonce12, std::uint32_t ic, ByteView key32);

// libsodium's own start (sodium_init) for code that needs the CSPRNG or hashing before, or
// without, crypto::init()'s self-tests (dp's noise). Idempotent; aborts when libsodium cannot
// start, since without a CSPRNG nothing may continue.
void sodium_init_or_abort();

// --- encodings ------------------------------------------------------------------------------
std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view hex);
std::string to_base64(ByteView bytes);  // URL-safe, no padding
Result<Bytes> from_base64(std::string_view text);
// A short, human-comparable fingerprint of a public key: "ab12 cd34 ef56 7890".
std::string fingerprint(ByteView public_key);

inline ByteView as_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace cairn::crypto

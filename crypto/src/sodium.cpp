// The libsodium wrappers declared in sodium.hpp. Each size constant is checked against libsodium.
#include "cairn/crypto/sodium.hpp"

#include <sodium.h>

#include <cstring>

namespace cairn::crypto {

static_assert(kPwhashSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kAeadKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kKdfKeyBytes == crypto_kdf_KEYBYTES);
static_assert(kBoxPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kBoxSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kBoxSeedBytes == crypto_box_SEEDBYTES);
static_assert(kSealOverheadBytes == crypto_box_SEALBYTES);
static_assert(kSignPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kSignSecretKeyBytes == crypto_sign_SECRETKEYBYTES);
static_assert(kSignSeedBytes == crypto_sign_SEEDBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);
static_assert(kHashBytes == crypto_generichash_BYTES);
static_assert(kBoxPublicKeyBytes == crypto_kx_PUBLICKEYBYTES && kBoxSecretKeyBytes == crypto_kx_SECRETKEYBYTES);

namespace {

using KeypairFn = int (*)(unsigned char* pk, unsigned char* sk);
using SeedKeypairFn = int (*)(unsigned char* pk, unsigned char* sk, const unsigned char* seed);

// A fresh random key pair (box or sign) from libsodium's *_keypair function.
template <class Pair>
Pair keypair(std::size_t secret_bytes, KeypairFn make) {
  Pair kp{{}, SecretBytes(secret_bytes)};
  make(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

// The key pair a seed determines, from libsodium's *_seed_keypair; a seed of the wrong size aborts.
template <class Pair>
Pair keypair(const SecretBytes& seed, std::size_t seed_bytes, std::size_t secret_bytes, SeedKeypairFn make) {
  if (seed.size() != seed_bytes) std::abort();
  Pair kp{{}, SecretBytes(secret_bytes)};
  make(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

}  // namespace

void memzero(void* data, std::size_t size) { sodium_memzero(data, size); }

void wipe(std::span<std::uint8_t> bytes) { sodium_memzero(bytes.data(), bytes.size()); }

void random_bytes(std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }
std::uint32_t random_uniform(std::uint32_t upper_bound) { return randombytes_uniform(upper_bound); }

PwhashParams PwhashParams::moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
PwhashParams PwhashParams::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PwhashParams PwhashParams::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<SecretBytes> pwhash(std::string_view passphrase, ByteView salt, const PwhashParams& params,
                           std::size_t out_len) {
  if (salt.size() != kPwhashSaltBytes) return make_error(Errc::corrupt, "key-derivation salt has the wrong length");
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN || params.opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      params.memlimit < crypto_pwhash_MEMLIMIT_MIN || params.memlimit > (std::uint64_t{1} << 32))
    return make_error(Errc::corrupt, "key-derivation parameters are out of range");
  SecretBytes out(out_len);
  // libsodium declares the password pointer non-null even when its length is zero.
  static const char empty = 0;
  const char* pw = passphrase.empty() ? &empty : passphrase.data();
  if (crypto_pwhash(out.data(), out.size(), pw, passphrase.size(), salt.data(),
                    params.opslimit, static_cast<std::size_t>(params.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(Errc::io, "not enough memory for key derivation");
  return out;
}

Bytes aead_encrypt(const SecretBytes& key, ByteView plaintext, ByteView ad) {
  if (key.size() != kAeadKeyBytes) std::abort();
  Bytes out(kAeadNonceBytes + plaintext.size() + kAeadTagBytes);
  randombytes_buf(out.data(), kAeadNonceBytes);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kAeadNonceBytes, &clen, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, out.data(), key.data());
  out.resize(kAeadNonceBytes + clen);
  return out;
}

Result<SecretBytes> aead_decrypt(const SecretBytes& key, ByteView sealed, ByteView ad) {
  if (key.size() != kAeadKeyBytes) std::abort();
  if (sealed.size() < kAeadNonceBytes + kAeadTagBytes) return make_error(Errc::corrupt, "ciphertext is truncated");
  SecretBytes out(sealed.size() - kAeadNonceBytes - kAeadTagBytes);
  unsigned long long mlen = 0;
  // SecretBytes of size 0 has no buffer; libsodium needs a valid pointer even for empty output.
  std::uint8_t empty = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.empty() ? &empty : out.data(), &mlen, nullptr,
                                                 sealed.data() + kAeadNonceBytes, sealed.size() - kAeadNonceBytes,
                                                 ad.data(), ad.size(), sealed.data(), key.data()) != 0)
    return make_error(Errc::corrupt, "authentication failed");
  return out;
}

SecretBytes kdf_derive(const SecretBytes& master, std::uint64_t subkey_id, const char (&context)[9], std::size_t len) {
  if (master.size() != kKdfKeyBytes || len < crypto_kdf_BYTES_MIN || len > crypto_kdf_BYTES_MAX) std::abort();
  SecretBytes out(len);
  crypto_kdf_derive_from_key(out.data(), len, subkey_id, context, master.data());
  return out;
}

BoxKeyPair box_keypair_from_seed(const SecretBytes& seed) {
  return keypair<BoxKeyPair>(seed, kBoxSeedBytes, kBoxSecretKeyBytes, crypto_box_seed_keypair);
}

BoxKeyPair box_keypair() { return keypair<BoxKeyPair>(kBoxSecretKeyBytes, crypto_box_keypair); }

Bytes seal(const BoxPublicKey& recipient, ByteView plaintext) {
  Bytes out(plaintext.size() + kSealOverheadBytes);
  crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), recipient.data());
  return out;
}

Result<Bytes> seal_open(const BoxKeyPair& keys, ByteView sealed) {
  if (sealed.size() < kSealOverheadBytes) return make_error(Errc::corrupt, "sealed box is truncated");
  Bytes out(sealed.size() - kSealOverheadBytes);
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), keys.public_key.data(),
                           keys.secret_key.data()) != 0)
    return make_error(Errc::corrupt, "sealed box does not open with this key");
  return out;
}

SignKeyPair sign_keypair_from_seed(const SecretBytes& seed) {
  return keypair<SignKeyPair>(seed, kSignSeedBytes, kSignSecretKeyBytes, crypto_sign_seed_keypair);
}

SignKeyPair sign_keypair() { return keypair<SignKeyPair>(kSignSecretKeyBytes, crypto_sign_keypair); }

Signature sign_detached(const SignKeyPair& keys, ByteView message) {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), keys.secret_key.data());
  return sig;
}

Status verify_detached(const SignPublicKey& key, ByteView message, const Signature& sig) {
  if (crypto_sign_verify_detached(sig.data(), message.data(), message.size(), key.data()) != 0)
    return make_error(Errc::corrupt, "signature does not verify");
  return ok_status();
}

Hash generichash(ByteView message) {
  Hash h{};
  crypto_generichash(h.data(), h.size(), message.data(), message.size(), nullptr, 0);
  return h;
}

Hash generichash_keyed(const SecretBytes& key, ByteView message) {
  return generichash_keyed(ByteView(key.data(), key.size()), message);
}

Hash generichash_keyed(ByteView key, ByteView message) {
  if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX) std::abort();
  Hash h{};
  crypto_generichash(h.data(), h.size(), message.data(), message.size(), key.data(), key.size());
  return h;
}

bool equal_ct(ByteView a, ByteView b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<SecretBytes> kx_client_to_server(const BoxKeyPair& client, const BoxPublicKey& server) {
  SecretBytes rx(crypto_kx_SESSIONKEYBYTES), tx(crypto_kx_SESSIONKEYBYTES);
  if (crypto_kx_client_session_keys(rx.data(), tx.data(), client.public_key.data(), client.secret_key.data(),
                                    server.data()) != 0)
    return make_error(Errc::corrupt, "key exchange refused the other side's public key");
  return tx;
}

Result<SecretBytes> kx_client_to_server_at_server(const BoxKeyPair& server, const BoxPublicKey& client) {
  SecretBytes rx(crypto_kx_SESSIONKEYBYTES), tx(crypto_kx_SESSIONKEYBYTES);
  if (crypto_kx_server_session_keys(rx.data(), tx.data(), server.public_key.data(), server.secret_key.data(),
                                    client.data()) != 0)
    return make_error(Errc::corrupt, "key exchange refused the other side's public key");
  return rx;
}

void stream_xchacha20(std::span<std::uint8_t> out, ByteView nonce24, ByteView key32) {
  if (nonce24.size() != crypto_stream_xchacha20_NONCEBYTES || key32.size() != crypto_stream_xchacha20_KEYBYTES)
    std::abort();
  crypto_stream_xchacha20(out.data(), out.size(), nonce24.data(), key32.data());
}

static_assert(kStreamChacha20IetfNonceBytes == crypto_stream_chacha20_ietf_NONCEBYTES);

void stream_chacha20_ietf_ic(std::span<std::uint8_t> out, ByteView nonce12, std::uint32_t ic, ByteView key32) {
  if (nonce12.size() != crypto_stream_chacha20_ietf_NONCEBYTES || key32.size() != crypto_stream_chacha20_ietf_KEYBYTES)
    std::abort();
  std::memset(out.data(), 0, out.size());
  crypto_stream_chacha20_ietf_xor_ic(out.data(), out.data(), out.size(), nonce12.data(), ic, key32.data());
}

void sodium_init_or_abort() {
  if (sodium_init() < 0) std::abort();
}

std::string to_hex(ByteView bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return make_error(Errc::corrupt, "hex text has an odd length");
  Bytes out(hex.size() / 2);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size())
    return make_error(Errc::corrupt, "text is not hexadecimal");
  out.resize(len);
  return out;
}

std::string to_base64(ByteView bytes) {
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<Bytes> from_base64(std::string_view text) {
  Bytes out(text.size() * 3 / 4 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return make_error(Errc::corrupt, "text is not base64");
  out.resize(len);
  return out;
}

std::string fingerprint(ByteView public_key) {
  Hash h = generichash(public_key);
  std::string hex = to_hex(ByteView(h.data(), 8));
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    if (!out.empty()) out += ' ';
    out += hex.substr(i, 4);
  }
  return out;
}

}  // namespace cairn::crypto

// The vault file (docs/formats.md): parse, authenticate, unwrap, rewrap.
//
// Layout, all integers little-endian:
//   The header [0, 132) is authenticated as AD of both wraps (see wrap_ad).
//   0  magic "CAIRNVLT" (8) | 8 version u16 | 10 kdf u16 (2 = Argon2id13) | 12 opslimit u64
//   20 memlimit u64 | 28 salt_pass (16) | 44 salt_recovery (16) | 60 inbox_pk (32)
//   92 device_pk (32) | 124 created i64 | 132 header end
//   132 wrapped_pass (72 = nonce 24 + key 32 + tag 16) | 204 wrapped_recovery (72)
//   276 checksum BLAKE2b-256 of bytes [0, 276) | 308 end
#include "cairn/crypto/vault.hpp"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "cairn/base/files.hpp"

namespace cairn::crypto {
namespace {

constexpr char kMagic[8] = {'C', 'A', 'I', 'R', 'N', 'V', 'L', 'T'};
constexpr std::uint16_t kKdfArgon2id13 = 2;
constexpr std::size_t kHeaderBytes = 132;
constexpr std::size_t kWrappedBytes = kAeadNonceBytes + 32 + kAeadTagBytes;
constexpr std::size_t kBodyBytes = kHeaderBytes + 2 * kWrappedBytes;
constexpr std::size_t kFileBytes = kBodyBytes + kHashBytes;
static_assert(kFileBytes == 308);
constexpr char kKdfContext[9] = "cairnkey";
enum SubkeyId : std::uint64_t { kStore = 1, kInbox = 2, kDevice = 3, kLedger = 4, kExport = 5 };

// Crockford base32 alphabet: no I, L, O, U.
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kRecoveryBytes = 20;  // 160 bits -> 32 symbols

void put_u16(Bytes& b, std::size_t at, std::uint16_t v) { for (int i = 0; i < 2; ++i) b[at + i] = (v >> (8 * i)) & 0xff; }
void put_u64(Bytes& b, std::size_t at, std::uint64_t v) { for (int i = 0; i < 8; ++i) b[at + i] = (v >> (8 * i)) & 0xff; }
std::uint16_t get_u16(const Bytes& b, std::size_t at) { return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8)); }
std::uint64_t get_u64(const Bytes& b, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

// The associated data of one wrap: the header with the OTHER wrap's salt zeroed, so changing the
// passphrase (new salt_pass) leaves the recovery wrap valid, while any other header change
// (parameters, public keys, version) breaks both.
enum class Wrap { pass, recovery };
Bytes wrap_ad(const Bytes& file, Wrap which) {
  Bytes ad(file.begin(), file.begin() + kHeaderBytes);
  std::size_t other = which == Wrap::pass ? 44 : 28;
  std::memset(ad.data() + other, 0, kPwhashSaltBytes);
  return ad;
}

struct Parsed {
  Bytes file;
  VaultPublic pub;
  ByteView salt_pass() const { return {file.data() + 28, kPwhashSaltBytes}; }
  ByteView salt_recovery() const { return {file.data() + 44, kPwhashSaltBytes}; }
  ByteView wrapped_pass() const { return {file.data() + kHeaderBytes, kWrappedBytes}; }
  ByteView wrapped_recovery() const { return {file.data() + kHeaderBytes + kWrappedBytes, kWrappedBytes}; }
};

Result<Parsed> parse_bytes(Bytes bytes) {
  if (bytes.size() > kVaultMaxBytes) return make_error(Errc::corrupt, "the vault file is damaged (too large)");
  Parsed p{std::move(bytes), {}};
  const Bytes& b = p.file;
  if (b.size() < 10 || std::memcmp(b.data(), kMagic, 8) != 0)
    return make_error(Errc::corrupt, "the vault file is damaged or not a Cairn vault");
  p.pub.version = get_u16(b, 8);
  if (p.pub.version != kVaultVersion)
    return make_error(Errc::corrupt, "the vault has version " + std::to_string(p.pub.version) +
                                         ", which this Cairn does not read");
  if (b.size() != kFileBytes) return make_error(Errc::corrupt, "the vault file is damaged (wrong length)");
  Hash sum = generichash(ByteView(b.data(), kBodyBytes));
  if (sodium_memcmp(sum.data(), b.data() + kBodyBytes, kHashBytes) != 0)
    return make_error(Errc::corrupt, "the vault file is damaged (checksum mismatch)");
  if (get_u16(b, 10) != kKdfArgon2id13) return make_error(Errc::corrupt, "the vault names an unknown key derivation");
  p.pub.params = {get_u64(b, 12), get_u64(b, 20)};
  std::memcpy(p.pub.inbox_public_key.data(), b.data() + 60, 32);
  std::memcpy(p.pub.device_public_key.data(), b.data() + 92, 32);
  p.pub.created = static_cast<std::int64_t>(get_u64(b, 124));
  return p;
}

Result<Parsed> parse(const std::filesystem::path& path) {
  auto bytes = fs::read_file(path, kVaultMaxBytes);
  if (!bytes.ok()) {
    if (bytes.error().code == Errc::not_found)
      return make_error(Errc::not_found, "no vault at " + path.string() + " (run `cairn init` first)");
    if (bytes.error().code == Errc::too_large) return make_error(Errc::corrupt, "the vault file is damaged (too large)");
    return bytes.error();
  }
  return parse_bytes(std::move(bytes).value());
}

Result<SecretBytes> unwrap(const Parsed& p, const SecretBytes& secret, Wrap which) {
  ByteView salt = which == Wrap::pass ? p.salt_pass() : p.salt_recovery();
  ByteView wrapped = which == Wrap::pass ? p.wrapped_pass() : p.wrapped_recovery();
  auto kek = pwhash(secret.view(), salt, p.pub.params);
  if (!kek.ok()) return kek.error();
  auto master = aead_decrypt(*kek, wrapped, wrap_ad(p.file, which));
  // The checksum passed, so the file is intact: a failed tag means the wrong secret.
  if (!master.ok() || master->size() != 32) return make_error(Errc::wrong_secret, "wrong passphrase or recovery code");
  return master;
}

Status write_wrapped(Bytes& file, Wrap which, const SecretBytes& secret, const PwhashParams& params,
                     const SecretBytes& master) {
  std::size_t salt_at = which == Wrap::pass ? 28 : 44;
  std::size_t at = which == Wrap::pass ? kHeaderBytes : kHeaderBytes + kWrappedBytes;
  auto kek = CAIRN_TRY(pwhash(secret.view(), ByteView(file.data() + salt_at, kPwhashSaltBytes), params));
  Bytes wrapped = aead_encrypt(kek, master.bytes(), wrap_ad(file, which));
  if (wrapped.size() != kWrappedBytes) std::abort();
  std::memcpy(file.data() + at, wrapped.data(), kWrappedBytes);
  return ok_status();
}

void seal_checksum(Bytes& file) {
  Hash sum = generichash(ByteView(file.data(), kBodyBytes));
  std::memcpy(file.data() + kBodyBytes, sum.data(), kHashBytes);
}

SecretBytes make_recovery_code() {
  SecretBytes raw(kRecoveryBytes);
  random_bytes(raw.bytes());
  // 160 bits -> 32 symbols of 5 bits, grouped by four with dashes: 32 + 7 characters.
  SecretBytes code(39);
  std::size_t out = 0;
  for (std::size_t sym = 0; sym < 32; ++sym) {
    if (sym > 0 && sym % 4 == 0) code.data()[out++] = '-';
    std::size_t bit = sym * 5;
    unsigned v = 0;
    for (std::size_t k = 0; k < 5; ++k, ++bit) v = (v << 1) | ((raw.data()[bit / 8] >> (7 - bit % 8)) & 1u);
    code.data()[out++] = static_cast<std::uint8_t>(kCrockford[v]);
  }
  return code;
}

}  // namespace

SecretBytes UnlockedKeys::store_key() const { return kdf_derive(master_, kStore, kKdfContext); }
BoxKeyPair UnlockedKeys::inbox_keys() const { return box_keypair_from_seed(kdf_derive(master_, kInbox, kKdfContext)); }
SignKeyPair UnlockedKeys::device_keys() const { return sign_keypair_from_seed(kdf_derive(master_, kDevice, kKdfContext)); }
SecretBytes UnlockedKeys::ledger_mac_key() const { return kdf_derive(master_, kLedger, kKdfContext); }
SecretBytes UnlockedKeys::export_key() const { return kdf_derive(master_, kExport, kKdfContext); }

PwhashParams default_vault_params() {
  const char* fast = std::getenv("CAIRN_INSECURE_FAST_KDF");
  if (fast != nullptr && std::strcmp(fast, "1") == 0) return PwhashParams::minimum();
  return PwhashParams::moderate();
}

bool is_weak(const PwhashParams& params) {
  auto floor = PwhashParams::interactive();
  return params.opslimit < floor.opslimit || params.memlimit < floor.memlimit;
}

Result<SecretBytes> normalise_recovery_code(const SecretBytes& typed) {
  SecretBytes out(typed.size());
  std::size_t n = 0;
  for (std::size_t i = 0; i < typed.size(); ++i) {
    char c = static_cast<char>(typed.data()[i]);
    if (c == '-' || c == ' ' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (std::strchr(kCrockford, c) == nullptr || c == '\0')
      return make_error(Errc::wrong_secret, "the recovery code holds a character it cannot contain");
    out.data()[n++] = static_cast<std::uint8_t>(c);
  }
  if (n != 32) return make_error(Errc::wrong_secret, "a recovery code has 32 characters (dashes aside)");
  out.truncate(n);
  return out;
}

Result<CreatedVault> vault_create(const std::filesystem::path& path, const SecretBytes& passphrase,
                                  const PwhashParams& params, std::int64_t now) {
  if (passphrase.empty()) return make_error(Errc::usage, "the passphrase must not be empty");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return make_error(Errc::exists, "a vault already exists at " + path.string());
  SecretBytes master(32);
  random_bytes(master.bytes());
  UnlockedKeys keys(std::move(master));
  VaultPublic pub;
  pub.params = params;
  pub.inbox_public_key = keys.inbox_keys().public_key;
  pub.device_public_key = keys.device_keys().public_key;
  pub.created = now;

  Bytes file(kFileBytes, 0);
  std::memcpy(file.data(), kMagic, 8);
  put_u16(file, 8, kVaultVersion);
  put_u16(file, 10, kKdfArgon2id13);
  put_u64(file, 12, params.opslimit);
  put_u64(file, 20, params.memlimit);
  random_bytes(std::span(file.data() + 28, 2 * kPwhashSaltBytes));
  std::memcpy(file.data() + 60, pub.inbox_public_key.data(), 32);
  std::memcpy(file.data() + 92, pub.device_public_key.data(), 32);
  put_u64(file, 124, static_cast<std::uint64_t>(now));

  SecretBytes code = make_recovery_code();
  auto canonical = CAIRN_TRY(normalise_recovery_code(code));
  CAIRN_TRY(write_wrapped(file, Wrap::pass, passphrase, params, keys.master()));
  CAIRN_TRY(write_wrapped(file, Wrap::recovery, canonical, params, keys.master()));
  seal_checksum(file);
  CAIRN_TRY(fs::write_file_atomic(path, file));
  return CreatedVault{std::move(code), std::move(keys), pub};
}

Result<VaultPublic> vault_read_public(const std::filesystem::path& path) {
  auto p = CAIRN_TRY(parse(path));
  return p.pub;
}

Result<VaultPublic> vault_inspect(ByteView bytes) {
  auto p = CAIRN_TRY(parse_bytes(Bytes(bytes.begin(), bytes.end())));
  return p.pub;
}

Result<UnlockedKeys> vault_unlock_bytes(ByteView bytes, const SecretBytes& passphrase) {
  auto p = CAIRN_TRY(parse_bytes(Bytes(bytes.begin(), bytes.end())));
  auto master = CAIRN_TRY(unwrap(p, passphrase, Wrap::pass));
  return UnlockedKeys(std::move(master));
}

Result<UnlockedKeys> vault_unlock(const std::filesystem::path& path, const SecretBytes& passphrase) {
  auto p = CAIRN_TRY(parse(path));
  auto master = CAIRN_TRY(unwrap(p, passphrase, Wrap::pass));
  return UnlockedKeys(std::move(master));
}

Result<UnlockedKeys> vault_unlock_recovery(const std::filesystem::path& path, const SecretBytes& recovery_code) {
  auto p = CAIRN_TRY(parse(path));
  auto canonical = CAIRN_TRY(normalise_recovery_code(recovery_code));
  auto master = CAIRN_TRY(unwrap(p, canonical, Wrap::recovery));
  return UnlockedKeys(std::move(master));
}

Status vault_change_passphrase(const std::filesystem::path& path, const UnlockedKeys& keys,
                               const SecretBytes& new_passphrase) {
  if (new_passphrase.empty()) return make_error(Errc::usage, "the passphrase must not be empty");
  auto p = CAIRN_TRY(parse(path));
  // Prove the keys belong to this vault before touching it.
  if (keys.inbox_keys().public_key != p.pub.inbox_public_key)
    return make_error(Errc::wrong_secret, "these keys do not belong to this vault");
  Bytes file = p.file;
  random_bytes(std::span(file.data() + 28, kPwhashSaltBytes));  // a fresh salt for the new passphrase
  CAIRN_TRY(write_wrapped(file, Wrap::pass, new_passphrase, p.pub.params, keys.master()));
  seal_checksum(file);
  return fs::write_file_atomic(path, file);
}

}  // namespace cairn::crypto

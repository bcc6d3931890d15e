// Known-answer self-test run by crypto::init() before any key is touched (as KeePassXC does):
// a miscompiled or substituted libsodium makes every Cairn program refuse to start.
// Vectors: RFC 8032 §7.1 test 1 (Ed25519), RFC 7748 §6.1 (X25519), draft-irtf-cfrg-xchacha-03
// §A.3.1 (XChaCha20-Poly1305 tag), BLAKE2b-256 of "abc" (RFC 7693 family, checked with Python's
// hashlib.blake2b(digest_size=32)).
#include <sodium.h>

#include <array>
#include <cstring>
#include <mutex>
#include <string>

#include "cairn/crypto/sodium.hpp"

namespace cairn::crypto {
namespace {

Bytes hex(const char* h) { return from_hex(h).value(); }

bool check_ed25519() {
  Bytes seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  Bytes want_pk = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Bytes want_sig = hex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f"
      "0595bbe24655141438e7a100b");
  auto kp = sign_keypair_from_seed(SecretBytes::from(seed));
  if (std::memcmp(kp.public_key.data(), want_pk.data(), want_pk.size()) != 0) return false;
  auto sig = sign_detached(kp, {});
  if (std::memcmp(sig.data(), want_sig.data(), want_sig.size()) != 0) return false;
  return verify_detached(kp.public_key, {}, sig).ok();
}

bool check_x25519() {
  Bytes sk = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  Bytes want = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  std::array<std::uint8_t, 32> pk{};
  if (crypto_scalarmult_base(pk.data(), sk.data()) != 0) return false;
  return std::memcmp(pk.data(), want.data(), 32) == 0;
}

bool check_xchacha20poly1305() {
  const std::string msg =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.";
  Bytes ad = hex("50515253c0c1c2c3c4c5c6c7");
  Bytes key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  Bytes nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657");
  Bytes want_tag = hex("c0875924c1c7987947deafd8780acf49");
  Bytes out(msg.size() + kAeadTagBytes);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, reinterpret_cast<const std::uint8_t*>(msg.data()),
                                             msg.size(), ad.data(), ad.size(), nullptr, nonce.data(), key.data());
  return len == out.size() && std::memcmp(out.data() + msg.size(), want_tag.data(), kAeadTagBytes) == 0;
}

bool check_blake2b() {
  Bytes want = hex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  Hash h = generichash(as_bytes("abc"));
  return std::memcmp(h.data(), want.data(), want.size()) == 0;
}

Status run_selftest() {
  if (!check_ed25519()) return make_error(Errc::internal, "crypto self-test failed: Ed25519 known answer");
  if (!check_x25519()) return make_error(Errc::internal, "crypto self-test failed: X25519 known answer");
  if (!check_xchacha20poly1305())
    return make_error(Errc::internal, "crypto self-test failed: XChaCha20-Poly1305 known answer");
  if (!check_blake2b()) return make_error(Errc::internal, "crypto self-test failed: BLAKE2b known answer");
  return ok_status();
}

}  // namespace

Status init() {
  static std::once_flag once;
  static Status result;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      result = make_error(Errc::internal, "libsodium could not be initialised");
      return;
    }
    result = run_selftest();
  });
  return result;
}

}  // namespace cairn::crypto

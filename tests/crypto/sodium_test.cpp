// Tests of the libsodium wrappers: each round trip, and each failure the wrappers promise
// (truncated input, wrong key, flipped byte, zero length).
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "cairn/crypto/sodium.hpp"

using namespace cairn;
using namespace cairn::crypto;

namespace {
struct Init {
  Init() { REQUIRE(init().ok()); }
};
SecretBytes random_key(std::size_t n = 32) {
  SecretBytes k(n);
  random_bytes(k.bytes());
  return k;
}
}  // namespace

TEST_CASE("init runs the self-test and is idempotent") {
  CHECK(init().ok());
  CHECK(init().ok());
}

TEST_CASE("SecretBytes is zeroed, movable, comparable in constant time") {
  Init i;
  SecretBytes a(16);
  for (auto b : a.bytes()) CHECK(b == 0);
  SecretBytes b = SecretBytes::from(std::string_view("hunter2"));
  CHECK(b.view() == "hunter2");
  SecretBytes c = std::move(b);
  CHECK(b.empty());
  CHECK(c.size() == 7);
  CHECK(c.equals(SecretBytes::from(std::string_view("hunter2"))));
  CHECK_FALSE(c.equals(SecretBytes::from(std::string_view("hunter3"))));
  c.truncate(3);
  CHECK(c.view() == "hun");
}

TEST_CASE("aead: round trip, empty plaintext, and every failure") {
  Init i;
  auto key = random_key();
  Bytes ad{1, 2, 3};
  for (std::size_t n : {0u, 1u, 1000u}) {
    Bytes msg(n, 0x5a);
    Bytes sealed = aead_encrypt(key, msg, ad);
    CHECK(sealed.size() == n + kAeadNonceBytes + kAeadTagBytes);
    auto open = aead_decrypt(key, sealed, ad);
    REQUIRE(open.ok());
    CHECK(Bytes(open->bytes().begin(), open->bytes().end()) == msg);

    CHECK(aead_decrypt(random_key(), sealed, ad).error().code == Errc::corrupt);      // wrong key
    CHECK(aead_decrypt(key, sealed, Bytes{1, 2, 4}).error().code == Errc::corrupt);   // wrong AD
    for (std::size_t at = 0; at < sealed.size(); at += 7) {                           // flipped byte
      Bytes bad = sealed;
      bad[at] ^= 0x01;
      CHECK_FALSE(aead_decrypt(key, bad, ad).ok());
    }
    Bytes truncated(sealed.begin(), sealed.end() - 1);
    CHECK_FALSE(aead_decrypt(key, truncated, ad).ok());
  }
  CHECK(aead_decrypt(key, Bytes{}, ad).error().code == Errc::corrupt);  // zero length
}

TEST_CASE("sealed boxes: round trip, wrong recipient, truncation, flipped bytes") {
  Init i;
  auto alice = box_keypair();
  auto mallory = box_keypair();
  Bytes msg{'h', 'i'};
  Bytes sealed = seal(alice.public_key, msg);
  CHECK(sealed.size() == msg.size() + kSealOverheadBytes);
  CHECK(seal_open(alice, sealed).value() == msg);
  CHECK(seal_open(mallory, sealed).error().code == Errc::corrupt);
  CHECK_FALSE(seal_open(alice, Bytes(sealed.begin(), sealed.end() - 1)).ok());
  CHECK_FALSE(seal_open(alice, Bytes{}).ok());
  for (std::size_t at = 0; at < sealed.size(); ++at) {
    Bytes bad = sealed;
    bad[at] ^= 0x80;
    CHECK_FALSE(seal_open(alice, bad).ok());
  }
  Bytes empty_sealed = seal(alice.public_key, Bytes{});
  CHECK(seal_open(alice, empty_sealed).value().empty());
  // Seeded key pairs are deterministic: the inbox key is derived, never stored.
  auto seed = random_key();
  CHECK(box_keypair_from_seed(seed).public_key == box_keypair_from_seed(seed).public_key);
}

TEST_CASE("signatures: verify, wrong key, flipped message and signature") {
  Init i;
  auto kp = sign_keypair();
  Bytes msg{1, 2, 3, 4};
  Signature sig = sign_detached(kp, msg);
  CHECK(verify_detached(kp.public_key, msg, sig).ok());
  CHECK_FALSE(verify_detached(sign_keypair().public_key, msg, sig).ok());
  Bytes other = msg;
  other[0] ^= 1;
  CHECK_FALSE(verify_detached(kp.public_key, other, sig).ok());
  Signature bad = sig;
  bad[10] ^= 1;
  CHECK_FALSE(verify_detached(kp.public_key, msg, bad).ok());
  CHECK(verify_detached(kp.public_key, {}, sign_detached(kp, {})).ok());
}

TEST_CASE("pwhash: deterministic per salt, sensitive to passphrase, salt and limits") {
  Init i;
  Bytes salt(kPwhashSaltBytes, 7);
  auto p = PwhashParams::minimum();
  auto a = pwhash("correct horse", salt, p).value();
  auto b = pwhash("correct horse", salt, p).value();
  CHECK(a.equals(b));
  CHECK_FALSE(a.equals(pwhash("correct horsf", salt, p).value()));
  Bytes salt2 = salt;
  salt2[0] ^= 1;
  CHECK_FALSE(a.equals(pwhash("correct horse", salt2, p).value()));
  CHECK(pwhash("x", Bytes(3), p).error().code == Errc::corrupt);
  CHECK(pwhash("x", salt, PwhashParams{0, 0}).error().code == Errc::corrupt);
  CHECK(pwhash("", salt, p).ok());  // the vault refuses empty passphrases; the primitive does not
}

TEST_CASE("kdf: subkeys differ by id and are stable") {
  Init i;
  auto master = random_key();
  auto k1 = kdf_derive(master, 1, "cairnkey");
  CHECK(k1.equals(kdf_derive(master, 1, "cairnkey")));
  CHECK_FALSE(k1.equals(kdf_derive(master, 2, "cairnkey")));
  CHECK_FALSE(k1.equals(kdf_derive(master, 1, "otherctx")));
}

TEST_CASE("encodings round trip and reject garbage") {
  Init i;
  Bytes data{0, 1, 2, 0xfe, 0xff};
  CHECK(to_hex(data) == "000102feff");
  CHECK(from_hex("000102feff").value() == data);
  CHECK_FALSE(from_hex("0g").ok());
  CHECK_FALSE(from_hex("abc").ok());
  CHECK(from_base64(to_base64(data)).value() == data);
  CHECK_FALSE(from_base64("***").ok());
  CHECK(fingerprint(data).size() == 19);
}

TEST_CASE("generichash known answer and keyed variant") {
  Init i;
  CHECK(to_hex(generichash(as_bytes("abc"))) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  auto key = random_key();
  CHECK(generichash_keyed(key, as_bytes("abc")) != generichash(as_bytes("abc")));
}

TEST_CASE("generichash_keyed over plain key bytes equals the SecretBytes variant") {
  Init i;
  auto key = random_key();
  const ByteView plain(key.data(), key.size());
  CHECK(generichash_keyed(plain, as_bytes("abc")) == generichash_keyed(key, as_bytes("abc")));
  CHECK(generichash_keyed(plain, as_bytes("abd")) != generichash_keyed(plain, as_bytes("abc")));
  // A different key gives a different hash of the same message.
  std::array<std::uint8_t, 32> other{};
  CHECK(generichash_keyed(ByteView(other), as_bytes("abc")) != generichash_keyed(plain, as_bytes("abc")));
}

TEST_CASE("memzero zeroes any object's memory") {
  struct Plain {
    std::int64_t a = -1;
    double b = 3.5;
    char c[5] = {'s', 'e', 'c', 'r', 't'};
  } p;
  memzero(&p, sizeof p);
  CHECK(p.a == 0);
  CHECK(p.b == 0.0);
  for (char ch : p.c) CHECK(ch == 0);
  std::string s = "a passphrase";
  memzero(s.data(), s.size());
  CHECK(s == std::string(12, '\0'));
}

TEST_CASE("key exchange: both sides derive the same client-to-server key; others do not") {
  auto client = crypto::box_keypair(), server = crypto::box_keypair(), other = crypto::box_keypair();
  auto a = crypto::kx_client_to_server(client, server.public_key);
  auto b = crypto::kx_client_to_server_at_server(server, client.public_key);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == 32);
  CHECK(a->equals(*b));
  CHECK(!crypto::kx_client_to_server(other, server.public_key)->equals(*b));
  CHECK(!crypto::kx_client_to_server_at_server(server, other.public_key)->equals(*a));
  // Direction matters: the server acting as a client towards the client gets another key.
  CHECK(!crypto::kx_client_to_server(server, client.public_key)->equals(*a));
  crypto::BoxPublicKey zero{};  // a low-order point
  CHECK(crypto::kx_client_to_server(client, zero).error().code == Errc::corrupt);
}

TEST_CASE("constant-time equality") {
  const std::uint8_t a[] = {1, 2, 3}, b[] = {1, 2, 3}, c[] = {1, 2, 4};
  CHECK(crypto::equal_ct(a, b));
  CHECK(!crypto::equal_ct(a, c));
  CHECK(!crypto::equal_ct(crypto::ByteView(a, 2), b));
  CHECK(crypto::equal_ct({}, {}));
}

TEST_CASE("stream_chacha20_ietf_ic: RFC 8439 block, counter continuity, partial blocks") {
  REQUIRE(crypto::init().ok());
  crypto::Bytes key(32), nonce = *crypto::from_hex("000000090000004a00000000");
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  std::vector<std::uint8_t> two(128), second(64), part(10);
  crypto::stream_chacha20_ietf_ic(two, nonce, 1, key);
  // RFC 8439 §2.3.2: the serialized block for counter 1 starts 10 f1 e7 e4 d1 3b 59 15 ...
  CHECK(crypto::to_hex(crypto::ByteView(two.data(), 16)) == "10f1e7e4d13b5915500fdd1fa32071c4");
  crypto::stream_chacha20_ietf_ic(second, nonce, 2, key);
  CHECK(std::equal(second.begin(), second.end(), two.begin() + 64));
  crypto::stream_chacha20_ietf_ic(part, nonce, 1, key);
  CHECK(std::equal(part.begin(), part.end(), two.begin()));
  crypto::sodium_init_or_abort();  // idempotent after init()
}

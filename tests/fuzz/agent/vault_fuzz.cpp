// Fuzz target: the vault parser, and an unlock attempt when the input's Argon2id parameters are
// cheap (a fuzzer must not spend seconds per input in key derivation).
#include <cstdint>
#include <string>

#include "cairn/crypto/vault.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool ready = cairn::crypto::init().ok();
  if (!ready) return 0;
  cairn::crypto::ByteView in(data, size);
  auto pub = cairn::crypto::vault_inspect(in);
  if (pub.ok() && pub->params.memlimit <= (1u << 20) && pub->params.opslimit <= 3)
    (void)cairn::crypto::vault_unlock_bytes(in, cairn::crypto::SecretBytes::from(std::string_view("pw")));
  return 0;
}

// Fuzz target: the leader -> helper forward batch and the helper's verdicts (sync/aggregator's
// forward_batch.hpp). The input is the part after the MAC, authenticated here with a fixed key so
// the parser behind the MAC check is reached; a batch that parses must encode back to the same
// bytes. The raw input is also tried as a whole body (the MAC check must refuse it cleanly) and
// as the helper's JSON answer.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cairn/crypto/sodium.hpp"
#include "forward_batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = cairn::crypto::init().ok();
  if (!ready) std::abort();
  static const cairn::crypto::SecretBytes key = [] {
    cairn::crypto::SecretBytes k(32);
    for (std::size_t i = 0; i < 32; ++i) k.data()[i] = static_cast<std::uint8_t>(i);
    return k;
  }();
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)cairn::aggregator::decode_forward(in, key);
  (void)cairn::aggregator::decode_verdicts(in, 3);

  // Authenticate the input as a batch body's content: encode one batch holding the input as its
  // only report to learn the MAC layout, then splice the input in after the header.
  const std::string probe = cairn::aggregator::encode_forward({{in, std::string_view()}}, key);
  const std::size_t mac_at = 13, mac_len = 32;
  std::string body = probe.substr(0, mac_at) + std::string(mac_len, '\0') + std::string(in);
  const auto mac = cairn::crypto::generichash_keyed(key, cairn::crypto::as_bytes(probe.substr(0, mac_at) + std::string(in)));
  body.replace(mac_at, mac_len, reinterpret_cast<const char*>(mac.data()), mac_len);
  auto parsed = cairn::aggregator::decode_forward(body, key);
  if (parsed.ok()) {
    if (cairn::aggregator::encode_forward(*parsed, key) != body) std::abort();
  } else if (parsed.error().code != cairn::Errc::corrupt) {
    std::abort();  // authenticated, so only a malformed shape may be refused
  }
  return 0;
}

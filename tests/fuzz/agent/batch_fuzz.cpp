// Fuzz target: inbox batches, both the plaintext decoder and the sealed-file opener.
#include <cstdint>

#include "cairn/inbox/batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool ready = cairn::crypto::init().ok();
  if (!ready) return 0;
  static const auto keys = cairn::crypto::box_keypair();
  cairn::crypto::ByteView in(data, size);
  auto plain = cairn::inbox::decode(in);
  if (plain.ok()) {
    // Whatever decodes must encode back to the same bytes (no silent reinterpretation).
    auto again = cairn::inbox::encode(*plain);
    if (again.size() != size) __builtin_trap();
  }
  (void)cairn::inbox::open_batch(in, keys);
  return 0;
}

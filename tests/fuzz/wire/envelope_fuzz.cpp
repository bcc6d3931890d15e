// Fuzz target: the binary report envelope (v2) and the sealed-share plaintexts (both roles). A parsed envelope must encode
// back to exactly the input (one encoding per envelope), and nothing may crash or read past the end.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = cairn::crypto::init().ok();
  if (!ready) std::abort();
  cairn::crypto::ByteView in(data, size);
  auto e = cairn::wire::parse_envelope(in);
  if (e.ok()) {
    auto back = cairn::wire::encode(*e);
    if (back.size() != size || std::memcmp(back.data(), data, size) != 0) std::abort();
    (void)cairn::wire::verify_envelope(*e);
  }
  for (auto role : {cairn::wire::Role::leader, cairn::wire::Role::helper}) {
    auto s = cairn::wire::parse_share(in, role);
    if (s.ok() && (s->prio3.empty() || s->prio3.size() > cairn::wire::kMaxPrio3Bytes)) std::abort();
  }
  return 0;
}

// Fuzz target: the enrollment token an employee pastes ("cairn-enroll-1." + base64url(JSON)). The
// input is tried as the whole token and, so the JSON parser behind the prefix and the base64 is
// reached, as the JSON inside a well-formed wrapper. A token that parses must encode to one that
// parses again to the same encoding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/plan.hpp"

namespace {
void check(std::string_view text) {
  auto t = cairn::wire::parse_token(text);
  if (!t.ok()) return;
  const auto once = cairn::wire::encode_token(*t);
  auto again = cairn::wire::parse_token(once);
  if (!again.ok() || cairn::wire::encode_token(*again) != once) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = cairn::crypto::init().ok();
  if (!ready) std::abort();
  check(std::string_view(reinterpret_cast<const char*>(data), size));
  check("cairn-enroll-1." + cairn::crypto::to_base64(cairn::crypto::ByteView(data, size)));
  return 0;
}

// Fuzz target: consent.conf. Whatever parses must serialise and parse back to the same text.
#include <cstdint>
#include <string>

#include "cairn/consent/consent.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto st = cairn::consent::parse(text);
  if (st.ok()) {
    auto once = cairn::consent::serialise(*st);
    auto back = cairn::consent::parse(once);
    if (!back.ok() || cairn::consent::serialise(*back) != once) __builtin_trap();
  }
  return 0;
}

// Fuzz target: the messages between the daemon and its cairn-scan child (agent/gitsrc/protocol):
// the request the child parses and the response the daemon parses, the latter written by a
// process that reads attacker-controlled repositories and calendars. A message that parses must
// encode to a message that parses again to the same encoding.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cairn/scan/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  if (auto req = cairn::scan::parse_request(json); req.ok()) {
    const auto once = cairn::scan::encode_request(*req);
    auto again = cairn::scan::parse_request(once);
    if (!again.ok() || cairn::scan::encode_request(*again) != once) std::abort();
  }
  if (auto resp = cairn::scan::parse_response(json); resp.ok()) {
    const auto once = cairn::scan::encode_response(*resp);
    auto again = cairn::scan::parse_response(once);
    if (!again.ok() || cairn::scan::encode_response(*again) != once) std::abort();
  }
  return 0;
}

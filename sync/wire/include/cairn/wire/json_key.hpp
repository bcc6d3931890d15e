// Fixed-length keys in the JSON wire formats (plan, token, enrollment): base64 text of exactly N
// bytes, read through cairn/base/json.hpp so a bad field is a one-line Errc::corrupt naming it.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "cairn/base/json.hpp"
#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::wire {

template <std::size_t N>
Result<std::array<std::uint8_t, N>> json_key(const json::Json& j, const char* key, const char* what) {
  auto s = CAIRN_TRY(json::get_str(j, key, what, 4 * N));
  auto b = crypto::from_base64(s);
  if (!b.ok() || b->size() != N)
    return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is not a " + std::to_string(N) + "-byte key");
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), b->data(), N);
  return out;
}

}  // namespace cairn::wire

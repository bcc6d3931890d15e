// Small helpers for the JSON wire formats: typed field access that reports the field's name in a
// one-line error instead of throwing, and base64 key fields of fixed length.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>
#include <string>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::share::detail {

using Json = nlohmann::json;

inline Result<Json> parse_json(std::string_view text, const char* what) {
  auto j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::corrupt, std::string(what) + ": not a JSON object");
  return j;
}

inline Result<std::string> get_str(const Json& j, const char* key, const char* what, std::size_t max_len = 1024) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is missing or not text");
  auto s = it->get<std::string>();
  if (s.size() > max_len) return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is too long");
  return s;
}

inline Result<std::uint64_t> get_uint(const Json& j, const char* key, const char* what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned())
    return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is missing or not a whole number");
  return it->get<std::uint64_t>();
}

inline Result<double> get_double(const Json& j, const char* key, const char* what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number())
    return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is missing or not a number");
  return it->get<double>();
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> get_key(const Json& j, const char* key, const char* what) {
  auto s = CAIRN_TRY(get_str(j, key, what, 4 * N));
  auto b = crypto::from_base64(s);
  if (!b.ok() || b->size() != N)
    return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is not a " + std::to_string(N) + "-byte key");
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), b->data(), N);
  return out;
}

}  // namespace cairn::share::detail

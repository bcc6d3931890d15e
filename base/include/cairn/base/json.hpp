// One way to read JSON fields: typed access that returns a Result naming the field in a one-line
// error instead of throwing, and a parse that never throws. Used by the wire formats, the
// aggregator's endpoints and the git scan protocol (header-only over nlohmann-json).
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/base/result.hpp"

namespace cairn::json {

using Json = nlohmann::json;

// Any JSON value; Errc::corrupt "<what>: not JSON" when the text does not parse.
inline Result<Json> parse(std::string_view text, const char* what, Errc code = Errc::corrupt) {
  auto j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return make_error(code, std::string(what) + ": not JSON");
  return j;
}

// A JSON object; Errc::corrupt (or `code`) "<what>: not a JSON object" otherwise.
inline Result<Json> parse_object(std::string_view text, const char* what, Errc code = Errc::corrupt) {
  auto j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(code, std::string(what) + ": not a JSON object");
  return j;
}

inline Result<std::string> get_str(const Json& j, const char* key, const char* what, std::size_t max_len = 1024,
                                   Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return make_error(code, std::string(what) + ": field '" + key + "' is missing or not text");
  auto s = it->get<std::string>();
  if (s.size() > max_len) return make_error(code, std::string(what) + ": field '" + key + "' is too long");
  return s;
}

inline Result<std::uint64_t> get_uint(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned())
    return make_error(code, std::string(what) + ": field '" + key + "' is missing or not a whole number");
  return it->get<std::uint64_t>();
}

inline Result<std::int64_t> get_int(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer())
    return make_error(code, std::string(what) + ": field '" + key + "' is missing or not a whole number");
  return it->get<std::int64_t>();
}

inline Result<double> get_double(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number())
    return make_error(code, std::string(what) + ": field '" + key + "' is missing or not a number");
  return it->get<double>();
}

// An array field (possibly empty); `code` when missing or not an array.
inline Result<const Json*> get_array(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array())
    return make_error(code, std::string(what) + ": field '" + key + "' is missing or not a list");
  return &*it;
}

}  // namespace cairn::json

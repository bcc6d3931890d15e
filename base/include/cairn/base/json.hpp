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
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::json {

using Json = nlohmann::json;

namespace detail {
inline Error field_error(Errc code, const char* what, const char* key, const char* problem) {
  return make_error(code, std::string(what) + ": \"" + key + "\" " + problem);
}
// The field, or Errc `code` "<what>: missing \"key\"".
inline Result<const Json*> field(const Json& j, const char* key, const char* what, Errc code) {
  if (!j.is_object()) return make_error(code, std::string(what) + " must be a JSON object");
  auto it = j.find(key);
  if (it == j.end()) return make_error(code, std::string(what) + ": missing \"" + key + "\"");
  return &*it;
}
}  // namespace detail

// Any JSON value; `code` (corrupt by default) "<what> is not valid JSON" when the text does not parse.
inline Result<Json> parse(std::string_view text, const char* what, Errc code = Errc::corrupt) {
  auto j = Json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return make_error(code, std::string(what) + " is not valid JSON");
  return j;
}

// A JSON object; "<what> must be a JSON object" for any other valid JSON.
inline Result<Json> parse_object(std::string_view text, const char* what, Errc code = Errc::corrupt) {
  auto j = CAIRN_TRY(parse(text, what, code));
  if (!j.is_object()) return make_error(code, std::string(what) + " must be a JSON object");
  return j;
}

// A value that must be an object (an entry of a list, say).
inline Status need_object(const Json& j, const char* what, Errc code = Errc::corrupt) {
  if (!j.is_object()) return make_error(code, std::string(what) + " must be a JSON object");
  return ok_status();
}

// A value that must be a string (an entry of a list, say) of at most max_len bytes; `code`
// "<what> must be a string" / "<what> is too long" otherwise.
inline Result<std::string> as_str(const Json& v, const char* what, std::size_t max_len = 1024, Errc code = Errc::corrupt) {
  if (!v.is_string()) return make_error(code, std::string(what) + " must be a string");
  auto s = v.get<std::string>();
  if (s.size() > max_len) return make_error(code, std::string(what) + " is too long");
  return s;
}

inline Result<std::string> get_str(const Json& j, const char* key, const char* what, std::size_t max_len = 1024,
                                   Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_string()) return detail::field_error(code, what, key, "must be a string");
  auto s = v.get<std::string>();
  if (s.size() > max_len) return detail::field_error(code, what, key, "is too long");
  return s;
}

inline Result<std::uint64_t> get_uint(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_number_unsigned()) return detail::field_error(code, what, key, "must be a whole number, not negative");
  return v.get<std::uint64_t>();
}

inline Result<std::int64_t> get_int(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_number_integer()) return detail::field_error(code, what, key, "must be an integer");
  return v.get<std::int64_t>();
}

// get_int limited to [lo, hi]; "<what>: \"key\" is out of range" otherwise.
inline Result<std::int64_t> get_int_in(const Json& j, const char* key, const char* what, std::int64_t lo, std::int64_t hi,
                                       Errc code = Errc::corrupt) {
  const auto v = CAIRN_TRY(get_int(j, key, what, code));
  if (v < lo || v > hi) return detail::field_error(code, what, key, "is out of range");
  return v;
}

inline Result<double> get_double(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_number()) return detail::field_error(code, what, key, "must be a number");
  return v.get<double>();
}

// An optional boolean: `fallback` when absent, an error when present but not true/false.
inline Result<bool> opt_bool(const Json& j, const char* key, bool fallback, const char* what, Errc code = Errc::corrupt) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_boolean()) return detail::field_error(code, what, key, "must be true or false");
  return it->get<bool>();
}

// Optional fields: `fallback` when absent (or when `j` is not an object), otherwise exactly what
// the get_ function of the same type gives: the value, or its one-line error (null included).
inline Result<std::string> opt_str(const Json& j, const char* key, std::string fallback, const char* what,
                                   std::size_t max_len = 1024, Errc code = Errc::corrupt) {
  if (!j.contains(key)) return fallback;
  return get_str(j, key, what, max_len, code);
}

inline Result<std::uint64_t> opt_uint(const Json& j, const char* key, std::uint64_t fallback, const char* what,
                                      Errc code = Errc::corrupt) {
  if (!j.contains(key)) return fallback;
  return get_uint(j, key, what, code);
}

inline Result<std::int64_t> opt_int(const Json& j, const char* key, std::int64_t fallback, const char* what,
                                    Errc code = Errc::corrupt) {
  if (!j.contains(key)) return fallback;
  return get_int(j, key, what, code);
}

inline Result<double> opt_double(const Json& j, const char* key, double fallback, const char* what, Errc code = Errc::corrupt) {
  if (!j.contains(key)) return fallback;
  return get_double(j, key, what, code);
}

// An object field: "<what>: missing \"key\"" or "<what>: \"key\" must be a JSON object".
inline Result<const Json*> get_object(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_object()) return detail::field_error(code, what, key, "must be a JSON object");
  return &v;
}

// An optional object field: nullptr when absent, an error when present but not an object.
inline Result<const Json*> opt_object(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  if (!j.contains(key)) return static_cast<const Json*>(nullptr);
  return get_object(j, key, what, code);
}

// The items of an array field `key` that must all be strings: "<what>: \"key\" must hold strings".
inline Result<std::vector<std::string>> str_items(const Json& array, const char* key, const char* what,
                                                  std::size_t max_len = 1024, Errc code = Errc::corrupt) {
  std::vector<std::string> out;
  for (const Json& v : array) {
    if (!v.is_string()) return detail::field_error(code, what, key, "must hold strings");
    auto s = v.get<std::string>();
    if (s.size() > max_len) return detail::field_error(code, what, key, "holds a string that is too long");
    out.push_back(std::move(s));
  }
  return out;
}

// An array field (possibly empty); `code` when missing or not an array.
inline Result<const Json*> get_array(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  const Json& v = *CAIRN_TRY(detail::field(j, key, what, code));
  if (!v.is_array()) return detail::field_error(code, what, key, "must be an array");
  return &v;
}

// An optional array field: nullptr when absent, an error when present but not an array.
inline Result<const Json*> opt_array(const Json& j, const char* key, const char* what, Errc code = Errc::corrupt) {
  if (!j.contains(key)) return static_cast<const Json*>(nullptr);
  return get_array(j, key, what, code);
}

}  // namespace cairn::json

// Counts in words and making outside text safe to show: see text.hpp for the rules.
#include "cairn/base/text.hpp"

#include <cstdint>
#include <cstdio>

namespace cairn {
namespace {

// Decodes one UTF-8 scalar at s[i]; returns its length, or 0 when the bytes there are not valid
// UTF-8 (overlong forms, surrogates, values past U+10FFFF and truncated sequences included).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  std::size_t n;
  char32_t min;
  if (b0 < 0x80) { cp = b0; return 1; }
  if ((b0 & 0xE0) == 0xC0) { n = 2; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { n = 3; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { n = 4; cp = b0 & 0x07; min = 0x10000; }
  else return 0;
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<std::uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool is_bidi_or_separator(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void append_hex(std::string& out, const char* format, unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, value);
  out += buf;
}

}  // namespace

std::string count_text(std::int64_t n, std::string_view one, std::string_view many) {
  std::string out = std::to_string(n);
  out += ' ';
  out += n == 1 ? one : many;
  return out;
}

std::string safe_outside_text(std::string_view text, bool multi_line) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for each byte that does not start a valid sequence
      ++i;
      continue;
    }
    if (cp == '\n' && multi_line) out += '\n';
    else if (cp == '\t') out += ' ';
    else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) append_hex(out, "\\x%02X", static_cast<unsigned>(cp));
    else if (is_bidi_or_separator(cp)) append_hex(out, "\\u{%04X}", static_cast<unsigned>(cp));
    else out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

bool is_safe_outside_text(std::string_view text, bool multi_line) { return safe_outside_text(text, multi_line) == text; }

}  // namespace cairn

// Hex helpers for the vdaf tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::vdaf::test {

inline std::string hex(const std::vector<std::uint8_t>& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto c : b) s += d[c >> 4], s += d[c & 15];
  return s;
}

inline std::vector<std::uint8_t> unhex(const std::string& s) {
  auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; };
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<std::uint8_t>(nib(s[i]) * 16 + nib(s[i + 1])));
  return out;
}

}  // namespace cairn::vdaf::test

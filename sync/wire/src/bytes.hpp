// Little-endian byte writer and bounds-checked reader for the binary wire formats (envelope,
// shares). The reader never reads past its span: every get fails once and stays failed, so a
// parser checks ok() once at the end instead of after every field.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::wire::detail {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { for (int i = 0; i < 2; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i))); }
  void u32(std::uint32_t v) { for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i))); }
  void u64(std::uint64_t v) { for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i))); }
  void raw(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void raw(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  // Strings are u16-length-prefixed; callers enforce their own smaller limits first.
  void str(std::string_view s) { u16(static_cast<std::uint16_t>(s.size())); raw(s); }
  void blob(std::span<const std::uint8_t> b) { u32(static_cast<std::uint32_t>(b.size())); raw(b); }
  std::vector<std::uint8_t>& bytes() { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return ok_ && pos_ == in_.size(); }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return ok_ ? in_.size() - pos_ : 0; }

  std::uint64_t uint(int bytes) {
    if (!take(static_cast<std::size_t>(bytes))) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t{in_[pos_ - bytes + i]} << (8 * i);
    return v;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(uint(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(uint(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::uint64_t u64() { return uint(8); }
  std::span<const std::uint8_t> raw(std::size_t n) {
    if (!take(n)) return {};
    return in_.subspan(pos_ - n, n);
  }
  template <std::size_t N>
  void fixed(std::array<std::uint8_t, N>& out) {
    auto b = raw(N);
    if (ok_) std::memcpy(out.data(), b.data(), N);
  }
  std::string str(std::size_t max_len) {
    const std::size_t n = u16();
    if (n > max_len) { ok_ = false; return {}; }
    auto b = raw(n);
    return ok_ ? std::string(b.begin(), b.end()) : std::string();
  }
  std::span<const std::uint8_t> blob(std::size_t max_len) {
    const std::size_t n = u32();
    if (n > max_len) { ok_ = false; return {}; }
    return raw(n);
  }

 private:
  bool take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) { ok_ = false; return false; }
    pos_ += n;
    return true;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace cairn::wire::detail

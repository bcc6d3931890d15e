// SecretBytes: the only place a key or a passphrase lives. Memory comes from sodium_malloc
// (guard pages, mlock'ed, canary) and is wiped and freed on destruction. Move-only: a secret is
// never copied by accident. REQUIRES: crypto::init() succeeded before the first allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cairn::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);  // zero-filled
  static SecretBytes from(std::span<const std::uint8_t> bytes);
  static SecretBytes from(std::string_view text);
  ~SecretBytes();

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  std::span<std::uint8_t> bytes() { return {data_, size_}; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }

  // Shrinks the visible size (e.g. after reading a line into a larger buffer); never grows.
  void truncate(std::size_t size);

  // Constant-time comparison.
  bool equals(const SecretBytes& other) const;

 private:
  void release();
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace cairn::crypto

// SecretBytes over sodium_malloc: guard pages around, mlock'ed, wiped by sodium_free.
//
// sodium_malloc() locks the pages (no swap) and marks them MADV_DONTDUMP (no core file); it ignores
// an mlock that RLIMIT_MEMLOCK refuses, so on a machine with a tiny limit a secret may reach swap.
// Debian's default limit (8 MiB) holds thousands of SecretBytes; tests/memory/memory_test checks
// both flags in /proc/self/smaps and says when the limit is too small.
#include "cairn/crypto/secret.hpp"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace cairn::crypto {

SecretBytes::SecretBytes(std::size_t size) : size_(size) {
  if (size == 0) return;
  data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
  if (data_ == nullptr) std::abort();  // out of locked memory: nothing sensible to do with a key
  sodium_memzero(data_, size);
}

SecretBytes SecretBytes::from(std::span<const std::uint8_t> bytes) {
  SecretBytes s(bytes.size());
  if (!bytes.empty()) std::memcpy(s.data_, bytes.data(), bytes.size());
  return s;
}

SecretBytes SecretBytes::from(std::string_view text) {
  return from(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

SecretBytes::~SecretBytes() { release(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SecretBytes::release() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before unmapping
  data_ = nullptr;
  size_ = 0;
}

void SecretBytes::truncate(std::size_t size) {
  if (size > size_) std::abort();
  if (data_ != nullptr) sodium_memzero(data_ + size, size_ - size);
  size_ = size;
}

bool SecretBytes::equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

}  // namespace cairn::crypto

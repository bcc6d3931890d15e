// Where the noise's randomness comes from. RandomSource hands out bytes, single bits and uniform
// integers without modulo bias (rejection on the fewest bits), and counts every byte it pulls from
// its generator so the benchmark can time the generator alone for the same number of bytes.
//
// SodiumRandom (libsodium randombytes_buf) is the only source production code may use.
// DeterministicRandom (ChaCha20 keyed by a seed) exists for reproducible tests only.
//
// Thread safety: a RandomSource is NOT thread-safe; use one per thread. Buffered bytes are wiped
// on destruction (noise must stay secret: knowing it undoes the privacy it buys).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace cairn::dp {

class RandomSource {
 public:
  virtual ~RandomSource();
  RandomSource(const RandomSource&) = delete;
  RandomSource& operator=(const RandomSource&) = delete;

  // Fills `out` straight from the generator (counted).
  void fill(std::span<std::uint8_t> out);
  std::uint64_t next_u64();
  bool next_bit() {  // inline: the exact samplers call this once per compared digit
    if (bits_left_ == 0) {
      bits_ = next_word();
      bits_left_ = 64;
    }
    const bool b = bits_ & 1u;
    bits_ >>= 1;
    --bits_left_;
    return b;
  }
  // `count` uniform bits in the low end, count in [1, 64].
  std::uint64_t next_bits(unsigned count);
  // Uniform in [0, bound). REQUIRES bound > 0 (aborts otherwise). Draws bit_width(bound-1) bits
  // and rejects values >= bound, so the result is exactly uniform.
  std::uint64_t uniform_below(std::uint64_t bound);
  unsigned __int128 uniform_below_u128(unsigned __int128 bound);

  // Bytes pulled from the generator so far (including those still buffered, < 256).
  std::uint64_t bytes_drawn() const { return drawn_; }

 protected:
  RandomSource() = default;
  virtual void generate(std::span<std::uint8_t> out) = 0;

 private:
  std::uint64_t next_word();
  std::array<std::uint8_t, 256> pool_{};
  std::size_t pool_pos_ = 256;
  std::uint64_t bits_ = 0;
  unsigned bits_left_ = 0;
  std::uint64_t drawn_ = 0;
};

// libsodium's CSPRNG. Calls sodium_init() itself (idempotent); aborts if libsodium cannot start.
class SodiumRandom final : public RandomSource {
 public:
  SodiumRandom();

 protected:
  void generate(std::span<std::uint8_t> out) override;
};

// Tests only: the ChaCha20 (IETF) keystream under a key derived from `seed`, so a failing
// statistical test can be replayed exactly.
class DeterministicRandom final : public RandomSource {
 public:
  explicit DeterministicRandom(std::uint64_t seed);
  ~DeterministicRandom() override;

 protected:
  void generate(std::span<std::uint8_t> out) override;

 private:
  std::array<std::uint8_t, 32> key_{};
  std::uint64_t block_ = 0;  // next 64-byte keystream block
};

}  // namespace cairn::dp

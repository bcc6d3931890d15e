// RandomSource buffering and bit handling, and its two generators (see random.hpp).
#include "cairn/dp/random.hpp"

#include <bit>
#include <cstdlib>
#include <cstring>

#include "cairn/crypto/sodium.hpp"

namespace cairn::dp {

RandomSource::~RandomSource() {
  crypto::wipe(pool_);
  crypto::wipe({reinterpret_cast<std::uint8_t*>(&bits_), sizeof bits_});
}

void RandomSource::fill(std::span<std::uint8_t> out) {
  generate(out);
  drawn_ += out.size();
}

std::uint64_t RandomSource::next_word() {
  if (pool_pos_ + 8 > pool_.size()) {
    fill(pool_);
    pool_pos_ = 0;
  }
  std::uint64_t w;
  std::memcpy(&w, pool_.data() + pool_pos_, 8);
  pool_pos_ += 8;
  return w;
}

std::uint64_t RandomSource::next_u64() { return next_word(); }

std::uint64_t RandomSource::next_bits(unsigned count) {
  if (count == 0 || count > 64) std::abort();
  auto low_mask = [](unsigned n) { return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1; };
  if (count <= bits_left_) {
    const std::uint64_t v = bits_ & low_mask(count);
    bits_ = count >= 64 ? 0 : bits_ >> count;
    bits_left_ -= count;
    return v;
  }
  const unsigned have = bits_left_;
  const std::uint64_t low = bits_;
  const std::uint64_t w = next_word();
  const unsigned need = count - have;
  const std::uint64_t v = low | ((w & low_mask(need)) << have);  // have < 64 here
  bits_ = need >= 64 ? 0 : w >> need;
  bits_left_ = 64 - need;
  return v;
}

std::uint64_t RandomSource::uniform_below(std::uint64_t bound) {
  if (bound == 0) std::abort();
  if (bound == 1) return 0;
  const unsigned width = static_cast<unsigned>(std::bit_width(bound - 1));
  for (;;) {
    const std::uint64_t v = next_bits(width);
    if (v < bound) return v;  // accepted with probability > 1/2
  }
}

unsigned __int128 RandomSource::uniform_below_u128(unsigned __int128 bound) {
  if (bound == 0) std::abort();
  if (bound <= UINT64_MAX) return uniform_below(static_cast<std::uint64_t>(bound));
  const auto high = static_cast<std::uint64_t>(bound >> 64);
  const unsigned width = 64 + static_cast<unsigned>(std::bit_width(high));
  for (;;) {
    const std::uint64_t lo = next_bits(64);
    const std::uint64_t hi = next_bits(width - 64);
    const unsigned __int128 v = (static_cast<unsigned __int128>(hi) << 64) | lo;
    if (v < bound) return v;
  }
}

SodiumRandom::SodiumRandom() {
  crypto::sodium_init_or_abort();  // no CSPRNG, no noise: never continue
}

void SodiumRandom::generate(std::span<std::uint8_t> out) { crypto::random_bytes(out); }

DeterministicRandom::DeterministicRandom(std::uint64_t seed) {
  crypto::sodium_init_or_abort();
  // key = BLAKE2b-256("cairn-dp-test-rng" || seed as 8 little-endian bytes)
  std::uint8_t input[17 + 8];
  std::memcpy(input, "cairn-dp-test-rng", 17);
  for (int i = 0; i < 8; ++i) input[17 + i] = static_cast<std::uint8_t>(seed >> (8 * i));
  key_ = crypto::generichash({input, sizeof input});
}

DeterministicRandom::~DeterministicRandom() { crypto::wipe(key_); }

void DeterministicRandom::generate(std::span<std::uint8_t> out) {
  // Keystream position = block_: high 32 bits go into the nonce, low 32 bits are the IETF block
  // counter, so the stream never repeats. Whole blocks only; a partial last block is discarded.
  static constexpr std::size_t kChunkBlocks = 64;
  std::uint8_t chunk[kChunkBlocks * 64];
  std::size_t done = 0;
  while (done < out.size()) {
    const auto ic = static_cast<std::uint32_t>(block_);
    std::array<std::uint8_t, crypto::kStreamChacha20IetfNonceBytes> nonce{};
    const std::uint64_t high = block_ >> 32;
    for (int i = 0; i < 8; ++i) nonce[i] = static_cast<std::uint8_t>(high >> (8 * i));
    std::size_t blocks = (out.size() - done + 63) / 64;
    if (blocks > kChunkBlocks) blocks = kChunkBlocks;
    const std::uint64_t to_wrap = (std::uint64_t{1} << 32) - ic;
    if (blocks > to_wrap) blocks = static_cast<std::size_t>(to_wrap);
    crypto::stream_chacha20_ietf_ic({chunk, blocks * 64}, nonce, ic, key_);
    std::size_t take = blocks * 64;
    if (take > out.size() - done) take = out.size() - done;
    std::memcpy(out.data() + done, chunk, take);
    done += take;
    block_ += blocks;
  }
  crypto::wipe(chunk);
}

}  // namespace cairn::dp

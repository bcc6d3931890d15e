// RandomSource: reproducibility of the test generator, byte counting, unbiased uniform integers.
#include <doctest/doctest.h>

#include <array>
#include <vector>

#include "cairn/dp/random.hpp"
#include "stats.hpp"

using namespace cairn::dp;

TEST_CASE("DeterministicRandom replays the same stream for the same seed") {
  DeterministicRandom a(7), b(7), c(8);
  std::array<std::uint8_t, 300> x{}, y{}, z{};
  a.fill(x);
  b.fill(y);
  c.fill(z);
  CHECK(x == y);
  CHECK(x != z);
  // The stream continues rather than restarting: the next block differs from the first.
  std::array<std::uint8_t, 300> x2{};
  a.fill(x2);
  CHECK(x2 != x);
  // Splitting a request does not change the bytes: 64-byte blocks are never reused.
  DeterministicRandom d(7);
  std::array<std::uint8_t, 64> first{}, second{};
  d.fill(first);
  d.fill(second);
  CHECK(std::equal(first.begin(), first.end(), x.begin()));
  CHECK(std::equal(second.begin(), second.end(), x.begin() + 64));
}

TEST_CASE("bytes_drawn counts what the generator produced") {
  DeterministicRandom r(1);
  CHECK(r.bytes_drawn() == 0);
  std::array<std::uint8_t, 10> buf{};
  r.fill(buf);
  CHECK(r.bytes_drawn() == 10);
  (void)r.next_bit();  // refills the 256-byte pool
  CHECK(r.bytes_drawn() == 266);
  for (int i = 0; i < 31; ++i) (void)r.next_u64();  // 31 more words: the pool held 32
  CHECK(r.bytes_drawn() == 266);
  (void)r.next_u64();
  CHECK(r.bytes_drawn() == 522);
}

TEST_CASE("uniform_below is within bounds and unbiased") {
  DeterministicRandom r(3);
  for (std::uint64_t bound : {1ULL, 2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 63) + 5}) {
    for (int i = 0; i < 2000; ++i) CHECK(r.uniform_below(bound) < bound);
  }
  // Chi-square over 6 faces, 600000 throws; critical value at 1e-7 for 5 df.
  std::array<std::uint64_t, 6> counts{};
  for (int i = 0; i < 600000; ++i) counts[r.uniform_below(6)]++;
  long double chi2 = 0;
  for (auto c : counts) chi2 += (c - 100000.0L) * (c - 100000.0L) / 100000.0L;
  CHECK(chi2 < cairn::dp::test::chi2_critical(5));
  const unsigned __int128 big = (static_cast<unsigned __int128>(1) << 100) + 3;
  for (int i = 0; i < 1000; ++i) CHECK(r.uniform_below_u128(big) < big);
}

TEST_CASE("next_bits spans word boundaries") {
  DeterministicRandom a(4), b(4);
  // 3 + 61 + 64 bits from one source equal the first two words of the other.
  const std::uint64_t w0 = b.next_u64(), w1 = b.next_u64();
  const std::uint64_t p = a.next_bits(3), q = a.next_bits(63), s = a.next_bits(62);
  CHECK(p == (w0 & 7));
  CHECK(q == ((w0 >> 3) | ((w1 & 3) << 61)));
  CHECK(s == (w1 >> 2));
}

TEST_CASE("SodiumRandom produces varying bytes") {
  SodiumRandom r;
  std::array<std::uint8_t, 32> a{}, b{};
  r.fill(a);
  r.fill(b);
  CHECK(a != b);
}

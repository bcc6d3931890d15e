// Additive secret sharing: round trip, the centred lift, and that either share alone is uniform.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "cairn/crypto/sodium.hpp"
#include "cairn/wire/sharing.hpp"

using namespace cairn;

namespace {
void init() { REQUIRE(crypto::init().ok()); }

// Chi-square statistic of the top byte of a set of words against the uniform distribution (255
// degrees of freedom: mean 255, sd ~22.6). 400 is ~6.5 sd: a false alarm is vanishingly rare.
double chi_square_top_byte(const std::vector<std::uint64_t>& words) {
  std::vector<double> counts(256, 0);
  for (auto w : words) counts[w >> 56] += 1;
  const double expected = static_cast<double>(words.size()) / 256.0;
  double chi = 0;
  for (double c : counts) chi += (c - expected) * (c - expected) / expected;
  return chi;
}
}  // namespace

TEST_CASE("split then combine gives back the vector, negative values included") {
  init();
  std::vector<std::int64_t> y = {0, 1, -1, 123456789, -987654321, std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::max()};
  auto s = wire::split(y);
  REQUIRE(s.leader.size() == y.size());
  auto back = wire::combine(s.leader, wire::expand_seed(s.helper, y.size()));
  CHECK(back == y);
}

TEST_CASE("sums of many shares decode to the sum of the vectors") {
  init();
  std::vector<std::uint64_t> leader(3, 0), helper(3, 0);
  std::int64_t truth[3] = {0, 0, 0};
  for (int d = 0; d < 50; ++d) {
    std::vector<std::int64_t> y = {d - 25, 1000 * d, -7};
    for (int i = 0; i < 3; ++i) truth[i] += y[i];
    auto s = wire::split(y);
    wire::add_into(leader, s.leader);
    wire::add_into(helper, wire::expand_seed(s.helper, 3));
  }
  auto out = wire::combine(leader, helper);
  CHECK(out[0] == truth[0]);
  CHECK(out[1] == truth[1]);
  CHECK(out[2] == truth[2]);
}

TEST_CASE("centred lift maps residues to [-2^63, 2^63)") {
  CHECK(wire::centred_lift(0) == 0);
  CHECK(wire::centred_lift(~std::uint64_t{0}) == -1);
  CHECK(wire::centred_lift(std::uint64_t{1} << 63) == std::numeric_limits<std::int64_t>::min());
  CHECK(wire::centred_lift((std::uint64_t{1} << 63) - 1) == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("either share alone is uniform whatever the value") {
  init();
  // The same constant vector shared 20000 times: the leader's words and the helper's seed bytes
  // must both look uniform, and the leader share never equals the value.
  std::vector<std::uint64_t> leader_words, helper_words;
  const std::vector<std::int64_t> y(4, 42);
  for (int r = 0; r < 5000; ++r) {
    auto s = wire::split(y);
    for (auto w : s.leader) {
      leader_words.push_back(w);
      CHECK(w != 42u);
    }
    for (int i = 0; i < 4; ++i) {
      std::uint64_t w = 0;
      for (int b = 0; b < 8; ++b) w |= std::uint64_t{s.helper[i * 8 + b]} << (8 * b);
      helper_words.push_back(w);
    }
  }
  CHECK(chi_square_top_byte(leader_words) < 400);
  CHECK(chi_square_top_byte(helper_words) < 400);
}

TEST_CASE("the PRG is deterministic in the seed and differs across seeds") {
  init();
  wire::Seed a{}, b{};
  b[0] = 1;
  CHECK(wire::expand_seed(a, 4) == wire::expand_seed(a, 4));
  CHECK(wire::expand_seed(a, 4) != wire::expand_seed(b, 4));
  // A prefix property: expanding more words keeps the first ones.
  auto four = wire::expand_seed(a, 4);
  auto two = wire::expand_seed(a, 2);
  CHECK(two[0] == four[0]);
  CHECK(two[1] == four[1]);
}

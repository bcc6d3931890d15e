// What an insider with an aggregator's disk and key file sees: over a thousand reports of one and
// the same value, every stored Prio3 output share (leader's and helper's) is uniformly distributed
// over Field64, and no stored word is anywhere near the value.
#include <cmath>

#include "fixture.hpp"
#include "state_reader.hpp"

using namespace cairn;
using test::Pair;

namespace {
double chi_square(const std::vector<int>& counts, double expected) {
  double chi = 0;
  for (int c : counts) chi += (c - expected) * (c - expected) / expected;
  return chi;
}
}  // namespace

TEST_CASE("stored shares are uniform and hold no value, whatever the devices sent") {
  const std::size_t n = 1200;
  Pair p("privacy_uniform", 3, n);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(p.upload(p.report(i, 38 * 60)).status == 201);
  const auto base = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / "privacy_uniform";
  std::string err;
  auto leader = test::read_reports(base / "leader", err);
  REQUIRE_MESSAGE(err.empty(), err);
  auto helper = test::read_reports(base / "helper", err);
  REQUIRE_MESSAGE(err.empty(), err);
  REQUIRE(leader.size() == n);
  REQUIRE(helper.size() == n);

  for (const auto* side : {&leader, &helper}) {
    std::vector<int> top(256, 0);
    int near = 0;
    for (const auto& r : *side) {
      REQUIRE(r.share.size() == 8);  // one Field64 coordinate
      std::uint64_t v = 0;
      for (int b = 0; b < 8; ++b) v |= std::uint64_t{r.share[b]} << (8 * b);
      ++top[v >> 56];
      const auto s = static_cast<std::int64_t>(v);
      near += (s > -1'000'000'000 && s < 1'000'000'000);  // probability ~1e-10 per word if uniform
    }
    CHECK(near == 0);
    // 255 degrees of freedom: mean 255, sd 22.6; 400 is 6.4 sd. (Field64 misses only 2^32 - 1
    // values at the very top, invisible here.)
    CHECK(chi_square(top, n / 256.0) < 400);
  }

  // And yet the two together decode to 1200 x 38 hours, up to the two noise layers (6 sd).
  auto rel = p.leader->release(p.plan.id, "2026-11");
  REQUIRE(rel.ok());
  const double sd = std::sqrt(rel->values[0].noise_variance) / p.plan.metrics[0].scale;
  CHECK(std::abs(rel->values[0].noisy_sum - 1200.0 * 38) < 6 * sd);
}

// The row form of a ledger entry: canonical, strict, and a faithful round trip.
#include <doctest/doctest.h>

#include "cairn/budget/budget.hpp"

using namespace cairn;
using namespace cairn::budget;

namespace {
dp::LedgerEntry sample_entry() {
  dp::LedgerEntry e;
  e.seq = 3;
  e.time = 1795000000;
  e.plan_id = "plan-eng-2026";
  e.period = "2026-W47";
  e.cost = {dp::NoiseTerm{dp::Mechanism::skellam, dp::Rational{5, 2}, 2400, 5760000},
            dp::NoiseTerm{dp::Mechanism::discrete_gaussian, dp::Rational{18446744073709551615ull, 3}, 0, 1}};
  for (std::size_t i = 0; i < e.prev_hash.size(); ++i) e.prev_hash[i] = static_cast<std::uint8_t>(i * 7);
  e.hash = dp::entry_hash(e);
  return e;
}
}  // namespace

TEST_CASE("cost and hashes have one canonical text form") {
  const auto e = sample_entry();
  CHECK(encode_cost(e.cost) == "skellam,5/2,2400,5760000;gaussian,18446744073709551615/3,0,1");
  CHECK(hash_hex(e.prev_hash).substr(0, 8) == "00070e15");
  const auto row = to_row(e);
  CHECK(row.seq == 3);
  CHECK(row.cost == encode_cost(e.cost));
  CHECK(row.hash.size() == 64);
  auto back = from_row(row);
  REQUIRE(back.ok());
  CHECK(*back == e);
}

TEST_CASE("malformed or non-canonical rows are refused as corrupt") {
  for (const char* bad : {"", "skellam,5/2,1", "skellam,5/0,1,1", "skellam,05/2,1,1", "skellam,+5/2,1,1", "laplace,5/2,1,1",
                          "skellam,5/2,1,1;", "skellam,5/2,1,1 ", "skellam,5/2,1,18446744073709551616", "skellam,5/2/1,1,1",
                          "Skellam,5/2,1,1"}) {
    auto c = decode_cost(bad);
    CHECK_MESSAGE(!c.ok(), bad);
    if (!c.ok()) CHECK(c.error().code == Errc::corrupt);
  }
  CHECK(decode_cost("skellam,0/1,0,0").ok());
  std::string hex(64, 'a');
  CHECK(hash_from_hex(hex).ok());
  CHECK_FALSE(hash_from_hex(hex.substr(1)).ok());
  hex[5] = 'A';
  CHECK_FALSE(hash_from_hex(hex).ok());  // uppercase is not the canonical form
  auto row = to_row(sample_entry());
  row.seq = -1;
  CHECK(from_row(row).error().code == Errc::corrupt);
  row = to_row(sample_entry());
  row.prev_hash = "zz";
  CHECK(from_row(row).error().code == Errc::corrupt);
}

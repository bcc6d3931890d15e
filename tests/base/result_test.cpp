// The error type: values, errors and CAIRN_TRY propagation.
#include <doctest/doctest.h>

#include "cairn/base/result.hpp"

using namespace cairn;

namespace {
Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(Errc::usage, "must be positive");
  return v;
}
Result<int> doubled(int v) {
  int x = CAIRN_TRY(parse_positive(v));
  return 2 * x;
}
Status check(int v) {
  CAIRN_TRY(parse_positive(v));
  return ok_status();
}
}  // namespace

TEST_CASE("Result carries a value or an error, and CAIRN_TRY propagates") {
  CHECK(doubled(4).value() == 8);
  auto bad = doubled(-1);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::usage);
  CHECK(bad.error().message == "must be positive");
  CHECK(check(1).ok());
  CHECK(check(0).error().code == Errc::usage);
  CHECK(std::string(errc_name(Errc::wrong_secret)) == "wrong-secret");
}

// The one Errc -> exit status map, as the README's table gives it (the aggregator used to give 1
// for a wrong secret and for too large input).
#include <doctest/doctest.h>

#include "cairn/base/exit_codes.hpp"

using namespace cairn;

TEST_CASE("every error code maps to the README's exit status") {
  CHECK(exit_code_for(Errc::usage) == 2);
  CHECK(exit_code_for(Errc::too_large) == 2);
  CHECK(exit_code_for(Errc::wrong_secret) == 3);
  CHECK(exit_code_for(Errc::corrupt) == 4);
  CHECK(exit_code_for(Errc::not_found) == 5);
  CHECK(exit_code_for(Errc::refused) == 6);
  for (Errc c : {Errc::exists, Errc::io, Errc::network, Errc::internal}) CHECK(exit_code_for(c) == 1);
}

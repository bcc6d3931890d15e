// Rational parsing and arithmetic: what a person types becomes the exact fraction.
#include <doctest/doctest.h>

#include "cairn/dp/rational.hpp"

using cairn::dp::Rational;

TEST_CASE("decimals and fractions parse exactly") {
  CHECK(Rational::parse("2.5").value() == Rational{5, 2});
  CHECK(Rational::parse("12").value() == Rational{12, 1});
  CHECK(Rational::parse("0.001").value() == Rational{1, 1000});
  CHECK(Rational::parse(".5").value() == Rational{1, 2});
  CHECK(Rational::parse("3.").value() == Rational{3, 1});
  CHECK(Rational::parse("10/4").value() == Rational{5, 2});
  CHECK(Rational::parse("0").value() == Rational{0, 1});
  CHECK(Rational::parse("0.000").value() == Rational{0, 1});
  CHECK(Rational::parse("123456789.123456789").value() == Rational{123456789123456789ULL / 1, 1000000000});
}

TEST_CASE("malformed numbers are refused with a usage error") {
  for (const char* bad : {"", ".", "-1", "+2", "1e3", "2.5.1", " 2", "2 ", "abc", "1/0", "/3", "3/", "1/2/3",
                          "1234567890123456789", "0.1234567890123456789", "nan", "inf"}) {
    CAPTURE(bad);
    auto r = Rational::parse(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == cairn::Errc::usage);
  }
}

TEST_CASE("make reduces to lowest terms and to_string prints them") {
  CHECK(Rational::make(6, 4).value() == Rational{3, 2});
  CHECK(Rational::make(0, 7).value() == Rational{0, 1});
  CHECK_FALSE(Rational::make(1, 0).ok());
  CHECK(Rational{5, 2}.to_string() == "5/2");
  CHECK(Rational{7, 1}.to_string() == "7");
}

TEST_CASE("rational_at_least rounds up, never down") {
  CHECK(cairn::dp::rational_at_least(2.0001L, 1) == Rational{3, 1});
  CHECK(cairn::dp::rational_at_least(2.0L, 1) == Rational{2, 1});
  CHECK(cairn::dp::rational_at_least(0.1234L, 1000) == Rational{31, 250});  // 124/1000 reduced
  CHECK(cairn::dp::rational_at_least(0, 1000) == Rational{0, 1});
  CHECK(cairn::dp::rational_at_least(-3, 10) == Rational{0, 1});
}

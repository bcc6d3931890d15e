// The one passphrase rule (cairn/crypto/strength.hpp) that the panel's meter and the CLI's refusal
// share: weak inputs are weak and say why (in fixed words, never the input); phrases of words pass.
#include <doctest/doctest.h>

#include <string>

#include "cairn/crypto/strength.hpp"

using cairn::crypto::estimate_strength;
using cairn::crypto::strong_enough;

TEST_CASE("a, password and other guessable passphrases are below the minimum, each with a reason") {
  for (const char* p : {"a", "pw", "password", "Password1", "qwerty2024", "aaaaaaaaaaaa", "abcdefgh", "Tr0ub4"}) {
    const std::string pass = p;
    CAPTURE(pass);
    auto s = estimate_strength(pass);
    CHECK_FALSE(strong_enough(s));
    CHECK(std::string(s.reason).size() > 5);
  }
  CHECK(std::string(estimate_strength("password").reason) == "it is or contains a very common password");
  CHECK(std::string(estimate_strength("aaaaaaaaaaaaaaaaaaaa").reason) == "it is mostly repeated or consecutive characters");
  CHECK(std::string(estimate_strength("a").reason) == "it is short");
  CHECK(std::string(estimate_strength("").reason) == "it is empty");
}

TEST_CASE("phrases of unrelated words and long mixed passphrases reach the minimum") {
  CHECK(strong_enough(estimate_strength("maple orbit velvet canyon")));
  CHECK(strong_enough(estimate_strength("correct horse battery staple")));
  auto strong = estimate_strength("maple orbit velvet canyon lantern quiet");
  CHECK(strong.level >= 3);
  CHECK(std::string(strong.reason).empty());
}

TEST_CASE("levels follow the bit thresholds the panel shows") {
  CHECK(estimate_strength("password1").level == 0);
  CHECK(estimate_strength("maple orbit velvet canyon").bits == doctest::Approx(48.0));
  CHECK(std::string(estimate_strength("maple orbit velvet canyon").label) == "Fair");
}

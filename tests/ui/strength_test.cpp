// Passphrase strength: what it calls weak must be weak, phrases of words must pass, and the
// wording must be present for every level.
#include <doctest/doctest.h>

#include "cairn/base/clock.hpp"
#include "format.hpp"
#include "strength.hpp"

using cairn::ui::estimate_strength;

TEST_CASE("short, common and repetitive passphrases are weak") {
  CHECK(estimate_strength("").level == 0);
  CHECK(estimate_strength("password1").level == 0);
  CHECK(estimate_strength("aaaaaaaaaaaa").level <= 1);
  CHECK(estimate_strength("abcdefgh").level <= 1);
  CHECK(estimate_strength("Tr0ub4").level <= 1);
  CHECK(estimate_strength("qwerty2024").level == 0);
}

TEST_CASE("a phrase of several unrelated words is accepted and credited per word") {
  auto four = estimate_strength("maple orbit velvet canyon");
  CHECK(four.level >= cairn::ui::kMinimumLevel);
  auto six = estimate_strength("maple orbit velvet canyon lantern quiet");
  CHECK(six.bits > four.bits);
  CHECK(six.level >= 3);
  // Per-word credit is lower than the raw character count for lower-case phrases.
  CHECK(four.bits < 26 * 4.7);
}

TEST_CASE("every level has plain-language advice") {
  for (const char* p : {"", "abc", "correcthorse", "correct horse battery", "correct horse battery staple lamp x9"}) {
    auto s = estimate_strength(p);
    CHECK(std::string(s.advice).size() > 10);
  }
}

TEST_CASE("durations and weeks read naturally") {
  CHECK(cairn::ui::hours_text(0) == "0 min");
  CHECK(cairn::ui::hours_text(35 * 60) == "35 min");
  CHECK(cairn::ui::hours_text(3600 * 12 + 40 * 60) == "12 h 40 min");
  CHECK(cairn::ui::hours_text(7200) == "2 h");
  CHECK(cairn::ui::percent_text(1, 4) == "25 %");
  // 2026-11-16 is a Monday in ISO week 47.
  auto monday = cairn::days_from_civil(2026, 11, 16);
  CHECK(cairn::ui::week_label(monday) == "Week 47 \xC2\xB7 16\xE2\x80\x93" "22 Nov 2026");
  CHECK(cairn::ui::short_date(monday) == "Mon 16 Nov");
}

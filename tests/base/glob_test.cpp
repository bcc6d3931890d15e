// glob_match: the one matcher behind the activity rules and the assistants list.
#include <doctest/doctest.h>

#include <string>

#include "cairn/base/glob.hpp"

using cairn::glob_match;

TEST_CASE("* matches any run, case is ignored (ASCII)") {
  CHECK(glob_match("jetbrains-*", "jetbrains-idea"));
  CHECK(glob_match("jetbrains-*", "JetBrains-CLion"));
  CHECK(glob_match("*webex*", "CiscoCollabHost-webex-x"));
  CHECK(glob_match("code", "Code"));
  CHECK_FALSE(glob_match("code", "code-oss"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("a*b*c", "aXXbYYbZc"));
  CHECK(glob_match("a*b*c", "aXXbYYc"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYYbZ"));
  CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST_CASE("? matches exactly one character") {
  CHECK(glob_match("c?de", "CODE"));
  CHECK_FALSE(glob_match("c?de", "cde"));
  CHECK_FALSE(glob_match("c?de", "coode"));
  CHECK_FALSE(glob_match("?", ""));
  CHECK(glob_match("bot?@cursor.sh", "bot7@cursor.sh"));
  CHECK(glob_match("bot?@cursor.sh", "bot?@cursor.sh"));
}

TEST_CASE("email patterns of the assistants list") {
  CHECK(glob_match("*@cursor.sh", "bot@cursor.sh"));
  CHECK(glob_match("*+copilot@users.noreply.github.com", "175728472+Copilot@users.noreply.github.com"));
  CHECK_FALSE(glob_match("*@cursor.sh", "bot@cursor.sh.evil.example"));
}

TEST_CASE("a * in the text is an ordinary character: a pattern's * still spans it") {
  CHECK(glob_match("a*", "a*b"));
  CHECK(glob_match("*", "*"));
  CHECK_FALSE(glob_match("a", "*"));
}

TEST_CASE("a pathological pattern stays fast (no exponential backtracking)") {
  CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
  CHECK(glob_match("*a*a*a*a*a*a*a*a*a*", std::string(5000, 'a')));
}

// Tests of the records library (agent/records): the names of sources and impact kinds, as they
// appear in consent.conf, the inbox and the CLI, round-trip; unknown names are refused.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "cairn/records/records.hpp"

using namespace cairn::records;

TEST_CASE("every source's name round-trips and names are distinct") {
  std::set<std::string> seen;
  for (Source s : {Source::activity, Source::activity_titles, Source::git, Source::calendar, Source::self}) {
    std::string name = source_name(s);
    CHECK(seen.insert(name).second);
    auto back = source_from_name(name);
    REQUIRE(back.has_value());
    CHECK(*back == s);
  }
  CHECK(std::string(source_name(Source::activity_titles)) == "activity-titles");
}

TEST_CASE("every impact kind's name round-trips and names are distinct") {
  std::set<std::string> seen;
  for (ImpactKind k : {ImpactKind::impact, ImpactKind::long_term, ImpactKind::system, ImpactKind::judgment}) {
    std::string name = impact_kind_name(k);
    CHECK(seen.insert(name).second);
    auto back = impact_kind_from_name(name);
    REQUIRE(back.has_value());
    CHECK(*back == k);
  }
  CHECK(std::string(impact_kind_name(ImpactKind::long_term)) == "long-term");
}

TEST_CASE("unknown, empty and differently spelt names are refused") {
  for (const char* bad : {"", "Git", "activity_titles", " git", "git ", "screen", "?"}) {
    CAPTURE(bad);
    CHECK_FALSE(source_from_name(bad).has_value());
  }
  for (const char* bad : {"", "long_term", "Impact", "judgement", "?"}) {
    CAPTURE(bad);
    CHECK_FALSE(impact_kind_from_name(bad).has_value());
  }
}

TEST_CASE("the category list is the one the rules and the panel use") {
  CHECK(std::size(kCategories) == 7);
  CHECK(std::string(kCategories[0]) == "development");
  CHECK(std::string(kCategories[6]) == "other");
}

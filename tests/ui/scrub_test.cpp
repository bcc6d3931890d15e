// Scrubbing on lock: parts held only by the snapshot lose their decrypted texts; parts someone
// else still holds are left intact (never pulled from under a reader).
#include <doctest/doctest.h>

#include "scrub.hpp"

using namespace cairn;
using namespace cairn::ui;

TEST_CASE("scrub empties the texts of parts the snapshot owns alone, and only those") {
  Snapshot s;
  auto c = std::make_shared<ContributionData>();
  ContributionEntry e;
  e.c.text = "Shipped the thing for the support team";
  e.c.skills = {"writing"};
  c->entries.push_back(e);
  s.contributions = c;
  c.reset();  // the snapshot is now the only owner

  auto g = std::make_shared<GoalsData>();
  store::Goal goal;
  goal.current.title = "Grow as a mentor";
  g->goals.push_back(goal);
  s.goals = g;  // still held by `g` below: a reader is looking at it

  scrub(s);
  CHECK(s.contributions->entries[0].c.text.empty());
  CHECK(s.contributions->entries[0].c.skills[0].empty());
  CHECK(g->goals[0].current.title == "Grow as a mentor");

  std::string secretish = "a reflection";
  scrub(secretish);
  CHECK(secretish.empty());
  CHECK(secretish.capacity() < 16);  // the heap buffer was given back
}

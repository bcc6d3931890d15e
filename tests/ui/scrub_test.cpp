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

TEST_CASE("scrub: the weeks read ahead let go first, so the week on screen is overwritten too") {
  auto timeline = std::make_shared<WeekTimeline>();
  timeline->days[0].push_back({3600, 7200, 1});
  auto week = std::make_shared<WeekData>();
  week->start_day = 107;
  week->total.active_seconds = 36000;
  week->prefill[0] = "- Shipped the thing for the support team";
  week->timeline = timeline;
  auto older = std::make_shared<WeekData>();
  older->start_day = 100;
  older->prefill[0] = "- Reviewed the design with the team";
  auto cache = std::make_shared<WeekCache>();
  cache->weeks = {{100, older}, {107, week}};

  Snapshot s;
  s.week = week;
  s.weeks = cache;
  week.reset();   // the snapshot and its cache are the week's only owners
  cache.reset();  // the snapshot is the cache's only owner
  // `older` is still held here (a reader), `timeline` too.

  scrub(s);
  CHECK(s.weeks->weeks.empty());
  CHECK(s.week->prefill[0].empty());
  CHECK(s.week->total.active_seconds == 0);
  CHECK(s.week->timeline == nullptr);
  CHECK(older->prefill[0] == "- Reviewed the design with the team");  // never pulled from a reader
  CHECK(timeline->days[0].size() == 1);
}

TEST_CASE("scrub of the worker's caches empties them and leaves entries others hold") {
  auto held = std::make_shared<WeekData>();
  held->prefill[1] = "- 3 one-to-one meetings";
  std::map<std::int64_t, std::shared_ptr<const WeekData>> weeks{{100, held}, {107, std::make_shared<WeekData>()}};
  auto tl = std::make_shared<WeekTimeline>();
  tl->days[2].push_back({0, 60, 7});
  std::map<std::int64_t, std::shared_ptr<const WeekTimeline>> timelines{{100, tl}, {107, std::make_shared<WeekTimeline>()}};
  scrub(weeks);
  scrub(timelines);
  CHECK(weeks.empty());
  CHECK(timelines.empty());
  CHECK(held->prefill[1] == "- 3 one-to-one meetings");
  CHECK(tl->days[2].size() == 1);
}

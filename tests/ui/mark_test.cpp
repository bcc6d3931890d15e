// The logic behind marking a stretch in the Applications view (ui/src/zoom.hpp): a drag on the
// strip becomes whole minutes inside the shown part of the day, typed times are read strictly,
// and a stretch that is empty, reversed or in the future is named before anything is sent.
#include <doctest/doctest.h>

#include "zoom.hpp"

using namespace cairn::ui;

TEST_CASE("a drag on the day strip selects whole minutes of the shown stretch, in either direction") {
  const DayZoom whole{};
  // 1440 px for the whole day: one pixel per minute.
  auto s = stretch_from_drag(whole, 570.2f, 615.4f, 1440);
  CHECK(s.from == 570 * 60);  // 09:30
  CHECK(s.to == 615 * 60);    // 10:15
  auto back = stretch_from_drag(whole, 615.4f, 570.2f, 1440);
  CHECK(back.from == s.from);
  CHECK(back.to == s.to);
  // Zoomed on 12:00-13:00 over 600 px: 10 px per minute; outside the strip clamps to its ends.
  const DayZoom noon{12 * 3600, 13 * 3600};
  auto z = stretch_from_drag(noon, 100, 250, 600);
  CHECK(z.from == 12 * 3600 + 10 * 60);
  CHECK(z.to == 12 * 3600 + 25 * 60);
  auto clamped = stretch_from_drag(noon, -50, 900, 600);
  CHECK(clamped.from == 12 * 3600);
  CHECK(clamped.to == 13 * 3600);
  CHECK(stretch_from_drag(whole, 10, 20, 0).empty());
}

TEST_CASE("typed times are hours:minutes on a 24-hour clock, nothing else") {
  CHECK(parse_clock("09:30") == 9 * 3600 + 30 * 60);
  CHECK(parse_clock("9:30") == 9 * 3600 + 30 * 60);
  CHECK(parse_clock("00:00") == 0);
  CHECK(parse_clock("24:00") == 86400);
  CHECK_FALSE(parse_clock("24:01"));
  CHECK_FALSE(parse_clock("12:60"));
  CHECK_FALSE(parse_clock("12.30"));
  CHECK_FALSE(parse_clock("noon"));
  CHECK_FALSE(parse_clock(""));
}

TEST_CASE("a stretch that cannot be marked says why; one that can says nothing") {
  const std::int64_t today = 20790;
  CHECK(stretch_problem({}, today - 1, today, 0).find("Choose a stretch") == 0);
  CHECK(stretch_problem({3600, 1800}, today - 1, today, 0) == "The stretch must end after it starts.");
  CHECK(stretch_problem({3600, 7200}, today - 1, today, 0).empty());
  CHECK(stretch_problem({3600, 7200}, today, today, 7200).empty());
  CHECK(stretch_problem({3600, 7200}, today, today, 7199) == "The stretch ends in the future.");
  CHECK(stretch_problem({3600, 7200}, today + 1, today, 0) == "The stretch ends in the future.");
}

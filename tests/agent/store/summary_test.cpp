// The day summary follows its written definitions (summary.hpp): focus blocks, fragmentation,
// context switches, after-hours time, meetings and local-day cutting.
#include <doctest/doctest.h>

#include "cairn/base/clock.hpp"
#include "cairn/store/summary.hpp"

using namespace cairn;
using namespace cairn::store;

namespace {
// 2026-11-18 is a Wednesday.
const std::int64_t kDay = days_from_civil(2026, 11, 18);
Instant at(int h, int m = 0) { return kDay * 86400 + h * 3600 + m * 60; }
ActivitySpan act(Instant a, Instant b, const char* app, const char* cat) { return {a, b, 0, false, app, cat, std::nullopt}; }
ActivitySpan idle(Instant a, Instant b) { return {a, b, 0, true, "", "idle", std::nullopt}; }
}  // namespace

TEST_CASE("a 40-minute run of editor and terminal is one focus block") {
  std::vector<ActivitySpan> s{act(at(9), at(9, 20), "code", "development"),
                              act(at(9, 20), at(9, 40), "xterm", "development")};
  auto r = summarize_day(kDay, s, {}, {}, {});
  CHECK(r.active_seconds == 40 * 60);
  CHECK(r.focus_seconds == 40 * 60);
  CHECK(r.fragmented_seconds == 0);
  CHECK(r.context_switches == 1);
  CHECK(r.after_hours_seconds == 0);
}

TEST_CASE("chat, idle time and meetings break focus") {
  std::vector<ActivitySpan> s{act(at(9), at(9, 20), "code", "development"),
                              act(at(9, 20), at(9, 22), "slack", "communication"),
                              act(at(9, 22), at(9, 40), "code", "development"),
                              idle(at(9, 40), at(10)),
                              act(at(10), at(10, 30), "code", "development")};
  auto r = summarize_day(kDay, s, {}, {}, {});
  CHECK(r.focus_seconds == 30 * 60);  // only the last run reaches 25 minutes
  CHECK(r.idle_seconds == 20 * 60);
  CHECK(r.context_switches == 2);     // code->slack->code; idle resets the chain
  std::vector<MeetingRecord> m{{"u", at(10, 10), at(10, 20), 0, 3, false, false}};
  auto r2 = summarize_day(kDay, s, m, {}, {});
  CHECK(r2.focus_seconds == 0);
  CHECK(r2.meeting_seconds == 10 * 60);
  CHECK(r2.meetings == 1);
}

TEST_CASE("a gap longer than two minutes ends a run") {
  std::vector<ActivitySpan> s{act(at(9), at(9, 20), "code", "development"), act(at(9, 23), at(9, 40), "code", "development")};
  CHECK(summarize_day(kDay, s, {}, {}, {}).focus_seconds == 0);
  std::vector<ActivitySpan> s2{act(at(9), at(9, 20), "code", "development"), act(at(9, 21), at(9, 40), "code", "development")};
  CHECK(summarize_day(kDay, s2, {}, {}, {}).focus_seconds == 40 * 60);
}

TEST_CASE("after hours: evenings and weekends") {
  std::vector<ActivitySpan> s{act(at(17, 30), at(18, 30), "code", "development"), act(at(7), at(7, 30), "code", "development")};
  CHECK(summarize_day(kDay, s, {}, {}, {}).after_hours_seconds == 60 * 60);
  std::int64_t saturday = days_from_civil(2026, 11, 21);
  std::vector<ActivitySpan> w{act(saturday * 86400 + 10 * 3600, saturday * 86400 + 11 * 3600, "code", "development")};
  CHECK(summarize_day(saturday, w, {}, {}, {}).after_hours_seconds == 3600);
}

TEST_CASE("spans are cut at local midnight using their own offset") {
  // 23:00-01:00 local in UTC+2: one hour on each local day.
  std::int32_t off = 7200;
  Instant start = kDay * 86400 + 23 * 3600 - off;
  std::vector<ActivitySpan> s{{start, start + 7200, off, false, "code", "development", std::nullopt}};
  CHECK(summarize_day(kDay, s, {}, {}, {}).active_seconds == 3600);
  CHECK(summarize_day(kDay + 1, s, {}, {}, {}).active_seconds == 3600);
  CHECK(summarize_day(kDay - 1, s, {}, {}, {}).active_seconds == 0);
}

TEST_CASE("commits and contributions count on their local day, with AI assistance") {
  std::vector<CommitRecord> c{{"r", "1", at(10), 0, 5, 5, 1, true, "Claude", std::nullopt},
                              {"r", "2", at(11), 0, 1, 0, 1, false, "", std::nullopt},
                              {"r", "3", at(11) + 86400, 0, 1, 0, 1, false, "", std::nullopt}};
  std::vector<records::Contribution> k{{1, at(12), 0, "x", records::ImpactKind::judgment, {}, {}, true, {}}};
  auto r = summarize_day(kDay, {}, {}, c, k);
  CHECK(r.commits == 2);
  CHECK(r.ai_commits == 1);
  CHECK(r.lines_changed == 11);
  CHECK(r.contributions == 1);
  CHECK(r.ai_contributions == 1);
}

TEST_CASE("categories are accumulated by index, unknown ones as other") {
  std::vector<ActivitySpan> s{act(at(9), at(9, 10), "firefox", "browsing"), act(at(9, 10), at(9, 15), "x", "weird")};
  auto r = summarize_day(kDay, s, {}, {}, {});
  CHECK(r.category_seconds[category_index("browsing")] == 600);
  CHECK(r.category_seconds[category_index("other")] == 300);
}

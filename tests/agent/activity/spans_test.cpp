// SpanBuilder: merging, gaps, idle backdating, checkpoint cuts and title dropping, with time
// driven by a ManualClock-style offset so every instant is exact.
#include <doctest/doctest.h>

#include "cairn/activity/spans.hpp"

using namespace cairn::activity;

namespace {

AppState app(const char* cls, const char* cat = "development") { return AppState{cls, cat, std::nullopt}; }
AppState titled(const char* cls, const char* title) { return AppState{cls, "development", std::string(title)}; }

void check_span(const ActivitySpan& s, Instant start, Instant end, const char* cls, bool idle = false) {
  CAPTURE(start);
  CAPTURE(cls);
  CHECK(s.start == start);
  CHECK(s.end == end);
  CHECK(s.app_class == cls);
  CHECK(s.idle == idle);
  if (idle) CHECK(s.category == "idle");
}

// A clock whose UTC offset changes at a known instant, to see each span take its start's offset.
class DstClock final : public cairn::Clock {
 public:
  std::int64_t now() const override { return 0; }
  std::int32_t utc_offset(std::int64_t t) const override { return t < 2000 ? 3600 : 7200; }
};

}  // namespace

TEST_CASE("consecutive spans of one application merge; a switch opens a new span") {
  cairn::ManualClock clock(1000, 3600);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  b.set_app(1010, app("Code"));  // same app again: nothing
  b.set_app(1020, app("Slack", "communication"));
  b.set_app(1050, app("Code"));
  auto spans = b.stop(1060);
  REQUIRE(spans.size() == 3);
  check_span(spans[0], 1000, 1020, "Code");
  check_span(spans[1], 1020, 1050, "Slack");
  CHECK(spans[1].category == "communication");
  check_span(spans[2], 1050, 1060, "Code");
  for (const auto& s : spans) {
    CHECK(s.utc_offset == 3600);
    CHECK_FALSE(s.title.has_value());
  }
  CHECK(b.stop(1100).empty());  // after stop nothing more
}

TEST_CASE("a span shorter than a second is dropped and A -> B -> A merges back into A") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(100, app("Code"));
  b.set_app(110, app("Slack"));
  b.set_app(110, app("Code"));  // Slack lasted less than a second
  b.set_app(120, app("firefox"));
  auto spans = b.stop(125);
  REQUIRE(spans.size() == 2);
  check_span(spans[0], 100, 120, "Code");
  check_span(spans[1], 120, 125, "firefox");
}

TEST_CASE("no active window is a gap, not a span") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(100, app("Code"));
  b.set_app(110, std::nullopt);
  b.set_app(130, app("Code"));
  auto spans = b.stop(140);
  REQUIRE(spans.size() == 2);
  check_span(spans[0], 100, 110, "Code");
  check_span(spans[1], 130, 140, "Code");
}

TEST_CASE("checkpoint hands out closed spans and the open span cut at now; it continues from there") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  CHECK(b.checkpoint(50).empty());  // nothing observed yet
  b.set_app(100, app("Code"));
  b.set_app(130, app("Slack"));
  auto first = b.checkpoint(160);
  REQUIRE(first.size() == 2);
  check_span(first[0], 100, 130, "Code");
  check_span(first[1], 130, 160, "Slack");
  CHECK(b.checkpoint(160).empty());  // nothing new
  auto second = b.checkpoint(220);
  REQUIRE(second.size() == 1);
  check_span(second[0], 160, 220, "Slack");
  auto last = b.stop(230);
  REQUIRE(last.size() == 1);
  check_span(last[0], 220, 230, "Slack");
}

TEST_CASE("idle is backdated to the last input and shortens the active span before it") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  b.begin_idle(1300, 180);  // alarm at 1300 after 180 s without input: idle since 1120
  CHECK(b.idle());
  b.end_idle(1500);
  auto spans = b.stop(1600);
  REQUIRE(spans.size() == 3);
  check_span(spans[0], 1000, 1120, "Code");
  check_span(spans[1], 1120, 1500, "", true);
  check_span(spans[2], 1500, 1600, "Code");
}

TEST_CASE("idle backdating removes whole spans that began during the quiet stretch") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  b.set_app(1100, app("Slack"));  // a focus change without input (a window popped up)
  b.set_app(1150, app("zoom"));
  b.begin_idle(1200, 180);  // quiet since 1020
  auto spans = b.stop(1210);
  REQUIRE(spans.size() == 2);
  check_span(spans[0], 1000, 1020, "Code");
  check_span(spans[1], 1020, 1210, "", true);
}

TEST_CASE("checkpoint holds back the quiet tail so that a later idle alarm can still claim it") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  auto cp = b.checkpoint(1060, 40);  // last input 40 s ago
  REQUIRE(cp.size() == 1);
  check_span(cp[0], 1000, 1020, "Code");
  b.begin_idle(1200, 180);  // quiet since 1020: exactly the held-back tail
  auto spans = b.stop(1230);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 1020, 1230, "", true);
}

TEST_CASE("idle never rewrites what a checkpoint already handed out") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  auto cp = b.checkpoint(1100);  // the caller claimed no quiet tail
  REQUIRE(cp.size() == 1);
  check_span(cp[0], 1000, 1100, "Code");
  b.begin_idle(1200, 180);  // would reach back to 1020: clamped to 1100
  auto spans = b.stop(1210);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 1100, 1210, "", true);
}

TEST_CASE("while idle the checkpoint cuts at now and focus changes wait for the user's return") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  b.begin_idle(1200, 100);
  b.set_app(1250, app("Slack"));  // remembered, no span while idle
  auto cp = b.checkpoint(1300, 300);
  REQUIRE(cp.size() == 2);
  check_span(cp[0], 1000, 1100, "Code");
  check_span(cp[1], 1100, 1300, "", true);
  b.end_idle(1400, 5);  // input came back 5 s ago
  CHECK_FALSE(b.idle());
  auto spans = b.stop(1420);
  REQUIRE(spans.size() == 2);
  check_span(spans[0], 1300, 1395, "", true);
  check_span(spans[1], 1395, 1420, "Slack");
}

TEST_CASE("idle with no active window still records the idle time") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, std::nullopt);
  b.begin_idle(1200, 180);
  b.end_idle(1300);
  auto spans = b.stop(1310);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 1020, 1300, "", true);
}

TEST_CASE("each span carries the UTC offset in force at its start") {
  DstClock clock;
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  auto cp = b.checkpoint(2500);
  b.set_app(2600, app("Slack"));
  auto spans = b.stop(2700);
  REQUIRE(cp.size() == 1);
  CHECK(cp[0].utc_offset == 3600);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].start == 2500);
  CHECK(spans[0].utc_offset == 7200);  // the continuation starts after the change
  CHECK(spans[1].utc_offset == 7200);
}

TEST_CASE("a clock that steps backwards cannot produce negative or overlapping spans") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, app("Code"));
  b.set_app(900, app("Slack"));  // wall clock stepped back 100 s: treated as 1000
  CHECK(b.checkpoint(950).empty());  // nothing before 1000 exists
  auto spans = b.stop(1050);
  REQUIRE(spans.size() == 1);  // Code lasted [1000, 1000): dropped
  check_span(spans[0], 1000, 1050, "Slack");
}

TEST_CASE("titles split spans of one application, and dropping titles merges them again") {
  cairn::ManualClock clock(0);
  SpanBuilder b(clock);
  b.set_app(1000, titled("Code", "a.cpp"));
  b.set_app(1010, titled("Code", "b.cpp"));
  b.set_app(1020, titled("Code", "c.cpp"));
  b.drop_titles();
  b.set_app(1030, app("Code"));  // the monitor now reports no title: same span
  auto spans = b.stop(1040);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 1000, 1040, "Code");
  CHECK_FALSE(spans[0].title.has_value());
}

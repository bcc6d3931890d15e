// Every catalog metric computed over a small real encrypted
// store against values worked out by hand below (week 2026-W47, Monday 16 to Sunday 22 November).
#include <doctest/doctest.h>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/device/compute.hpp"
#include "cairn/metrics/catalog.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::metrics;
using cairn::device::compute;
using cairn::device::compute_encoded;
using records::ActivitySpan;
using records::CommitRecord;
using records::Contribution;
using records::ImpactKind;
using records::MeetingRecord;

namespace {

store::Store open_store(const std::string& name) {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes key(32);
  for (auto& b : key.bytes()) b = 7;
  auto s = store::Store::open(test::fresh_dir(name) / "store.db", key, store::Store::Mode::create);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// UTC instant of a local wall-clock time with the given offset.
records::Instant at(int y, unsigned mo, unsigned d, int h, int mi, std::int32_t offset = 0) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 - offset;
}

ActivitySpan span(records::Instant a, records::Instant b, const char* app, const char* category) {
  return ActivitySpan{a, b, 0, false, app, category, std::nullopt};
}
ActivitySpan idle(records::Instant a, records::Instant b) { return ActivitySpan{a, b, 0, true, "", "idle", std::nullopt}; }

Contribution contribution(records::Instant t, std::int32_t offset, ImpactKind kind, bool ai) {
  return Contribution{0, t, offset, "work", kind, {}, {}, ai, std::nullopt};
}

// The week's records; hand-computed totals:
//   Mon 09:00-10:00 code (focus 60 min) | 10:00-10:10 chat (breaks focus; switch 1) |
//   10:10-10:30 code (switch 2; 20 min, not focus) | 10:30-10:40 idle | 19:00-20:00 code (focus 60,
//   after hours 60). Tue 13:30-14:30 code overlapping a 14:00-15:30 meeting (active 60, no focus).
//   Wed meeting 13:00-13:30. Sat 10:00-10:30 code (focus 30, weekend so after hours 30).
//   active 150 + 60 + 30 = 240 min = 4 h; focus 60 + 60 + 30 = 150 min = 2.5 h; after hours 90 min;
//   switches 2; meetings 90 + 30 min = 2 h.
//   Commits: 3 (1 AI). Contributions in the week: impact x2 (1 AI), system, judgment (the judgment
//   one is at 00:30 local on Monday at UTC+1, i.e. Sunday 23:30 UTC); one more at 00:30 local on
//   Monday 23 November (UTC+1) lies outside the week.
void fill_week(store::Store& s) {
  std::vector<ActivitySpan> spans = {
      span(at(2026, 11, 16, 9, 0), at(2026, 11, 16, 10, 0), "code", "development"),
      span(at(2026, 11, 16, 10, 0), at(2026, 11, 16, 10, 10), "chat", "communication"),
      span(at(2026, 11, 16, 10, 10), at(2026, 11, 16, 10, 30), "code", "development"),
      idle(at(2026, 11, 16, 10, 30), at(2026, 11, 16, 10, 40)),
      span(at(2026, 11, 16, 19, 0), at(2026, 11, 16, 20, 0), "code", "development"),
      span(at(2026, 11, 17, 13, 30), at(2026, 11, 17, 14, 30), "code", "development"),
      span(at(2026, 11, 21, 10, 0), at(2026, 11, 21, 10, 30), "code", "development"),
  };
  REQUIRE(s.add_spans(spans).ok());
  std::vector<MeetingRecord> meetings = {
      MeetingRecord{"m1", at(2026, 11, 17, 14, 0), at(2026, 11, 17, 15, 30), 0, 5, false, false},
      MeetingRecord{"m2", at(2026, 11, 18, 13, 0), at(2026, 11, 18, 13, 30), 0, 2, true, true},
  };
  REQUIRE(s.add_meetings(meetings).ok());
  std::vector<CommitRecord> commits = {
      CommitRecord{"repo", "a1", at(2026, 11, 16, 11, 0), 0, 10, 2, 1, false, "", std::nullopt},
      CommitRecord{"repo", "a2", at(2026, 11, 17, 16, 0), 0, 5, 5, 2, true, "Copilot", std::nullopt},
      CommitRecord{"repo", "a3", at(2026, 11, 20, 9, 0), 0, 1, 0, 1, false, "", std::nullopt},
  };
  REQUIRE(s.add_commits(commits).ok());
  REQUIRE(s.add_contribution(contribution(at(2026, 11, 16, 15, 0), 0, ImpactKind::impact, true)).ok());
  REQUIRE(s.add_contribution(contribution(at(2026, 11, 19, 15, 0), 0, ImpactKind::impact, false)).ok());
  REQUIRE(s.add_contribution(contribution(at(2026, 11, 20, 15, 0), 0, ImpactKind::system, false)).ok());
  REQUIRE(s.add_contribution(contribution(at(2026, 11, 16, 0, 30, 3600), 3600, ImpactKind::judgment, false)).ok());
  REQUIRE(s.add_contribution(contribution(at(2026, 11, 23, 0, 30, 3600), 3600, ImpactKind::long_term, true)).ok());
}

// Week 2026-W48 (23-29 November): 8 uninterrupted hours of code every day, 56 focus hours.
void fill_long_week(store::Store& s) {
  std::vector<ActivitySpan> spans;
  for (unsigned d = 23; d <= 29; ++d) spans.push_back(span(at(2026, 11, d, 8, 0), at(2026, 11, d, 16, 0), "code", "development"));
  REQUIRE(s.add_spans(spans).ok());
}

const Metric& metric(const char* name) {
  const Metric* m = find(name);
  REQUIRE(m != nullptr);
  return *m;
}

std::vector<double> value(const store::Store& s, const char* name, const Period& p) {
  auto v = compute(s, metric(name), p);
  REQUIRE(v.ok());
  return *v;
}
std::vector<std::int64_t> encoded(const store::Store& s, const char* name, const Period& p) {
  auto v = compute_encoded(s, metric(name), p);
  REQUIRE(v.ok());
  return *v;
}

}  // namespace

TEST_CASE("unknown metrics and look-alikes are refused") {
  auto s = open_store("metrics/unknown");
  CHECK(find("keystrokes") == nullptr);
  auto r = lookup("keystrokes");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::usage);
  CHECK(r.error().message.find("focus_hours") != std::string::npos);  // names what is available
  const Period w = *parse_period(Cadence::week, "2026-W47");
  Metric fake = metric("focus_hours");
  fake.name = fake.spec.name = "keystrokes";
  CHECK(compute(s, fake, w).error().code == Errc::usage);
  Metric wider = metric("focus_hours");
  wider.spec.clip_hi = 80;  // encoding with another range than the one calibrated: refused
  CHECK(compute_encoded(s, wider, w).error().code == Errc::usage);
  CHECK(specs_for({"focus_hours", "keystrokes"}).error().code == Errc::usage);
  CHECK(specs_for({"focus_hours", "focus_hours"}).error().code == Errc::usage);
  auto specs = specs_for({"meeting_hours", "focus_hours"});
  REQUIRE(specs.ok());
  CHECK((*specs)[0].name == "meeting_hours");
  CHECK((*specs)[1].name == "focus_hours");
  Period broken = w;
  broken.last_day = broken.first_day - 1;
  CHECK(compute(s, metric("focus_hours"), broken).error().code == Errc::usage);
}

TEST_CASE("a week's metrics match the hand-computed values") {
  auto s = open_store("metrics/week");
  fill_week(s);
  const Period w = *parse_period(Cadence::week, "2026-W47");
  REQUIRE(s.rebuild_rollups(w.first_day - 7, w.last_day + 7).ok());

  CHECK(value(s, "focus_hours", w)[0] == doctest::Approx(2.5));
  CHECK(encoded(s, "focus_hours", w)[0] == 150);  // minutes
  CHECK(value(s, "meeting_hours", w)[0] == doctest::Approx(2.0));
  CHECK(encoded(s, "meeting_hours", w)[0] == 120);
  CHECK(value(s, "context_switches_per_active_hour", w)[0] == doctest::Approx(0.5));  // 2 switches / 4 h
  CHECK(encoded(s, "context_switches_per_active_hour", w)[0] == 5);                   // tenths
  CHECK(value(s, "ai_assisted_share", w)[0] == doctest::Approx(2.0 / 7));            // (1 + 1) / (3 + 4)
  CHECK(encoded(s, "ai_assisted_share", w)[0] == 286);                               // per-mille
  CHECK(value(s, "after_hours_share", w)[0] == doctest::Approx(90.0 / 240));
  CHECK(encoded(s, "after_hours_share", w)[0] == 375);
  auto kinds = value(s, "contributions_by_kind", w);
  REQUIRE(kinds.size() == 4);
  CHECK(kinds == std::vector<double>{2, 0, 1, 1});
  CHECK(encoded(s, "contributions_by_kind", w) == std::vector<std::int64_t>{200, 0, 100, 100});

  // The week before and the week after hold nothing of this (the UTC+1 entries were cut locally),
  // except the long-term contribution of Monday 23 November.
  const Period before = period_before(w);
  CHECK(value(s, "focus_hours", before)[0] == 0);
  CHECK(value(s, "ai_assisted_share", before)[0] == 0);  // nothing to share of: 0, not NaN
  CHECK(value(s, "after_hours_share", before)[0] == 0);
  CHECK(value(s, "context_switches_per_active_hour", before)[0] == 0);
  CHECK(value(s, "contributions_by_kind", before) == std::vector<double>{0, 0, 0, 0});
  const Period after = period_containing(Cadence::week, w.last_day + 1);
  CHECK(value(s, "contributions_by_kind", after) == std::vector<double>{0, 1, 0, 0});
}

TEST_CASE("values above the range are clipped; months and quarters report per week") {
  auto s = open_store("metrics/clip");
  fill_week(s);
  fill_long_week(s);
  REQUIRE(s.rebuild_rollups(days_from_civil(2026, 10, 1), days_from_civil(2026, 12, 31)).ok());
  const Period w48 = *parse_period(Cadence::week, "2026-W48");
  CHECK(value(s, "focus_hours", w48)[0] == doctest::Approx(56.0));  // the true value is kept...
  CHECK(encoded(s, "focus_hours", w48)[0] == 2400);                 // ...and clipped to 40 h when encoded
  // 08:00-16:00 is inside working hours on weekdays; Saturday and Sunday (16 h) are after hours.
  CHECK(value(s, "after_hours_share", w48)[0] == doctest::Approx(16.0 / 56));

  // November: 2.5 + 56 focus hours over 30 days = 58.5 / (30/7) = 13.65 h per week = 819 minutes.
  const Period nov = *parse_period(Cadence::month, "2026-11");
  CHECK(value(s, "focus_hours", nov)[0] == doctest::Approx(13.65));
  CHECK(encoded(s, "focus_hours", nov)[0] == 819);
  // Q4: 58.5 h over 92 days = 4.4511 h per week = 267.07 minutes -> 267.
  const Period q4 = *parse_period(Cadence::quarter, "2026-Q4");
  CHECK(value(s, "focus_hours", q4)[0] == doctest::Approx(58.5 * 7 / 92));
  CHECK(encoded(s, "focus_hours", q4)[0] == 267);
  // November holds 2 impact, 1 long-term (the 23rd), 1 system, 1 judgment: each / (30/7) per week.
  auto kinds = value(s, "contributions_by_kind", nov);
  CHECK(kinds[0] == doctest::Approx(2 * 7.0 / 30));
  CHECK(kinds[1] == doctest::Approx(1 * 7.0 / 30));
  CHECK(encoded(s, "contributions_by_kind", nov) == std::vector<std::int64_t>{47, 23, 23, 23});
}

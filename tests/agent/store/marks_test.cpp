// Marking a stretch as a break or moving it to a category (agent/store/src/marks.cpp), on real
// SQLCipher files: the edges split, the rollups before and after, refusals that change nothing,
// and a correction that survives a later import, a reopen and `cairn verify`'s checks.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/store/store.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::store;

namespace {

crypto::SecretBytes mark_key() {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes k(32);
  for (auto& b : k.bytes()) b = 7;
  return k;
}

Store open_store(const std::filesystem::path& p, Store::Mode mode = Store::Mode::open_existing) {
  auto s = Store::open(p, mark_key(), mode);
  REQUIRE(s.ok());
  return std::move(s).value();
}

// Wednesday 2 December 2026, local time UTC+1.
constexpr std::int32_t kOffset = 3600;
const std::int64_t kDay = days_from_civil(2026, 12, 2);
Instant at(int h, int m) { return kDay * 86400 + h * 3600 + m * 60 - kOffset; }

ActivitySpan span(Instant a, Instant b, const char* app, const char* category, bool idle = false) {
  return ActivitySpan{a, b, kOffset, idle, app, category, idle ? std::nullopt : std::optional<std::string>("title")};
}

// 11:50-12:10 code, 12:10-12:40 firefox, 12:40-13:20 code, 13:20-13:30 idle.
void seed(Store& s) {
  const ActivitySpan spans[] = {span(at(11, 50), at(12, 10), "code", "development"),
                                span(at(12, 10), at(12, 40), "firefox", "browsing"),
                                span(at(12, 40), at(13, 20), "code", "development"),
                                span(at(13, 20), at(13, 30), "", "idle", true)};
  REQUIRE(s.add_spans(spans).ok());
  REQUIRE(s.rebuild_rollups(kDay - 1, kDay + 1).ok());
}

DayRollup day_rollup(const Store& s) {
  auto r = s.rollups(kDay, kDay);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  return r->front();
}

const Instant kLater = at(23, 0) + 86400;  // "now": the day after

}  // namespace

TEST_CASE("marking 12:00-13:00 as a break splits the edge spans and moves an hour from active to idle") {
  auto dir = test::fresh_dir("store/marks/break");
  auto path = dir / "store.db";
  auto s = open_store(path, Store::Mode::create);
  seed(s);
  const auto before = day_rollup(s);
  CHECK(before.active_seconds == 90 * 60);
  CHECK(before.idle_seconds == 10 * 60);
  CHECK(before.category_seconds[0] == 60 * 60);  // development
  CHECK(before.category_seconds[5] == 30 * 60);  // browsing
  CHECK(before.focus_seconds == 90 * 60);

  auto r = s.mark_activity({at(12, 0), at(13, 0), "break", kLater}, kLater);
  REQUIRE(r.ok());
  CHECK(r->spans == 3);
  CHECK(r->split == 2);
  CHECK(r->first_day <= kDay);
  CHECK(r->last_day >= kDay);

  auto spans = s.spans(at(0, 0), at(23, 59));
  REQUIRE(spans.ok());
  REQUIRE(spans->size() == 6);
  // Outside the stretch: as they were (application, category, title).
  CHECK((*spans)[0].start == at(11, 50));
  CHECK((*spans)[0].end == at(12, 0));
  CHECK((*spans)[0].app_class == "code");
  CHECK((*spans)[0].title == std::optional<std::string>("title"));
  CHECK((*spans)[4].start == at(13, 0));
  CHECK((*spans)[4].end == at(13, 20));
  CHECK((*spans)[4].category == "development");
  CHECK_FALSE((*spans)[4].idle);
  // Inside: idle, as the daemon writes time away.
  for (int i = 1; i <= 3; ++i) {
    CHECK((*spans)[i].idle);
    CHECK((*spans)[i].category == "idle");
    CHECK((*spans)[i].app_class.empty());
    CHECK_FALSE((*spans)[i].title);
  }
  CHECK((*spans)[1].start == at(12, 0));
  CHECK((*spans)[3].end == at(13, 0));

  const auto after = day_rollup(s);
  CHECK(after.active_seconds == 30 * 60);
  CHECK(after.idle_seconds == 70 * 60);
  CHECK(after.category_seconds[0] == 30 * 60);
  CHECK(after.category_seconds[5] == 0);
  CHECK(after.focus_seconds == 0);  // 10 + 20 minutes around a break: no 25-minute block
  CHECK(after.context_switches == 0);
}

TEST_CASE("moving a stretch to a category re-labels its active time and leaves idle time idle") {
  auto dir = test::fresh_dir("store/marks/category");
  auto s = open_store(dir / "store.db", Store::Mode::create);
  seed(s);
  auto r = s.mark_activity({at(12, 30), at(13, 30), "documents", kLater}, kLater);
  REQUIRE(r.ok());
  CHECK(r->spans == 3);  // firefox (split), code (inside), idle (inside)
  CHECK(r->split == 1);
  const auto after = day_rollup(s);
  CHECK(after.active_seconds == 90 * 60);
  CHECK(after.idle_seconds == 10 * 60);
  CHECK(after.category_seconds[3] == 50 * 60);  // documents: 12:30-13:20
  CHECK(after.category_seconds[5] == 20 * 60);  // browsing: 12:10-12:30
  CHECK(after.category_seconds[0] == 20 * 60);  // development: 11:50-12:10
  auto spans = s.spans(at(13, 20), at(13, 30));
  REQUIRE(spans.ok());
  REQUIRE(spans->size() == 1);
  CHECK(spans->front().idle);
  CHECK(spans->front().category == "idle");
}

TEST_CASE("a refused mark says why in one line and changes nothing") {
  auto dir = test::fresh_dir("store/marks/refused");
  auto s = open_store(dir / "store.db", Store::Mode::create);
  seed(s);
  const auto before = day_rollup(s);
  const ActivityMark bad[] = {
      {at(13, 0), at(13, 0), "break", kLater},            // empty
      {at(13, 0), at(12, 0), "break", kLater},            // reversed
      {at(12, 0), kLater + 60, "break", kLater},          // ends in the future
      {at(12, 0) - 32 * 86400, at(12, 0), "break", kLater},  // longer than 31 days
      {at(12, 0), at(13, 0), "gaming", kLater},           // unknown category
      {at(12, 0), at(13, 0), "idle", kLater},             // "idle" is written "break"
  };
  for (const auto& m : bad) {
    auto r = s.mark_activity(m, kLater);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::usage);
    CHECK(r.error().message.find('\n') == std::string::npos);
  }
  CHECK(s.mark_activity(bad[4], kLater).error().message.find("development") != std::string::npos);
  auto marks = s.activity_marks();
  REQUIRE(marks.ok());
  CHECK(marks->empty());
  auto spans = s.spans(at(0, 0), at(23, 59));
  REQUIRE(spans.ok());
  CHECK(spans->size() == 4);
  const auto after = day_rollup(s);
  CHECK(after.active_seconds == before.active_seconds);
  CHECK(after.idle_seconds == before.idle_seconds);
}

TEST_CASE("a correction survives a later import of the same stretch, a reopen and the verify checks") {
  auto dir = test::fresh_dir("store/marks/survives");
  auto path = dir / "store.db";
  {
    auto s = open_store(path, Store::Mode::create);
    seed(s);
    REQUIRE(s.mark_activity({at(12, 0), at(13, 0), "break", kLater}, kLater).ok());
  }
  auto s = open_store(path);
  auto marks = s.activity_marks();
  REQUIRE(marks.ok());
  REQUIRE(marks->size() == 1);
  CHECK(marks->front().as == "break");
  // The daemon's batch with the last stretch of the hour arrives after the correction.
  const ActivitySpan late[] = {span(at(12, 55), at(13, 5), "slack", "communication")};
  REQUIRE(s.import_batch("late-batch", [&](Store& st) { return st.add_spans(late); }).ok());
  REQUIRE(s.rebuild_dirty_rollups().ok());
  auto spans = s.spans(at(12, 55), at(13, 5));
  REQUIRE(spans.ok());
  int slack_active = 0, slack_idle = 0;
  for (const auto& x : *spans) {
    if (x.start >= at(12, 55) && x.end <= at(13, 0) && x.idle) ++slack_idle;
    if (x.app_class == "slack" && !x.idle) {
      ++slack_active;
      CHECK(x.start == at(13, 0));
      CHECK(x.end == at(13, 5));
    }
  }
  CHECK(slack_idle >= 1);
  CHECK(slack_active == 1);
  const auto after = day_rollup(s);
  CHECK(after.active_seconds == 35 * 60);
  CHECK(after.category_seconds[1] == 5 * 60);
  CHECK(s.verify().ok());
  auto bad = s.implausible_rows(kLater);
  REQUIRE(bad.ok());
  CHECK(bad->total() == 0);
  auto json = s.export_json();
  REQUIRE(json.ok());
  CHECK(json->find("\"activity_marks\"") != std::string::npos);
}

TEST_CASE("retention drops the marks whose stretch is older than the spans it keeps") {
  auto dir = test::fresh_dir("store/marks/retention");
  auto s = open_store(dir / "store.db", Store::Mode::create);
  seed(s);
  REQUIRE(s.mark_activity({at(9, 0), at(10, 0), "break", kLater}, kLater).ok());
  REQUIRE(s.mark_activity({at(12, 0), at(13, 0), "break", kLater}, kLater).ok());
  REQUIRE(s.prune_spans_before(at(11, 0)).ok());
  auto marks = s.activity_marks();
  REQUIRE(marks.ok());
  REQUIRE(marks->size() == 1);
  CHECK(marks->front().from == at(12, 0));
}

TEST_CASE("apply_mark cuts exactly at the edges and leaves spans outside alone") {
  const ActivityMark m{100, 200, "communication", 0};
  const ActivitySpan inside{120, 180, 0, false, "code", "development", std::nullopt};
  auto one = apply_mark(inside, m);
  REQUIRE(one.size() == 1);
  CHECK(one[0].category == "communication");
  CHECK(one[0].app_class == "code");
  const ActivitySpan before{50, 100, 0, false, "code", "development", std::nullopt};
  auto untouched = apply_mark(before, m);
  REQUIRE(untouched.size() == 1);
  CHECK(untouched[0].category == "development");
  const ActivitySpan across{50, 250, 0, false, "code", "development", std::nullopt};
  auto three = apply_mark(across, m);
  REQUIRE(three.size() == 3);
  CHECK((three[0].start == 50 && three[0].end == 100 && three[0].category == "development"));
  CHECK((three[1].start == 100 && three[1].end == 200 && three[1].category == "communication"));
  CHECK((three[2].start == 200 && three[2].end == 250 && three[2].category == "development"));
  const ActivityMark hour{at(12, 0), at(13, 0), "communication", 0};
  CHECK(check_mark(hour, at(13, 0)).ok());  // may end now
  CHECK_FALSE(check_mark(hour, at(12, 59)).ok());
}

// A month of realistic activity (about 5,000 spans a week, as docs/panel.md assumes): marking the
// whole month in one transaction, and an import of a week's spans under a stored mark. Prints the
// times (doctest MESSAGE) and checks only what they did; `store_test -tc="*a month*" -s` shows them.
TEST_CASE("a month of spans: marking all of it and importing a week under a mark") {
  auto dir = test::fresh_dir("store/marks/month");
  auto s = open_store(dir / "store.db", Store::Mode::create);
  const Instant first = at(0, 0) - 31 * 86400;
  std::vector<ActivitySpan> month;
  for (Instant t = first; t + 120 <= first + 31 * 86400; t += 120)  // 2-minute spans, two apps
    month.push_back(span(t, t + 120, (t / 120) % 2 ? "code" : "firefox", (t / 120) % 2 ? "development" : "browsing"));
  REQUIRE(s.add_spans(month).ok());
  REQUIRE(s.rebuild_rollups(kDay - 32, kDay + 1).ok());
  const auto t0 = std::chrono::steady_clock::now();
  auto r = s.mark_activity({first, first + 31 * 86400, "other", kLater}, kLater);
  const double mark_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(r.ok());
  CHECK(r->spans == static_cast<std::int64_t>(month.size()));
  CHECK(r->split == 0);
  std::vector<ActivitySpan> week(month.begin(), month.begin() + 5040);
  for (auto& x : week) x.category = "development";
  const auto t1 = std::chrono::steady_clock::now();
  REQUIRE(s.import_batch("week-under-mark", [&](Store& st) { return st.add_spans(week); }).ok());
  const double import_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  auto rolled = s.rollups(kDay - 31, kDay - 31);
  REQUIRE(rolled.ok());
  REQUIRE(rolled->size() == 1);
  CHECK(rolled->front().category_seconds[6] == rolled->front().active_seconds);  // all "other", the import too
  // The same import into a store without marks, for comparison.
  auto plain = open_store(dir / "plain.db", Store::Mode::create);
  const auto t2 = std::chrono::steady_clock::now();
  REQUIRE(plain.import_batch("week", [&](Store& st) { return st.add_spans(week); }).ok());
  const double plain_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t2).count();
  MESSAGE("marked " << month.size() << " spans over 31 days in " << mark_ms << " ms; imported " << week.size()
                    << " spans under the mark in " << import_ms << " ms (" << plain_ms << " ms without marks)");
}

// The promise of one transaction, tested by crashing: a child process marks a month and is killed
// (SIGKILL) after a few milliseconds, at a different point each round; the file then holds either
// the old record (no mark, the old categories and rollups) or the new one, never a mix.
TEST_CASE("a mark killed part-way leaves the old record or the new one, never a mix") {
  auto dir = test::fresh_dir("store/marks/crash");
  const auto base = dir / "base.db", run = dir / "run.db";
  const Instant first = at(0, 0) - 31 * 86400;
  {
    auto s = open_store(base, Store::Mode::create);
    std::vector<ActivitySpan> month;
    for (Instant t = first; t + 120 <= first + 31 * 86400; t += 120) month.push_back(span(t, t + 120, "code", "development"));
    REQUIRE(s.add_spans(month).ok());
    REQUIRE(s.rebuild_rollups(kDay - 32, kDay + 1).ok());
  }
  int old_seen = 0, new_seen = 0;
  for (int delay_ms : {1, 20, 60, 120, 200, 400, 2000}) {
    CAPTURE(delay_ms);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(run.string() + suffix);
    std::filesystem::copy_file(base, run);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto s = Store::open(run, mark_key(), Store::Mode::open_existing);
      bool ok = s.ok() && s->mark_activity({first, first + 31 * 86400, "other", kLater}, kLater).ok();
      ::_exit(ok ? 0 : 1);
    }
    ::usleep(static_cast<useconds_t>(delay_ms) * 1000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto s = open_store(run);
    auto marks = s.activity_marks();
    auto spans = s.spans(first, first + 31 * 86400);
    auto rolled = s.rollups(kDay - 31, kDay - 1);
    REQUIRE(marks.ok());
    REQUIRE(spans.ok());
    REQUIRE(rolled.ok());
    const bool marked = !marks->empty();
    (marked ? new_seen : old_seen)++;
    std::size_t as_expected = 0;
    for (const auto& x : *spans) as_expected += x.category == (marked ? "other" : "development");
    CHECK(as_expected == spans->size());
    for (const auto& r : *rolled) CHECK(r.category_seconds[6] == (marked ? r.active_seconds : 0));
    CHECK(s.verify().ok());
  }
  MESSAGE("killed part-way: " << old_seen << " round(s) found the old record, " << new_seen << " the new one");
  CHECK(new_seen >= 1);  // the last round (2 s) lets it finish
}

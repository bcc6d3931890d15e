// Tests of consent.conf and the consent event log (agent/consent): parse and write round trip,
// grant and revoke with their events, and bad input refused with a one-line error that changes
// nothing on disk.
#include <doctest/doctest.h>

#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using consent::Source;

namespace {

bool one_line(const std::string& s) { return !s.empty() && s.find('\n') == std::string::npos; }

}  // namespace

TEST_CASE("a missing file means everything off, self on") {
  auto dir = test::fresh_dir("consent_missing");
  auto st = consent::load(consent::file_in(dir));
  REQUIRE(st.ok());
  CHECK_FALSE(st->activity);
  CHECK_FALSE(st->git);
  CHECK_FALSE(st->calendar);
  CHECK(st->self);
  CHECK(st->idle_threshold_seconds == 180);
}

TEST_CASE("serialise and parse round-trip every setting") {
  consent::State st;
  st.activity = true;
  st.activity_titles = true;
  st.git = true;
  st.git_messages = true;
  st.calendar = true;
  st.self = false;
  st.repos = {{"/home/me/src/app", "app"}, {"/srv/x", "infra"}};
  st.emails = {"me@example.org"};
  st.calendars = {"/home/me/cal.ics"};
  st.idle_threshold_seconds = 300;
  st.batch_interval_seconds = 30;
  st.retention_days = 90;
  auto back = consent::parse(consent::serialise(st));
  REQUIRE(back.ok());
  CHECK(back->activity);
  CHECK(back->activity_titles);
  CHECK(back->git);
  CHECK(back->git_messages);
  CHECK(back->calendar);
  CHECK_FALSE(back->self);
  REQUIRE(back->repos.size() == 2);
  CHECK(back->repos[1].path == "/srv/x");
  CHECK(back->repos[1].label == "infra");
  CHECK(back->emails == st.emails);
  CHECK(back->calendars == st.calendars);
  CHECK(back->idle_threshold_seconds == 300);
  CHECK(back->batch_interval_seconds == 30);
  CHECK(back->retention_days == 90);
  // And the file on disk says the same.
  auto dir = test::fresh_dir("consent_roundtrip");
  REQUIRE(consent::save(consent::file_in(dir), st).ok());
  auto loaded = consent::load(consent::file_in(dir));
  REQUIRE(loaded.ok());
  CHECK(consent::serialise(*loaded) == consent::serialise(st));
}

TEST_CASE("comments, blanks, spaces and a repo without a label") {
  auto st = consent::parse("# hello\n\n  git = yes  \r\ngit.repo = /a/b/proj\nactivity=on\n");
  REQUIRE(st.ok());
  CHECK(st->git);
  CHECK(st->activity);
  REQUIRE(st->repos.size() == 1);
  CHECK(st->repos[0].label == "proj");
}

TEST_CASE("bad input is refused with a one-line error naming the line") {
  const char* bad[] = {"activity = maybe\n", "no equals sign\n", "activty = on\n", "git.repo = | label\n",
                       "idle-threshold = 5\n", "batch-interval = 61\n", "retention-days = ten\n"};
  for (const char* text : bad) {
    CAPTURE(text);
    auto r = consent::parse(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::corrupt);
    CHECK(one_line(r.error().message));
    CHECK(r.error().message.find("line 1") != std::string::npos);
  }
  auto big = consent::parse(std::string(consent::kConsentMaxBytes + 1, '#'));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Errc::too_large);
}

TEST_CASE("enabled() and set(): titles need activity, turning activity off turns titles off") {
  consent::State st;
  st.activity_titles = true;
  CHECK_FALSE(st.enabled(Source::activity_titles));
  st.set(Source::activity, true);
  CHECK(st.enabled(Source::activity_titles));
  st.set(Source::activity, false);
  CHECK_FALSE(st.activity_titles);
  CHECK(consent::descriptions().size() == 5);
}

TEST_CASE("grant and revoke change the file and append numbered events") {
  auto dir = test::fresh_dir("consent_events");
  REQUIRE(consent::grant(dir, Source::git, 1000).ok());
  REQUIRE(consent::grant(dir, Source::activity, 1001).ok());
  REQUIRE(consent::revoke(dir, Source::git, true, 1002).ok());
  auto st = consent::load(consent::file_in(dir));
  REQUIRE(st.ok());
  CHECK_FALSE(st->git);
  CHECK(st->activity);
  auto ev = consent::read_events(consent::events_in(dir));
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 4);
  CHECK((*ev)[0].seq == 1);
  CHECK((*ev)[0].source == "git");
  CHECK((*ev)[0].action == "grant");
  CHECK((*ev)[0].time == 1000);
  CHECK((*ev)[1].source == "activity");
  CHECK((*ev)[2].action == "revoke");
  CHECK((*ev)[3].action == "delete-data");
  CHECK((*ev)[3].seq == 4);
}

TEST_CASE("granting window titles without activity is refused and changes nothing") {
  auto dir = test::fresh_dir("consent_titles");
  auto r = consent::grant(dir, Source::activity_titles, 5);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::refused);
  CHECK(one_line(r.error().message));
  CHECK_FALSE(std::filesystem::exists(consent::file_in(dir)));
  CHECK_FALSE(std::filesystem::exists(consent::events_in(dir)));
}

TEST_CASE("a damaged consent.conf refuses grant and revoke and is left as it was") {
  auto dir = test::fresh_dir("consent_damaged");
  const std::string damaged = "git = on\nsurprise = on\n";
  REQUIRE(fs::write_file_atomic(consent::file_in(dir), damaged).ok());
  CHECK_FALSE(consent::grant(dir, Source::calendar, 9).ok());
  CHECK_FALSE(consent::revoke(dir, Source::git, false, 9).ok());
  auto text = fs::read_text_file(consent::file_in(dir), consent::kConsentMaxBytes);
  REQUIRE(text.ok());
  CHECK(*text == damaged);
  CHECK_FALSE(std::filesystem::exists(consent::events_in(dir)));
}

TEST_CASE("event details with tabs and newlines stay on one line; a damaged log is refused") {
  auto dir = test::fresh_dir("consent_log");
  auto log = consent::events_in(dir);
  REQUIRE(consent::append_event(log, {0, 7, "git", "settings", "a\tb\nc"}).ok());
  auto ev = consent::read_events(log);
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 1);
  CHECK((*ev)[0].detail == "a b c");
  REQUIRE(fs::write_file_atomic(log, std::string("1\tnot-a-time\tgit\tgrant\tx\n")).ok());
  auto bad = consent::read_events(log);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::corrupt);
  CHECK(one_line(bad.error().message));
  REQUIRE(fs::write_file_atomic(log, std::string("1\t2\tgit\n")).ok());
  CHECK_FALSE(consent::read_events(log).ok());
}

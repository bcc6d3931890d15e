// The calendar source on real .ics files: the exact occurrences that come out (times in UTC across
// the Europe/Berlin DST change, durations, participants, flags), the ones that must not (all-day,
// cancelled, free, declined, reminders, out of window), stable opaque uids, no title or name in
// any serialised record, and clear errors for malformed and oversized input.
#include <doctest/doctest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cairn/calendar/parse.hpp"
#include "cairn/scan/protocol.hpp"

using namespace cairn;
using cairn::records::MeetingRecord;

namespace {

const std::string kFixtures = std::string(CAIRN_SOURCE_DIR) + "/tests/agent/calendar/fixtures/";

std::string fixture(const std::string& name) {
  std::ifstream in(kFixtures + name, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::array<std::uint8_t, 32> key_of(std::uint8_t fill) {
  std::array<std::uint8_t, 32> k{};
  k.fill(fill);
  return k;
}

constexpr records::Instant kMarch1 = 1709251200;  // 2024-03-01T00:00Z
constexpr records::Instant kMay1 = 1714521600;    // 2024-05-01T00:00Z

calendar::ParseOptions window(const Clock& clock, records::Instant from = kMarch1, records::Instant to = kMay1) {
  calendar::ParseOptions o;
  o.from = from;
  o.to = to;
  o.clock = &clock;
  o.self_emails = {"me@corp.example"};
  return o;
}

std::string serialise(const std::vector<MeetingRecord>& meetings) {
  scan::ScanResponse r;
  scan::CalendarFileResponse f;
  f.path = "x.ics";
  f.meetings = meetings;
  r.calendar.push_back(f);
  return scan::encode_response(r);
}

}  // namespace

TEST_CASE("a weekly series across the DST change, with EXDATE and a moved instance") {
  const ManualClock clock(kMarch1, 7200);
  const auto key = key_of(7);
  auto parsed = calendar::parse_calendar(fixture("recurring_berlin.ics"), calendar::UidKey(key), window(clock));
  REQUIRE(parsed.ok());
  CHECK(parsed->skipped == 0);
  const auto& m = parsed->meetings;
  REQUIRE(m.size() == 8);

  struct Want {
    records::Instant start;
    records::Instant minutes;
    int attendees;
    bool one_on_one;
  };
  // Stand-up 09:30 Berlin: 08:30Z in CET, 07:30Z from 2024-03-31 (CEST). 04-08 is excluded, 04-15
  // moved to 04-16 14:00 Berlin (12:00Z) and 30 minutes. The 1:1 is Wednesdays 16:00 Berlin.
  const Want want[] = {
      {1710750600, 15, 4, false},  // 03-18 stand-up
      {1711355400, 15, 4, false},  // 03-25 stand-up
      {1711551600, 30, 2, true},   // 03-27 1:1 (CET)
      {1711956600, 15, 4, false},  // 04-01 stand-up (CEST)
      {1712152800, 30, 2, true},   // 04-03 1:1 (CEST)
      {1712757600, 30, 2, true},   // 04-10 1:1, last before UNTIL
      {1713268800, 30, 4, false},  // 04-16 the moved stand-up
      {1713771000, 15, 4, false},  // 04-22 stand-up, sixth of COUNT=6
  };
  for (std::size_t i = 0; i < m.size(); ++i) {
    CAPTURE(i);
    CHECK(m[i].start == want[i].start);
    CHECK(m[i].end - m[i].start == want[i].minutes * 60);
    CHECK(m[i].attendees == want[i].attendees);
    CHECK(m[i].one_on_one == want[i].one_on_one);
    CHECK(m[i].recurring);
    CHECK(m[i].utc_offset == 7200);  // the employee's local offset (the Clock), not the organiser's
    CHECK(m[i].uid.size() == 64);
  }
  // The moved instance keeps the uid of the slot it replaced (its RECURRENCE-ID), so a re-export
  // that moves it again updates one record instead of adding one.
  CHECK(m[6].uid == calendar::meeting_uid(calendar::UidKey(key), "standup-series-1@example.org", 1713166200));
  CHECK(m[0].uid == calendar::meeting_uid(calendar::UidKey(key), "standup-series-1@example.org", 1710750600));
}

TEST_CASE("uids are stable for one key, differ across keys, and never expose the UID") {
  const ManualClock clock(kMarch1, 0);
  const auto k1 = key_of(1), k2 = key_of(2);
  const std::string text = fixture("recurring_berlin.ics");
  auto a = calendar::parse_calendar(text, calendar::UidKey(k1), window(clock));
  auto b = calendar::parse_calendar(text, calendar::UidKey(k1), window(clock));
  auto c = calendar::parse_calendar(text, calendar::UidKey(k2), window(clock));
  REQUIRE((a.ok() && b.ok() && c.ok()));
  std::set<std::string> uids;
  for (std::size_t i = 0; i < a->meetings.size(); ++i) {
    CHECK(a->meetings[i].uid == b->meetings[i].uid);
    CHECK(a->meetings[i].uid != c->meetings[i].uid);
    uids.insert(a->meetings[i].uid);
  }
  CHECK(uids.size() == a->meetings.size());  // one uid per occurrence
  CHECK(serialise(a->meetings).find("example.org") == std::string::npos);
}

TEST_CASE("titles, descriptions, places and names never reach a record") {
  const ManualClock clock(kMarch1, 3600);
  const auto key = key_of(9);
  std::vector<MeetingRecord> all;
  for (const char* f : {"recurring_berlin.ics", "mixed.ics"}) {
    auto parsed = calendar::parse_calendar(fixture(f), calendar::UidKey(key), window(clock));
    REQUIRE(parsed.ok());
    all.insert(all.end(), parsed->meetings.begin(), parsed->meetings.end());
  }
  REQUIRE(all.size() == 11);
  const std::string json = serialise(all);
  for (const char* secret : {"Zebra", "Okapi", "Quokka", "Pelican", "Flamingo", "Narwhal", "Walrus", "Axolotl",
                             "Lemur", "Tapir", "Gecko", "Alice", "alice", "Bob", "Carol", "Erin", "Dave",
                             "corp.example", "mailto", "Standup", "One On One", "confidential", "Agenda"}) {
    CAPTURE(secret);
    CHECK(json.find(secret) == std::string::npos);
  }
}

TEST_CASE("UTC, floating and system-zone times; all-day, cancelled, free, declined and reminders skipped") {
  const ManualClock clock(kMarch1, 7200);  // the machine is at UTC+2
  const auto key = key_of(3);
  auto parsed = calendar::parse_calendar(fixture("mixed.ics"), calendar::UidKey(key), window(clock));
  REQUIRE(parsed.ok());
  CHECK(parsed->skipped == 1);  // the event whose DTSTART is not a date
  const auto& m = parsed->meetings;
  REQUIRE(m.size() == 3);
  // 13:00Z planning: organiser + 4 people; the projector (CUTYPE=RESOURCE) is not a participant.
  CHECK(m[0].start == 1712062800);
  CHECK(m[0].end == 1712066400);
  CHECK(m[0].attendees == 5);
  CHECK_FALSE(m[0].one_on_one);
  CHECK_FALSE(m[0].recurring);
  // Floating 12:00 is local time: 10:00Z at UTC+2. Two participants: a 1:1.
  CHECK(m[1].start == 1712224800);
  CHECK(m[1].end - m[1].start == 45 * 60);
  CHECK(m[1].attendees == 2);
  CHECK(m[1].one_on_one);
  // America/New_York from the system zoneinfo: 10:00 EDT = 14:00Z.
  CHECK(m[2].start == 1712325600);
  CHECK(m[2].attendees == 3);
}

TEST_CASE("the window keeps only occurrences starting inside it") {
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(4);
  // [2024-04-01T00:00Z, 2024-04-11T00:00Z)
  auto parsed = calendar::parse_calendar(fixture("recurring_berlin.ics"), calendar::UidKey(key),
                                         window(clock, 1711929600, 1712793600));
  REQUIRE(parsed.ok());
  std::vector<records::Instant> starts;
  for (const auto& m : parsed->meetings) starts.push_back(m.start);
  CHECK(starts == std::vector<records::Instant>{1711956600, 1712152800, 1712757600});
  // An empty window is a caller's mistake.
  CHECK(calendar::parse_calendar(fixture("recurring_berlin.ics"), calendar::UidKey(key),
                                 window(clock, 10, 10)).error().code == Errc::usage);
}

TEST_CASE("a cancelled override removes its instance; a cancelled series removes everything") {
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(5);
  const std::string series =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
      "BEGIN:VEVENT\r\nUID:s1\r\nDTSTART:20240401T090000Z\r\nDTEND:20240401T093000Z\r\n"
      "RRULE:FREQ=DAILY;COUNT=3\r\nORGANIZER:mailto:a@x\r\nATTENDEE:mailto:b@x\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID:20240402T090000Z\r\nDTSTART:20240402T090000Z\r\n"
      "DTEND:20240402T093000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  auto parsed = calendar::parse_calendar(series, calendar::UidKey(key), window(clock));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->meetings.size() == 2);
  CHECK(parsed->meetings[0].start == 1711962000);  // 04-01 09:00Z
  CHECK(parsed->meetings[1].start == 1712134800);  // 04-03 09:00Z

  std::string cancelled = series;
  cancelled.replace(cancelled.find("RRULE"), 0, "STATUS:CANCELLED\r\n");
  auto none = calendar::parse_calendar(cancelled, calendar::UidKey(key), window(clock));
  REQUIRE(none.ok());
  CHECK(none->meetings.empty());
}

TEST_CASE("RDATE adds instances and a DATE-valued EXDATE removes that day's instance") {
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(6);
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
      "BEGIN:VEVENT\r\nUID:r1\r\nDTSTART:20240401T090000Z\r\nDURATION:PT1H\r\n"
      "RRULE:FREQ=DAILY;COUNT=3\r\nRDATE:20240410T150000Z\r\nEXDATE;VALUE=DATE:20240402\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n";
  auto parsed = calendar::parse_calendar(text, calendar::UidKey(key), window(clock));
  REQUIRE(parsed.ok());
  std::vector<records::Instant> starts;
  for (const auto& m : parsed->meetings) {
    starts.push_back(m.start);
    CHECK(m.end - m.start == 3600);
    CHECK(m.attendees == 0);  // no participants listed: counted as none, never guessed
    CHECK(m.recurring);
  }
  CHECK(starts == std::vector<records::Instant>{1711962000, 1712134800, 1712761200});
}

TEST_CASE("malformed input fails with one clear line") {
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(8);
  auto check_error = [&](const std::string& text, Errc code, const std::string& words) {
    auto r = calendar::parse_calendar(text, calendar::UidKey(key), window(clock));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == code);
    CHECK(r.error().message.find(words) != std::string::npos);
    CHECK(r.error().message.find('\n') == std::string::npos);
  };
  check_error(fixture("not_a_calendar.ics"), Errc::corrupt, "no BEGIN:VCALENDAR");
  check_error(fixture("truncated.ics"), Errc::corrupt, "no END:VCALENDAR");
  check_error("", Errc::corrupt, "no BEGIN:VCALENDAR");
  check_error(std::string("BEGIN:VCALENDAR\r\n\0\r\nEND:VCALENDAR\r\n", 36), Errc::corrupt, "NUL");

  // Oversized: one byte past the limit, refused before libical sees it.
  std::string big = "BEGIN:VCALENDAR\r\n";
  big.append(calendar::kMaxCalendarBytes, 'X');
  big += "END:VCALENDAR\r\n";
  check_error(big, Errc::too_large, "16 MiB");

  // The file API names the file and maps size to too_large as well.
  auto missing = calendar::parse_calendar_file(kFixtures + "does-not-exist.ics", calendar::UidKey(key), window(clock));
  CHECK_FALSE(missing.ok());
}

TEST_CASE("an oversized file on disk is refused") {
  const char* tmp = std::getenv("CAIRN_TEST_TMP");
  const std::filesystem::path dir = tmp ? tmp : std::filesystem::temp_directory_path().string();
  std::filesystem::create_directories(dir);
  const auto path = dir / "calendar-oversized.ics";
  {
    std::ofstream out(path, std::ios::binary);
    out << "BEGIN:VCALENDAR\r\n";
    const std::string line(1000, 'Y');
    for (std::size_t n = 0; n <= calendar::kMaxCalendarBytes / 1000; ++n) out << line;
    out << "\r\nEND:VCALENDAR\r\n";
  }
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(8);
  auto r = calendar::parse_calendar_file(path, calendar::UidKey(key), window(clock));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::too_large);
  CHECK(r.error().message.find("calendar-oversized.ics") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("runaway recurrences are bounded") {
  const ManualClock clock(kMarch1, 0);
  const auto key = key_of(10);
  // Every minute since 2000: far more steps than allowed before the window is even reached.
  const std::string text =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m1\r\nDTSTART:20000101T000000Z\r\n"
      "DURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  auto opts = window(clock);
  opts.max_iterations = 10000;
  auto parsed = calendar::parse_calendar(text, calendar::UidKey(key), opts);
  REQUIRE(parsed.ok());
  CHECK(parsed->skipped == 1);
  CHECK(parsed->meetings.empty());

  // Inside the window, too many occurrences fail the file instead of flooding the store.
  const std::string hourly =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:h1\r\nDTSTART:20240301T000000Z\r\n"
      "DURATION:PT30M\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  opts.max_iterations = 1000000;
  opts.max_occurrences = 100;
  auto flood = calendar::parse_calendar(hourly, calendar::UidKey(key), opts);
  REQUIRE_FALSE(flood.ok());
  CHECK(flood.error().code == Errc::too_large);
}

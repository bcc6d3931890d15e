// The calendar source: turns an exported iCalendar file (.ics) into MeetingRecords through
// libical. Only times, durations, attendee counts and flags come out: SUMMARY, DESCRIPTION,
// LOCATION, names and addresses are read only as far as needed to count participants and are
// never copied into a record.
//
// What counts as a meeting occurrence (the source's definition, shown in docs/privacy.md):
//   - VEVENTs with a DATE-TIME start. All-day events (DATE values) are skipped: they mark days
//     (holidays, leave, deadlines), not time spent meeting.
//   - STATUS:CANCELLED events and instances are skipped; so are TRANSP:TRANSPARENT events (they do
//     not block time) and instances the employee declined (PARTSTAT=DECLINED on an attendee whose
//     address is one of self_emails).
//   - Events without a duration (no DTEND/DURATION, or a zero one) are reminders and are skipped.
//   - Recurrence is expanded: RRULE(s) and RDATE, minus EXDATE; an override (a VEVENT with the same
//     UID and a RECURRENCE-ID) replaces the instance it names. Occurrences starting in
//     [from, to) are returned.
//   - Time zones: TZID resolved against the file's VTIMEZONEs, then the system's zoneinfo; UTC as
//     is; floating times (and unknown TZIDs) are the local time of this machine (the Clock). A
//     wall-clock time skipped by a change forward reads in the offset before the change, one
//     repeated by a change back is its first pass (RFC 5545 3.3.5).
//   - Recurrences and zones are expanded by Cairn's own code for the common rule shapes and by
//     libical (on ICU, about 2.7 MiB more) for the rest; both give the same instances
//     (tests/agent/calendar/recurrence_test.cpp).
//   - attendees = distinct ATTENDEEs that are people (CUTYPE=ROOM/RESOURCE left out) plus the
//     ORGANIZER when not among them; one_on_one = exactly 2. recurring = part of a series.
//   - uid = hex keyed BLAKE2b-256 (key: the caller's 32 bytes) of the event UID and the occurrence's
//     original start (its RECURRENCE-ID for an override), so a moved instance keeps its uid.
//   - utc_offset = the local (Clock) offset at the occurrence start, so days are cut where the
//     employee lives, whatever zone the organiser used.
//
// Malformed input fails with one line and no records: over kMaxCalendarBytes, a NUL byte, no
// BEGIN:VCALENDAR/END:VCALENDAR, nothing libical can parse. Individual events that libical
// cannot read a start for are skipped and counted in `skipped`.
//
// Thread safety: libical keeps process-wide state (error flag, time-zone cache), so calls are
// serialised by an internal mutex; safe to call from several threads, but not in parallel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/result.hpp"

namespace cairn::calendar {

inline constexpr std::size_t kMaxCalendarBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kUidKeyBytes = 32;
using UidKey = std::span<const std::uint8_t, kUidKeyBytes>;

struct ParseOptions {
  records::Instant from = 0;  // window: occurrences starting in [from, to)
  records::Instant to = 0;
  const Clock* clock = nullptr;           // local time zone; nullptr: system_clock()
  std::vector<std::string> self_emails;   // the employee's addresses, to drop declined instances
  std::size_t max_occurrences = 100000;   // per file; more fails with Errc::too_large
  std::size_t max_iterations = 2000000;   // recurrence steps per file; events past it are skipped
};

struct ParseResult {
  std::vector<records::MeetingRecord> meetings;  // sorted by start, then uid
  std::size_t skipped = 0;  // events with no readable start, or whose recurrence ran past the limit
};

Result<ParseResult> parse_calendar(std::string_view bytes, UidKey uid_key, const ParseOptions& options);

// Reads the file (bounded by kMaxCalendarBytes) and parses it; errors name the file.
Result<ParseResult> parse_calendar_file(const std::filesystem::path& path, UidKey uid_key,
                                        const ParseOptions& options);

// The uid of an occurrence, exposed for tests: hex(BLAKE2b-256_key("cairn-meeting-v1" 0 uid 0 start)).
std::string meeting_uid(UidKey uid_key, std::string_view event_uid, records::Instant original_start);

}  // namespace cairn::calendar

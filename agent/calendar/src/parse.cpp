// The calendar parser: validates the bytes, lets libical parse them, reduces every VEVENT to the
// few facts a MeetingRecord holds, expands recurrences inside the window and applies overrides.
// Rules and their reasons are in parse.hpp.
#include "cairn/calendar/parse.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "cairn/base/files.hpp"
#include "cairn/crypto/sodium.hpp"
#include "event.hpp"
#include "ical_time.hpp"

namespace cairn::calendar {

namespace {

using detail::Event;

std::mutex& ical_mutex() {
  static std::mutex m;
  return m;
}

// Zones cached during one parse point into that parse's tree: forgotten on the way in and out.
struct ZoneCacheScope {
  ZoneCacheScope() { detail::reset_zone_cache(); }
  ~ZoneCacheScope() { detail::reset_zone_cache(); }
  ZoneCacheScope(const ZoneCacheScope&) = delete;
  ZoneCacheScope& operator=(const ZoneCacheScope&) = delete;
};

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

// True when some line starts with `token` (ASCII case-insensitive), as RFC 5545 content lines do.
bool has_line(std::string_view text, std::string_view token) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\xEF' ||
                             line.front() == '\xBB' || line.front() == '\xBF'))
      line.remove_prefix(1);  // leading blanks and a UTF-8 byte-order mark
    if (line.size() >= token.size() &&
        std::equal(token.begin(), token.end(), line.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
        }))
      return true;
    pos = end + 1;
  }
  return false;
}

Status check_shape(std::string_view bytes) {
  if (bytes.size() > kMaxCalendarBytes)
    return make_error(Errc::too_large, "calendar file is larger than 16 MiB");
  if (bytes.find('\0') != std::string_view::npos)
    return make_error(Errc::corrupt, "not an iCalendar file (it holds a NUL byte)");
  if (!has_line(bytes, "BEGIN:VCALENDAR"))
    return make_error(Errc::corrupt, "not an iCalendar file (no BEGIN:VCALENDAR)");
  if (!has_line(bytes, "END:VCALENDAR"))
    return make_error(Errc::corrupt, "iCalendar file is truncated (no END:VCALENDAR)");
  return ok_status();
}

void emit(std::vector<records::MeetingRecord>& out, UidKey key, const Event& ev, records::Instant start,
          records::Instant original_start, records::Instant duration, const Clock& clock) {
  records::MeetingRecord m;
  m.uid = meeting_uid(key, ev.uid, original_start);
  m.start = start;
  m.end = start + duration;
  m.utc_offset = clock.utc_offset(start);
  m.attendees = ev.attendees;
  m.recurring = ev.recurring || ev.is_override;
  m.one_on_one = ev.attendees == 2;
  out.push_back(std::move(m));
}

}  // namespace

std::string meeting_uid(UidKey uid_key, std::string_view event_uid, records::Instant original_start) {
  std::string msg = "cairn-meeting-v1";
  msg.push_back('\0');
  msg.append(event_uid);
  msg.push_back('\0');
  msg += std::to_string(original_start);
  return crypto::to_hex(crypto::generichash_keyed(crypto::ByteView(uid_key), crypto::as_bytes(msg)));
}

Result<ParseResult> parse_calendar(std::string_view bytes, UidKey uid_key, const ParseOptions& options) {
  CAIRN_TRY(check_shape(bytes));
  if (options.to <= options.from) return make_error(Errc::usage, "calendar window is empty (to <= from)");
  const Clock& clock = options.clock ? *options.clock : system_clock();

  std::lock_guard lock(ical_mutex());
  const ZoneCacheScope zones;  // declared before the tree, so it is cleared after the tree is freed
  icalerror_set_errors_are_fatal(0);
  icalerror_clear_errno();
  const std::string text(bytes);  // libical wants a NUL-terminated string
  std::unique_ptr<icalcomponent, ComponentFree> root(icalparser_parse_string(text.c_str()));
  if (!root) return make_error(Errc::corrupt, "iCalendar file does not parse");

  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) {
    calendars.push_back(root.get());
  } else {
    for (icalcomponent* c = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT); c;
         c = icalcomponent_get_next_component(root.get(), ICAL_VCALENDAR_COMPONENT))
      calendars.push_back(c);
  }
  if (calendars.empty()) return make_error(Errc::corrupt, "iCalendar file holds no VCALENDAR");

  ParseResult result;
  detail::EventSet events;
  for (icalcomponent* cal : calendars) {
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
      switch (detail::read_event(ev, cal, options.self_emails, clock, events)) {
        case detail::ReadOutcome::kept:
        case detail::ReadOutcome::not_a_meeting: break;
        case detail::ReadOutcome::unreadable: ++result.skipped; break;
      }
    }
  }

  std::size_t budget = options.max_iterations;
  for (const auto& [uid, master] : events.masters) {
    if (!master.counts) continue;  // its overrides may still count (an accepted instance)
    const auto expansion = detail::expand(master, options.from, options.to, budget, clock);
    if (expansion.truncated) ++result.skipped;
    for (const records::Instant s : expansion.starts) {
      if (events.overrides.count({uid, s})) continue;  // the override speaks for this instance
      emit(result.meetings, uid_key, master, s, s, master.duration, clock);
      if (result.meetings.size() > options.max_occurrences)
        return make_error(Errc::too_large, "calendar holds more than " + std::to_string(options.max_occurrences) +
                                               " meetings in the window");
    }
  }
  for (const auto& [key, ov] : events.overrides) {
    if (!ov.counts || ov.start < options.from || ov.start >= options.to) continue;
    const auto master = events.masters.find(key.first);
    if (master != events.masters.end() && master->second.cancelled) continue;  // whole series cancelled
    emit(result.meetings, uid_key, ov, ov.start, ov.recurrence_id, ov.duration, clock);
    if (result.meetings.size() > options.max_occurrences)
      return make_error(Errc::too_large, "calendar holds more than " + std::to_string(options.max_occurrences) +
                                             " meetings in the window");
  }
  std::sort(result.meetings.begin(), result.meetings.end(), [](const auto& a, const auto& b) {
    return a.start != b.start ? a.start < b.start : a.uid < b.uid;
  });
  return result;
}

Result<ParseResult> parse_calendar_file(const std::filesystem::path& path, UidKey uid_key,
                                        const ParseOptions& options) {
  auto bytes = fs::read_text_file(path, kMaxCalendarBytes);
  if (!bytes) {
    if (bytes.error().code == Errc::too_large)
      return make_error(Errc::too_large, path.string() + ": calendar file is larger than 16 MiB");
    return bytes.error();
  }
  auto parsed = parse_calendar(*bytes, uid_key, options);
  if (!parsed) return make_error(parsed.error().code, path.string() + ": " + parsed.error().message);
  return parsed;
}

}  // namespace cairn::calendar

// Private: one VEVENT reduced to the facts a MeetingRecord needs (no text of the event survives
// this step beyond its UID, which is only hashed), and the recurrence expansion of a master event.
#pragma once

#include <libical/ical.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/clock.hpp"

namespace cairn::calendar::detail {

struct Event {
  std::string uid;              // hashed into MeetingRecord::uid, never stored as is
  int sequence = 0;             // newer revisions of the same event win
  bool is_override = false;     // has RECURRENCE-ID
  records::Instant recurrence_id = 0;  // overrides: the original start of the instance replaced
  icaltimetype dtstart{};       // wall clock with its zone, for recurrence rules
  records::Instant start = 0;
  records::Instant duration = 0;  // seconds, > 0
  bool cancelled = false;       // STATUS:CANCELLED
  bool counts = true;           // false: cancelled, transparent or declined (still hides its instance)
  bool recurring = false;       // RRULE or RDATE present
  int attendees = 0;
  std::vector<icalproperty*> rrules;  // owned by the parsed tree, alive during the parse
  std::vector<records::Instant> rdates;
  std::vector<records::Instant> exdates;
};

struct EventSet {
  std::map<std::string, Event> masters;                               // by UID
  std::map<std::pair<std::string, records::Instant>, Event> overrides;  // by UID and RECURRENCE-ID
};

enum class ReadOutcome { kept, not_a_meeting, unreadable };

// Reduces one VEVENT and files it in `events` (keeping the highest SEQUENCE per key).
ReadOutcome read_event(icalcomponent* ev, icalcomponent* calendar, const std::vector<std::string>& self_emails,
                       const Clock& clock, EventSet& events);

struct Expansion {
  std::vector<records::Instant> starts;  // original starts in [from, to), ascending, EXDATEs removed
  bool truncated = false;              // the step budget ran out before the rule reached `to`
};
// budget: recurrence steps left for the whole file; decremented by the steps taken.
Expansion expand(const Event& master, records::Instant from, records::Instant to, std::size_t& budget,
                 const Clock& clock);

}  // namespace cairn::calendar::detail

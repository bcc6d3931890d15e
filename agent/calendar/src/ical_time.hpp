// Private: turning libical times into UTC instants. A time is UTC ('Z'), zoned (TZID resolved
// against the file's VTIMEZONEs, then the system zoneinfo) or floating (the machine's local time,
// through the Clock so tests can fix the zone). Zone rules are read by zone_table.hpp; libical's
// own conversion (through ICU) is the fallback.
#pragma once

#include <libical/ical.h>

#include <optional>

#include "cairn/records/records.hpp"
#include "cairn/base/clock.hpp"

namespace cairn::calendar::detail {

// The time of a DTSTART/DTEND/RECURRENCE-ID/EXDATE property with its zone attached (zone stays
// null for floating times and for TZIDs nobody knows). Null time when the value is unreadable.
icaltimetype property_time(icalproperty* prop, icalcomponent* calendar);

// The zone a property's TZID names, or null.
const icaltimezone* zone_of(icalproperty* prop, icalcomponent* calendar);

// Wall-clock time in t.zone (or UTC, or floating local) to seconds since the epoch.
records::Instant to_instant(icaltimetype t, const Clock& clock);

// Forgets the zones zone_of() met: call before and after each parse, whose tree owns them. Like
// the rest of this file, only under parse.cpp's libical mutex.
void reset_zone_cache();

}  // namespace cairn::calendar::detail

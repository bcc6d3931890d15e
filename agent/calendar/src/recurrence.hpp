// Private: Cairn's own expansion of the common RRULE shapes (DAILY, WEEKLY, MONTHLY and YEARLY with
// INTERVAL, COUNT, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, WKST), in local wall-clock time.
//
// Why not libical's iterator: Debian's libical runs every recurrence iterator on an ICU calendar
// (ucal_open), and ICU's first calendar costs cairn-scan-calendar about 2.7 MiB, the difference
// between the unit's 8 MiB memory target met and missed (docs/benchmarks.md). Rules this engine
// does not claim (own_rule_supported() false: BYWEEKNO, BYYEARDAY, BYHOUR/BYMINUTE/BYSECOND,
// sub-daily FREQ, RSCALE, ordinals where only plain weekdays make sense, an UNTIL that is no real
// date or time such as 20240681, which libical compares field by field, every other week on one
// weekday that is not DTSTART's, where libical's first instance follows neither WKST nor RFC 5545)
// still go to libical, so no rule is lost. tests/agent/calendar/recurrence_test.cpp checks it
// instance by instance against libical's iterator, and tests/fuzz/calendar/recurrence_fuzz.cpp
// does so for whatever rule a fuzzer writes.
#pragma once

#include <libical/ical.h>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace cairn::calendar::detail {

// Local wall-clock time as seconds since 1970-01-01T00:00 of the same wall clock (no zone).
using LocalSeconds = std::int64_t;

LocalSeconds local_seconds(const icaltimetype& t);
icaltimetype local_time(LocalSeconds s);  // is_date 0, zone null

// True when expand_rule() reproduces libical's instances for this rule from this DTSTART exactly.
bool own_rule_supported(const icalrecurrencetype& rule, LocalSeconds dtstart);

// Calls take(instance) for each instance of `rule` at or after `dtstart`, ascending, until take
// returns false, COUNT is reached or `budget` (one step per period and per instance) runs out.
// UNTIL is the caller's: it needs the zone. Returns false when the budget ran out.
bool expand_rule(const icalrecurrencetype& rule, LocalSeconds dtstart, std::size_t& budget,
                 const std::function<bool(LocalSeconds)>& take);

}  // namespace cairn::calendar::detail

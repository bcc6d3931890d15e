// Private: a time zone as the list of its offset changes, built from a VTIMEZONE (its STANDARD and
// DAYLIGHT observances: DTSTART, RDATE and RRULE through recurrence.hpp) or from a system zoneinfo
// (TZif) file, so wall-clock times convert to UTC without libical's icaltimezone_convert_time.
// That function expands zones with libical's recurrence iterator, which runs on ICU and costs
// cairn-scan-calendar about 2.7 MiB (see recurrence.hpp). Anything this cannot read (an observance
// rule recurrence.hpp does not claim, leap-second zoneinfo, a time past a zoneinfo file's last
// transition when its rule has daylight saving time) yields no table, and the caller uses libical.
#pragma once

#include <libical/ical.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "recurrence.hpp"

namespace cairn::calendar::detail {

struct OffsetChange {
  LocalSeconds onset = 0;  // the wall clock of the old offset at which the new one starts
  std::int32_t from = 0;   // UTC offsets in seconds
  std::int32_t to = 0;
};

class ZoneTable {
 public:
  ZoneTable(std::vector<OffsetChange> changes, std::int32_t initial, LocalSeconds covered_until);

  // The UTC offset of wall-clock time `local`, or nullopt when `local` is past what the table
  // covers. A time in the gap of a change forward, or repeated by a change back, takes the offset
  // in force before the change (RFC 5545 3.3.5: the earlier of two repeated times).
  std::optional<std::int32_t> offset_at(LocalSeconds local) const;
  LocalSeconds covered_until() const { return covered_until_; }

 private:
  std::vector<OffsetChange> changes_;  // by onset
  std::int32_t initial_;
  LocalSeconds covered_until_;
};

// Changes up to the end of `last_year`; nullopt if an observance is beyond this reader.
std::optional<ZoneTable> table_from_vtimezone(icalcomponent* vtimezone, int last_year);

// From the bytes of a TZif file (RFC 8536, version 2 or later for 64-bit times).
std::optional<ZoneTable> table_from_tzif(std::string_view bytes);

}  // namespace cairn::calendar::detail

// What cairn-scan-calendar does, as a library function: answer the calendar part of a parsed
// ScanRequest in this process (each .ics file through parse_calendar_file). Tests call it
// directly; the executable is a thin main over scan::helper_main(). Links libical (and through it
// ICU): never link this into the daemon. Git repositories are cairn-scan's
// (cairn/gitsrc/scan_service.hpp): libgit2 would cost this child memory it does not need.
//
// Thread safety: run_calendar_scan may be called from several threads (parsing is serialised
// inside parse_calendar_file).
#pragma once

#include "cairn/base/clock.hpp"
#include "cairn/scan/protocol.hpp"

namespace cairn::calendar {

inline constexpr const char* kCalendarHelperName = "cairn-scan-calendar";

// Parses every calendar file of the request inside [from, to); a failing file is reported in its
// own entry and never stops the others. Git entries are answered with an error each (not read
// here). `clock` gives the local time zone of floating times.
scan::ScanResponse run_calendar_scan(const scan::ScanRequest& request, const Clock& clock);

}  // namespace cairn::calendar

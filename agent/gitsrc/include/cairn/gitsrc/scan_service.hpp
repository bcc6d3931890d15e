// What cairn-scan does, as library functions: run a parsed ScanRequest in this process (git
// repositories through scan_repository, .ics files through calendar::parse_calendar_file) and
// serve one request from a stdin/stdout pair. Tests call these directly; the executable is a thin
// main over serve_scan(). Links libgit2 and libical: never link this into the daemon (use
// cairn/scan/child.hpp there).
//
// Thread safety: run_scan may be called from several threads (calendar parsing is serialised
// inside cairn_calendar).
#pragma once

#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/scan/protocol.hpp"

namespace cairn::gitsrc {

// Runs every source of the request; a failing source is reported in its own entry and never stops
// the others. `clock` gives "now" (the default first-scan bound) and the local time zone.
scan::ScanResponse run_scan(const scan::ScanRequest& request, const Clock& clock);

// Reads one request from `in` (bounded by kMaxRequestBytes), writes the response to `out` and
// returns 0; on a bad request writes one line to `err` and returns kScanBadRequestExit (2), with
// nothing on `out`; returns 1 when the response cannot be written.
int serve_scan(std::FILE* in, std::FILE* out, std::FILE* err, const Clock& clock);

}  // namespace cairn::gitsrc

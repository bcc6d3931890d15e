// The helper side of the cairn-scan protocol: read one request from stdin, answer it with a
// source-specific function, write the response to stdout. Each scan helper (cairn-scan for git,
// cairn-scan-calendar for .ics files) is a thin main over helper_main(), so each links only the
// parser it needs: libgit2 and libical together cost the child 2 MiB more than either alone.
//
// Thread safety: serve() reads and writes the streams it is given; one call at a time per stream.
#pragma once

#include <cstdio>
#include <functional>

#include "cairn/scan/protocol.hpp"

namespace cairn::scan {

// Answers a parsed request; a failing source is reported in its own entry.
using Answer = std::function<ScanResponse(const ScanRequest&)>;

// Reads one request from `in` (bounded by kMaxRequestBytes), writes answer(request) to `out` and
// returns 0; on a bad request writes one line "<program>: <why>" to `err` and returns
// kScanBadRequestExit (2), with nothing on `out`; returns 1 when the response cannot be written.
int serve(std::FILE* in, std::FILE* out, std::FILE* err, const char* program, const Answer& answer);

// A helper's whole main: refuses arguments, hardens the process (no core dumps, no ptrace), points
// fd 2 at /dev/null (parsers such as libical print pieces of their input there; the daemon relays
// the child's stderr) while the helper's own one-line errors go to a private copy of it, then
// serve()s stdin to stdout.
int helper_main(int argc, char** argv, const char* program, const Answer& answer);

// A source this helper does not read, answered in its entry rather than dropped.
SourceError not_read_here(const char* program);

}  // namespace cairn::scan

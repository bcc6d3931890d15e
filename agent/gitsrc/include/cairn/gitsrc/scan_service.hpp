// What cairn-scan does, as a library function: answer the git part of a parsed ScanRequest in this
// process (each repository through scan_repository). Tests call it directly; the executable is a
// thin main over scan::helper_main(). Links libgit2: never link this into the daemon (use
// cairn/scan/child.hpp there). Calendar files are the calendar helper's
// (cairn/calendar/scan_service.hpp): its libical would cost this child 2 MiB it does not need.
//
// Thread safety: run_git_scan may be called from several threads.
#pragma once

#include "cairn/base/clock.hpp"
#include "cairn/scan/protocol.hpp"

namespace cairn::gitsrc {

inline constexpr const char* kGitHelperName = "cairn-scan";

// Runs every git repository of the request; a failing repository is reported in its own entry and
// never stops the others. Calendar entries are answered with an error each (not read here).
// `clock` gives "now" (the default first-scan bound).
scan::ScanResponse run_git_scan(const scan::ScanRequest& request, const Clock& clock);

}  // namespace cairn::gitsrc

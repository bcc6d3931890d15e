// The daemon's side of cairn-scan: spawn the child with posix_spawn, write the request to its
// stdin, read its stdout (bounded) and stderr (first line kept), enforce a timeout, and parse the
// response. Links no libgit2/libical: safe for the daemon.
//
// The child inherits the environment (TZ matters: floating calendar times are local time) and
// nothing else: only stdin/stdout/stderr are open in it, its signal mask and dispositions are reset.
//
// Thread safety: each call owns its pipes and child; concurrent calls are safe. SIGPIPE is blocked
// on the calling thread while writing, so a child that dies early never kills the caller.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include "cairn/base/result.hpp"
#include "cairn/scan/protocol.hpp"

namespace cairn::scan {

struct ChildLimits {
  std::chrono::milliseconds timeout{120000};         // wall clock for the whole exchange
  std::size_t max_output_bytes = kMaxResponseBytes;  // stdout past this kills the child
};

// Errors: Errc::not_found (executable missing), Errc::usage (child exit 2: it refused the request;
// its stderr line is in the message), Errc::io for a crash, a
// timeout (the child is killed and reaped) or another exit status; Errc::too_large for oversized
// output; Errc::corrupt when stdout is not a valid response.
Result<ScanResponse> run_scan_child(const std::filesystem::path& executable, const ScanRequest& request,
                                    const ChildLimits& limits = {});

// The lower layer, exposed for tests: runs `executable` with `input` on stdin; returns its stdout
// when it exits 0.
Result<std::string> run_child_exchange(const std::filesystem::path& executable, const std::string& input,
                                       const ChildLimits& limits);

}  // namespace cairn::scan

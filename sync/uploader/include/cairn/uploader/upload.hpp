// One upload run over the spool, as `cairn-upload` (the systemd user timer) and `cairn share sync`
// both do it: under the spool lock, every waiting envelope is sent to the leader named in
// destination.json, in ledger order (the aggregators witness that each device's chain only grows),
// with up to `attempts` tries each on network errors, 408, 429 and 5xx. An envelope is "sent" only
// when the leader's answer says BOTH aggregators hold it (wire::UploadAnswer::both_hold); it then
// moves to sent/. Any other answer is final: it moves to refused/ with the reason. Once one
// envelope stays waiting (offline, 503, only one side holds it), the later ones wait behind it.
// Sending again is safe: the leader answers "already held" for a report it has.
//
// Needs no key and reads nothing but the spool; the envelopes are already sealed and signed.
//
// Thread safety: one run per spool at a time (the lock serialises processes).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cairn/base/clock.hpp"
#include "cairn/base/result.hpp"
#include "cairn/wire/transport.hpp"

namespace cairn::uploader {

struct RunOptions {
  int attempts = 3;          // per envelope per run
  int first_delay_ms = 200;  // then x4
};

struct RunSummary {
  int sent = 0, waiting = 0, refused = 0;
  std::vector<std::string> notes;  // one line each, for the person (report ids, reasons)
};

// Errc::io (one line) only when the spool cannot be read or written; the network's troubles are
// in the summary and the status file, never an error.
Result<RunSummary> upload_spool(const std::filesystem::path& spool, wire::Transport& transport, const Clock& clock,
                                const RunOptions& options = {});

}  // namespace cairn::uploader

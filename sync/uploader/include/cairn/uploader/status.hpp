// What the uploader last did, for the person: "3 reports waiting to send, last try 10:02: leader
// unreachable". The uploader writes <spool>/status.json after every run; the CLI (`cairn status`,
// `cairn share list`) and the panel read it with read_status(), which counts the waiting, sent and
// refused envelopes live from the spool folders, so an approval made after the last run is counted.
// Reading needs no key: `cairn status` shows it without unlocking.
//
// status.json (version 1): {"version":1,"last_try":<unix s>,"last_sent":<unix s>,
//   "last_error":"<one line>","sent_total":<n>,"refused_total":<n>}
// last_error is empty when the last try reached the leader and nothing is left waiting because of
// the network; it is outside text made safe (base/text.hpp) and at most kMaxErrorChars long.
//
// Thread safety: pure functions over the file system.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "cairn/base/clock.hpp"
#include "cairn/base/result.hpp"

namespace cairn::uploader {

inline constexpr std::size_t kMaxErrorChars = 200;

struct UploadStatus {
  std::size_t waiting = 0;   // envelopes in the spool now
  std::size_t sent = 0;      // in sent/: sent, not yet recorded in the store (next unlock does)
  std::size_t refused = 0;   // in refused/: refused for good, not yet recorded in the store
  std::int64_t last_try = 0;   // 0: never tried
  std::int64_t last_sent = 0;  // last time a report was sent (both aggregators hold it)
  std::string last_error;      // one line; empty when the last try had no network or server error
  std::uint64_t sent_total = 0, refused_total = 0;  // by the uploader, all time
};

// Live counts plus the last run's file. A missing spool or status file is "nothing yet";
// Errc::corrupt only when status.json exists and is not ours.
Result<UploadStatus> read_status(const std::filesystem::path& spool);
// Written by the uploader (atomic, 0600); the counts in `s` are not stored (they are live).
Status write_status(const std::filesystem::path& spool, const UploadStatus& s);

// The one line the CLI and the panel show, e.g.
//   "3 reports waiting to send, last try 10:02: leader unreachable"
//   "1 report waiting to send (not tried yet)"
//   "Nothing waiting to send; last report sent 2026-12-01 09:47"
//   "" when nothing was ever approved on this device.
// Times are local (clock's offset), with the date when not today.
std::string status_line(const UploadStatus& s, const Clock& clock);

// A one-line, safe, bounded error text (for status.json and receipts).
std::string one_line_error(const std::string& text);

}  // namespace cairn::uploader

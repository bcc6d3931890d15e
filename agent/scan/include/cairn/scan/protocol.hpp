// The request/response protocol between the daemon and `cairn-scan`, the short-lived child that
// does the rare heavy work (git through libgit2, .ics through libical) so the daemon never links
// either (libgit2 alone costs ~9.5 MiB RSS). This library (cairn_scan) links neither
// either: only nlohmann_json, so the daemon can use it.
//
// Wire format, version 1: one JSON object on the child's stdin, one on its stdout (UTF-8, at most
// kMaxRequestBytes / kMaxResponseBytes). Instants are integer seconds since the Unix epoch (UTC).
//
// Request:
//   {"version": 1,
//    "emails": ["me@corp.example"],       // the employee's addresses (git authors, calendar self)
//    "keep_messages": false,              // git: keep commit messages (separate consent)
//    "assistants_file": "/path",          // optional: assistants list replacing the shipped one
//    "since": 1700000000,                 // optional: first-scan bound, default now - 90 days
//    "git": [{"path": "/home/me/src/app", "label": "app", "state": "<blob from last time>"}],
//    "calendar": [{"path": "/home/me/work.ics"}],
//    "from": 1700000000, "to": 1702592000,   // calendar window [from, to); required with calendar
//    "uid_key_hex": "<64 hex>"}           // 32-byte key for meeting uids; required with calendar
//   Unknown keys are ignored (a newer daemon may send more); a wrong type or a missing required
//   key makes the whole request bad.
//
// Response (exit status 0):
//   {"version": 1,
//    "git": [{"label": "app", "ok": true, "state": "<new blob>", "visited": 12,
//             "commits": [{"repo": "app", "id": "<40 hex>", "time": 1700000100, "utc_offset": 3600,
//                          "lines_added": 10, "lines_removed": 2, "files_changed": 1,
//                          "ai_assisted": true, "ai_tool": "Claude", "message": "..."}]},   // message only when kept
//            {"label": "gone", "ok": false, "code": "not-found", "error": "not a git repository: ..."}],
//    "calendar": [{"path": "/home/me/work.ics", "ok": true, "skipped": 0,
//                  "meetings": [{"uid": "<64 hex>", "start": 1700000000, "end": 1700001800,
//                                "utc_offset": 3600, "attendees": 2, "recurring": true,
//                                "one_on_one": true}]}]}
//   One entry per requested source, in request order. A source that fails carries ok=false and a
//   one-line error; the others are unaffected, and a failed repository keeps its old state.
//   A bad request: one line on stderr and exit status 2; nothing on stdout.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/result.hpp"

namespace cairn::scan {

inline constexpr int kScanProtocolVersion = 1;
inline constexpr std::size_t kMaxRequestBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxResponseBytes = 64 * 1024 * 1024;
inline constexpr int kScanBadRequestExit = 2;

struct GitRepoRequest {
  std::string path;
  std::string label;
  std::string state;  // "" on the first scan
};

struct CalendarFileRequest {
  std::string path;
};

struct ScanRequest {
  std::vector<std::string> emails;
  bool keep_messages = false;
  std::optional<std::string> assistants_file;
  std::optional<records::Instant> since;
  std::vector<GitRepoRequest> git;
  std::vector<CalendarFileRequest> calendar;
  records::Instant from = 0;
  records::Instant to = 0;
  std::string uid_key_hex;  // 64 hex characters
};

struct SourceError {
  Errc code = Errc::internal;
  std::string message;
};

struct GitRepoResponse {
  std::string label;
  std::optional<SourceError> error;  // set: the scan failed, state and commits are empty
  std::string state;
  std::size_t visited = 0;
  std::vector<records::CommitRecord> commits;
};

struct CalendarFileResponse {
  std::string path;
  std::optional<SourceError> error;
  std::size_t skipped = 0;
  std::vector<records::MeetingRecord> meetings;
};

struct ScanResponse {
  std::vector<GitRepoResponse> git;
  std::vector<CalendarFileResponse> calendar;
};

// Encoding never fails. Parsing checks types, required keys, the version and the size limit, and
// fails with Errc::usage (request) or Errc::corrupt (response) and a one-line message.
std::string encode_request(const ScanRequest& request);
Result<ScanRequest> parse_request(std::string_view json);
std::string encode_response(const ScanResponse& response);
// The same text in parts, handed to `put` in order (the helper writes them out as they come).
void write_response(const ScanResponse& response, const std::function<void(std::string_view)>& put);
Result<ScanResponse> parse_response(std::string_view json);

// Errc from its errc_name() spelling; Errc::internal for anything unknown.
Errc errc_from_name(std::string_view name);

}  // namespace cairn::scan

// The git source: reads commits authored by the employee from a repository they listed, through
// libgit2. Only numbers leave this function (time, offset, lines added/removed, files changed,
// AI co-production); the commit message only when keep_messages is set (its own consent).
//
// Which commits: every commit reachable from HEAD, local branches (refs/heads/*) and
// remote-tracking branches (refs/remotes/*) whose author email (raw or after .mailmap) equals one of
// the employee's emails, ignoring case. Merge commits are skipped: their changes are counted in
// the commits they bring in, and counting the merge again against its first parent would credit
// the merger with a whole branch's lines. Line counts come from a diff against the first parent
// (the root commit against the empty tree) with rename detection, so a moved file is not counted
// as all-new lines. In a shallow clone the boundary commits (whose parents are missing) are
// skipped: their diff cannot be computed honestly.
//
// Incremental: the state blob lists the ref tips already scanned. The next scan hides them (and so
// all their ancestors) from the walk, so only new commits are visited and history is never read
// twice. A rewritten branch (rebase, amend) yields new commit ids, which are new commits. A first
// scan (empty state, or none of its tips exist any more) records only commits authored at or after
// `since`, so listing an old repo does not import years of history; the walk stops a day
// (clock-skew slack) past that bound.
//
// Thread safety: scan_repository may run concurrently on different repositories; libgit2 is
// initialised once per process by the first call and never shut down (the process is short-lived).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/result.hpp"
#include "cairn/gitsrc/assistants.hpp"

namespace cairn::gitsrc {

inline constexpr std::int64_t kDefaultFirstScanDays = 90;
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;   // kept messages are cut here
inline constexpr std::size_t kMaxStateBytes = 1024 * 1024;   // a state blob past this is refused

struct ScanOptions {
  std::vector<std::string> author_emails;  // the employee's emails; compared ignoring case
  const AssistantList* assistants = nullptr;  // nullptr: default_assistants()
  bool keep_messages = false;
  records::Instant since = 0;  // first scan only: ignore commits authored before this instant
  std::size_t max_commits = 200000;  // walk bound per scan; reaching it fails the scan
};

struct ScanResult {
  std::vector<records::CommitRecord> commits;  // newest first (walk order)
  std::string state;  // the new state blob; persist it only once the commits are safely stored
  std::size_t visited = 0;  // commits walked (employee's or not), for tests and diagnostics
};

// path: the repository's working tree or git dir (bare repositories work too); no upward search.
// state: the blob returned by the previous scan of this repository, or "" the first time.
// Errors (one line, naming the path): not a repository, unreadable objects, a malformed state.
Result<ScanResult> scan_repository(const std::filesystem::path& path, const std::string& label,
                                   const ScanOptions& options, const std::string& state);

// The state format, exposed for tests: "cairn-git-state 1\n" then one 40-hex tip per line.
std::string encode_state(const std::vector<std::string>& tips);
Result<std::vector<std::string>> decode_state(const std::string& blob);

}  // namespace cairn::gitsrc

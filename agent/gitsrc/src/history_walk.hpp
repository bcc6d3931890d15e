// Private: the walk over new history. Commits reachable from the current tips ("interesting") but
// not from the previous scan's tips ("uninteresting"), newest committer time first.
//
// Why not git_revwalk: libgit2 1.5 (Debian bookworm) parses every parent it meets and fails the
// whole walk when one is missing, which is exactly what a shallow clone's boundary looks like, and
// a hidden tip makes it meet them up front. This walk reads parent ids without loading the parents
// of boundary commits, so shallow clones scan like any other repository.
//
// The walk stops as soon as no interesting commit is queued, so an incremental scan touches only
// the new commits plus the few old ones needed to see where they join known history. With clock
// skew a commit might be returned before the walk learns it was old; callers tolerate a repeat
// (records are keyed by commit id).
#pragma once

#include <git2.h>

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::gitsrc::detail {

class HistoryWalk {
 public:
  // boundary: hex ids of shallow-boundary commits, whose parents are absent and never looked up.
  HistoryWalk(git_repository* repo, std::unordered_set<std::string> boundary);

  // Adds a start point; `hide` marks it and its ancestors as already known. Fails when the commit
  // cannot be read.
  Status push(const git_oid& oid, bool hide);

  // The next new commit, newest first; nullopt when there is none left.
  Result<std::optional<git_oid>> next();

 private:
  struct Node {
    bool uninteresting = false;
    bool popped = false;
  };
  struct Entry {
    std::int64_t time;
    git_oid oid;
    bool operator<(const Entry& o) const { return time < o.time; }  // max-heap: newest first
  };
  static std::string key(const git_oid& oid) { return {reinterpret_cast<const char*>(oid.id), GIT_OID_RAWSZ}; }

  Status enqueue(const git_oid& oid, bool uninteresting);
  Status mark_uninteresting(const git_oid& oid);
  Status parents_of(const git_oid& oid, std::vector<git_oid>& out);

  git_repository* repo_;
  std::unordered_set<std::string> boundary_;
  std::unordered_map<std::string, Node> nodes_;
  std::priority_queue<Entry> queue_;
  std::size_t interesting_queued_ = 0;
};

}  // namespace cairn::gitsrc::detail

// The new-history walk (see history_walk.hpp): a time-ordered queue of commits, each either
// interesting or uninteresting, with uninteresting-ness flowing down to parents.
#include "history_walk.hpp"

#include "git_handles.hpp"

namespace cairn::gitsrc::detail {

namespace {

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Error read_failure(const git_oid& oid) {
  return make_error(Errc::corrupt, "cannot read commit " + hex(oid) + ": " + last_git_error());
}

}  // namespace

HistoryWalk::HistoryWalk(git_repository* repo, std::unordered_set<std::string> boundary)
    : repo_(repo), boundary_(std::move(boundary)) {}

Status HistoryWalk::parents_of(const git_oid& oid, std::vector<git_oid>& out) {
  out.clear();
  if (boundary_.count(hex(oid))) return ok_status();  // shallow: its parents are not here
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_, &oid) != 0) return read_failure(oid);
  Commit commit(raw);
  const unsigned n = git_commit_parentcount(commit.get());
  for (unsigned i = 0; i < n; ++i) out.push_back(*git_commit_parent_id(commit.get(), i));
  return ok_status();
}

Status HistoryWalk::enqueue(const git_oid& oid, bool uninteresting) {
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo_, &oid) != 0) return read_failure(oid);
  Commit commit(raw);
  nodes_[key(oid)] = Node{uninteresting, false};
  queue_.push(Entry{git_commit_time(commit.get()), oid});
  if (!uninteresting) ++interesting_queued_;
  return ok_status();
}

Status HistoryWalk::mark_uninteresting(const git_oid& start) {
  std::vector<git_oid> stack{start}, parents;
  while (!stack.empty()) {
    const git_oid oid = stack.back();
    stack.pop_back();
    auto it = nodes_.find(key(oid));
    if (it == nodes_.end() || it->second.uninteresting) continue;
    it->second.uninteresting = true;
    if (!it->second.popped) {
      --interesting_queued_;  // its parents are marked when it is popped
      continue;
    }
    // Already returned (clock skew): its parents were queued as interesting; correct them.
    CAIRN_TRY(parents_of(oid, parents));
    stack.insert(stack.end(), parents.begin(), parents.end());
  }
  return ok_status();
}

Status HistoryWalk::push(const git_oid& oid, bool hide) {
  auto it = nodes_.find(key(oid));
  if (it == nodes_.end()) return enqueue(oid, hide);
  if (hide) return mark_uninteresting(oid);
  return ok_status();
}

Result<std::optional<git_oid>> HistoryWalk::next() {
  std::vector<git_oid> parents;
  while (!queue_.empty() && interesting_queued_ > 0) {
    const Entry e = queue_.top();
    queue_.pop();
    Node& node = nodes_[key(e.oid)];
    node.popped = true;
    const bool uninteresting = node.uninteresting;
    if (!uninteresting) --interesting_queued_;
    CAIRN_TRY(parents_of(e.oid, parents));
    for (const git_oid& p : parents) {
      auto it = nodes_.find(key(p));
      if (it == nodes_.end()) {
        CAIRN_TRY(enqueue(p, uninteresting));
      } else if (uninteresting) {
        CAIRN_TRY(mark_uninteresting(p));
      }
    }
    if (!uninteresting) return std::optional<git_oid>(e.oid);
  }
  return std::optional<git_oid>();
}

}  // namespace cairn::gitsrc::detail

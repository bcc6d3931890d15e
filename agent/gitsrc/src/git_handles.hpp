// Private: owning handles for libgit2 objects (unique_ptr with the matching git_*_free), the
// one-time libgit2 initialisation, opening a repository, and libgit2's errors as one-line messages.
#pragma once

#include <git2.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "cairn/base/result.hpp"

namespace cairn::gitsrc::detail {

template <class T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* p) const { if (p) Free(p); }
};
template <class T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using Repository = GitPtr<git_repository, git_repository_free>;
using Commit = GitPtr<git_commit, git_commit_free>;
using Tree = GitPtr<git_tree, git_tree_free>;
using Diff = GitPtr<git_diff, git_diff_free>;
using DiffStats = GitPtr<git_diff_stats, git_diff_stats_free>;
using Reference = GitPtr<git_reference, git_reference_free>;
using RefIterator = GitPtr<git_reference_iterator, git_reference_iterator_free>;
using Object = GitPtr<git_object, git_object_free>;
using Mailmap = GitPtr<git_mailmap, git_mailmap_free>;
using Signature = GitPtr<git_signature, git_signature_free>;

// libgit2's memory bounds, set once by ensure_libgit2() (figures in docs/benchmarks.md).
// Small windows: each mapped page of a pack counts in the child's peak, and a scan reads a few
// objects at a time (16 KiB / 64 KiB against 128 KiB / 1 MiB: an incremental scan of a 21 MB pack
// 8.8 -> 7.7-8.0 MiB, the same CPU).
inline constexpr std::size_t kPackWindowBytes = 16 * 1024;        // one mmap window into a pack
inline constexpr std::size_t kPackMappedLimitBytes = 64 * 1024;   // all windows together
inline constexpr std::size_t kPackFileLimit = 16;                  // packs mapped at once
inline constexpr std::size_t kHeapMmapThresholdBytes = 64 * 1024;  // malloc: own mapping from here up

// Initialises libgit2 once per process (thread-safe) with the bounds above; later calls are free.
void ensure_libgit2();

// libgit2's message for the last failed call on this thread, cut to one line.
std::string last_git_error();

// "<path>: <what>: <libgit2's message>" as an io error.
Error git_failure(const std::filesystem::path& path, const char* what);

// Opens the repository at exactly `path` (no upward search); not_found when it is none.
Result<Repository> open_repository(const std::filesystem::path& path);

}  // namespace cairn::gitsrc::detail

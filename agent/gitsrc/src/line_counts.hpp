// Private: a commit's line counts (lines added, removed, files changed against its first parent,
// with rename detection), read one blob at a time so that no delta-base cache grows with them.
//
// Why: libgit2 1.5 keeps every intermediate object it rebuilds from a pack's delta chains, up to
// 16 MiB per pack (GIT_PACK_CACHE_MEMORY_LIMIT, compile-time), until the pack closes with the last
// handle on it. git_diff_get_stats reads every changed blob through one handle, so a commit whose
// blobs sit deep in delta chains filled the cache by itself (25 MiB for a first scan of a 21 MB
// pack). Here a tree diff without content gives the changed paths and blob ids; then each blob is
// read on its own: from a pack by Cairn's pack reader (pack_reader.hpp: one delta base at a time,
// and a blob stored whole and binary is not read past its first 8,000 bytes), else through a
// libgit2 object database handle of its own, closed before the content is used (which frees its
// cache); the lines are counted on the contents with git_diff_buffers.
//
// Renames: as libgit2's git_diff_find_similar with GIT_DIFF_FIND_RENAMES and its defaults (the
// previous code): a deleted and an added blob pair up when their ids are equal, or when libgit2's
// similarity signature (git_hashsig, "smart whitespace", small files allowed) scores them at 50 or more; the same
// best-match pairing, the same size filter, diff.renameLimit. Signatures are computed one blob at a
// time, so a rename costs one extra read of each candidate blob.
//
// Binary: as the diff driver did; a file whose `diff` attribute is unset (`-diff`, `binary`) or
// names a driver with diff.<name>.binary=true counts no lines, else NUL bytes in the first 8,000
// decide (inside git_diff_buffers). Gitlinks (submodule commits): an added or removed one counts
// the one line libgit2's diff shows ("Subproject commit <id>"); a moved one is not in the diff
// (GIT_DIFF_IGNORE_SUBMODULES), as before.
#pragma once

#include <git2.h>

#include <cstddef>
#include <filesystem>

#include "cairn/base/result.hpp"

namespace cairn::gitsrc::detail {

struct LineStats {
  std::size_t added = 0, removed = 0, files = 0;
};

// The commit `id` of the repository at `path` against its first parent (a root commit against the
// empty tree). Opens and closes its own handles; no other handle on the repository may be open
// for the memory bound to hold (the walk's handle is closed before this runs).
Result<LineStats> commit_line_stats(const std::filesystem::path& path, const git_oid& id);

}  // namespace cairn::gitsrc::detail

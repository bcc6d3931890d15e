// Private: reads a blob straight out of a repository's pack files, holding no more than one delta
// base, one delta and their result at a time; the line counts read blobs through it.
//
// Why: libgit2 1.5 keeps every base it rebuilds along a delta chain in the pack's cache (up to
// 16 MiB, fixed at compile time) until the pack closes. For a file stored 50 deltas deep, that is
// 50 versions of the file at once: on a first scan of a large packed repository it was what took
// cairn-scan 0.1–0.3 MiB over the unit's 8 MiB (docs/benchmarks.md, "The big pack"). This reader
// follows the chain down reading entry headers only, then rebuilds upward, dropping each base as
// soon as the next version is built. It reads pack index v2 and packs v2/v3 with pread (nothing of
// a pack is mapped, so nothing of it stays resident), inflates with zlib, bounds every length and
// offset by the file and by the sizes the entries declare, and checks the result's id (SHA-1)
// through git_odb_hash before anyone sees it.
//
// What it does not read is "not here" (nullopt), and the caller asks libgit2: a loose object, one
// in an alternate object store, a REF_DELTA whose base is in no pack, an index of version 1.
#pragma once

#include <git2.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::gitsrc::detail {

// An object's content; not zero-filled before it is written.
struct ObjectBytes {
  std::unique_ptr<unsigned char[]> data;
  std::size_t size = 0;
};

class PackReader {
 public:
  // The pack indexes in `objects`/pack (a missing folder: a reader that finds nothing). Each index's
  // fan-out table is read here; the packs are opened on first use and stay open with the reader.
  static Result<PackReader> open(const std::filesystem::path& objects);

  PackReader(PackReader&&) noexcept;
  PackReader& operator=(PackReader&&) noexcept;
  ~PackReader();

  // Object `id`'s size, read from its entry header (for a delta, from the start of the delta);
  // nullopt when it is in none of the packs.
  Result<std::optional<std::size_t>> size(const git_oid& id) const;

  // Blob `id`'s content, checked against its id; nullopt when it is not here (see above). An error
  // names what is wrong with the pack (Errc::corrupt: damaged, not a blob, an id that does not
  // match), or says an object on the way is over 512 MiB (Errc::too_large; libgit2 may read it).
  // Nothing is allocated for a size its entry's compressed bytes could not inflate to.
  Result<std::optional<ObjectBytes>> read_blob(const git_oid& id) const;

  // The first `n` bytes (fewer if it is shorter) of object `id` when a pack stores it whole, not as
  // a delta: enough to tell a binary file without inflating all of it. nullopt otherwise.
  Result<std::optional<ObjectBytes>> stored_prefix(const git_oid& id, std::size_t n) const;

  // How many packs were found (for tests).
  std::size_t pack_count() const;

 private:
  struct Pack;
  explicit PackReader(std::vector<std::unique_ptr<Pack>> packs);
  std::vector<std::unique_ptr<Pack>> packs_;
};

}  // namespace cairn::gitsrc::detail

// File-system primitives every part of Cairn writes through: private directories (0700), private
// files (0600), crash-safe replacement (temp file, fsync, rename, fsync of the directory) and
// reads bounded by a size limit. All return a Status/Result with a one-line message that names the
// file but never its content.
//
// Thread safety: stateless; concurrent calls on different paths are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"

namespace cairn::fs {

namespace stdfs = std::filesystem;

// Creates dir and missing parents with mode 0700; tightens an existing dir to 0700.
Status ensure_private_dir(const stdfs::path& dir);

// Writes bytes to path atomically with mode 0600: a reader sees the old file or the new one,
// never a mix, even after a crash or a full disk (the old file stays when writing fails).
Status write_file_atomic(const stdfs::path& path, std::span<const std::uint8_t> bytes);
Status write_file_atomic(const stdfs::path& path, const std::string& text);

// Reads a whole file; fails with Errc::too_large when it holds more than max_bytes.
Result<std::vector<std::uint8_t>> read_file(const stdfs::path& path, std::size_t max_bytes);
Result<std::string> read_text_file(const stdfs::path& path, std::size_t max_bytes);

// fsync of a directory, so a rename inside it survives a power cut.
Status sync_dir(const stdfs::path& dir);

// Overwrites a file's bytes with zeros, fsyncs and unlinks it (best effort on SSDs; the content is
// encrypted anyway, this only shortens its life).
Status shred_file(const stdfs::path& path);

// Test hook: the write path consults this before every write(2); returning false makes that
// write fail with ENOSPC. Lets tests fill the disk after N bytes (see tests/base/files_test.cpp).
using WriteGate = bool (*)(std::size_t bytes_about_to_write);
void set_write_gate_for_tests(WriteGate gate);
// Test hook: the write path may write this many more bytes; a write that crosses the limit writes
// up to it and then fails with ENOSPC (a write that fails after N bytes). SIZE_MAX: no limit.
void set_write_budget_for_tests(std::size_t bytes);
// Test hook: consulted before every fsync(2) of a file or directory; returning false makes that
// fsync fail with EIO (a disk that loses the write at the barrier).
using SyncGate = bool (*)();
void set_sync_gate_for_tests(SyncGate gate);

}  // namespace cairn::fs

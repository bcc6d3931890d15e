// Crash-safe private files: see files.hpp. Every write goes through write_all(), which honours the
// test write gate so tests can make the disk "full" after N bytes.
#include "cairn/base/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "cairn/base/fd.hpp"

namespace cairn::fs {
namespace {

std::atomic<WriteGate> g_gate{nullptr};
std::atomic<SyncGate> g_sync_gate{nullptr};
std::atomic<std::size_t> g_budget{SIZE_MAX};

int sync_fd(int fd) {
  if (auto gate = g_sync_gate.load(); gate && !gate()) return EIO;
  return ::fsync(fd) == 0 ? 0 : errno;
}

Error os_error(const char* what, const stdfs::path& path, int err) {
  return make_error(Errc::io, std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

int write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    std::size_t chunk = size < (1u << 20) ? size : (1u << 20);
    if (auto gate = g_gate.load(); gate && !gate(chunk)) return ENOSPC;
    if (std::size_t budget = g_budget.load(); budget != SIZE_MAX) {
      if (budget == 0) return ENOSPC;
      if (chunk > budget) chunk = budget;  // write what fits, then the next round fails
      g_budget.store(budget - chunk);
    }
    ssize_t n = ::write(fd, data, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

void set_write_gate_for_tests(WriteGate gate) { g_gate.store(gate); }
void set_write_budget_for_tests(std::size_t bytes) { g_budget.store(bytes); }
void set_sync_gate_for_tests(SyncGate gate) { g_sync_gate.store(gate); }

Status ensure_private_dir(const stdfs::path& dir) {
  // Missing parents are created 0700 too: a parent that did not exist belongs to Cairn.
  stdfs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (partial.empty() || partial == partial.root_path()) continue;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return os_error("cannot create directory", partial, errno);
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return os_error("cannot inspect", dir, errno);
  if (!S_ISDIR(st.st_mode)) return make_error(Errc::io, dir.string() + " exists and is not a directory");
  if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0)
    return os_error("cannot restrict permissions of", dir, errno);
  return ok_status();
}

Status sync_dir(const stdfs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return os_error("cannot open directory", dir, errno);
  if (int err = sync_fd(fd.get())) return os_error("cannot sync directory", dir, err);
  return ok_status();
}

Status write_file_atomic(const stdfs::path& path, std::span<const std::uint8_t> bytes) {
  stdfs::path dir = path.has_parent_path() ? path.parent_path() : stdfs::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int raw = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (raw < 0) return os_error("cannot create a file in", dir, errno);
  UniqueFd fd(raw);
  auto fail = [&](const char* what, int err) {
    ::unlink(tmpl.c_str());
    return os_error(what, path, err);
  };
  if (::fchmod(fd.get(), 0600) != 0) return fail("cannot set permissions of", errno);
  if (int err = write_all(fd.get(), bytes.data(), bytes.size())) return fail("cannot write", err);
  if (int err = sync_fd(fd.get())) return fail("cannot sync", err);
  if (::close(fd.release()) != 0) return fail("cannot close", errno);
  if (::rename(tmpl.c_str(), path.c_str()) != 0) return fail("cannot replace", errno);
  return sync_dir(dir);
}

Status write_file_atomic(const stdfs::path& path, const std::string& text) {
  return write_file_atomic(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<std::vector<std::uint8_t>> read_file(const stdfs::path& path, std::size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return make_error(Errc::not_found, path.string() + " does not exist");
    return os_error("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return os_error("cannot inspect", path, errno);
  if (!S_ISREG(st.st_mode)) return make_error(Errc::io, path.string() + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return make_error(Errc::too_large, path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  std::vector<std::uint8_t> out;
  out.reserve(static_cast<std::size_t>(st.st_size));
  std::uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot read", path, errno);
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes)
      return make_error(Errc::too_large, path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

Result<std::string> read_text_file(const stdfs::path& path, std::size_t max_bytes) {
  auto bytes = CAIRN_TRY(read_file(path, max_bytes));
  return std::string(bytes.begin(), bytes.end());
}

Status shred_file(const stdfs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return ok_status();
    return os_error("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) {
    std::vector<std::uint8_t> zeros(65536, 0);
    off_t left = st.st_size;
    while (left > 0) {
      std::size_t n = left < static_cast<off_t>(zeros.size()) ? static_cast<std::size_t>(left) : zeros.size();
      ssize_t w = ::write(fd.get(), zeros.data(), n);
      if (w <= 0) break;  // best effort: the unlink below still happens
      left -= w;
    }
    ::fsync(fd.get());
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return os_error("cannot remove", path, errno);
  return ok_status();
}

}  // namespace cairn::fs

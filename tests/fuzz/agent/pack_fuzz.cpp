// Fuzz target: Cairn's own pack reader (agent/gitsrc/src/pack_reader.hpp), which cairn-scan runs on
// the pack files of any repository the employee consents to, cloned from anywhere. Input: a 4-byte
// little-endian index length, the index (.idx), then the pack (.pack). Every id the index names
// (up to 64) and one it does not are sized, probed and read. The reader checks a blob's id itself;
// what this adds is that nothing crashes, leaks or reads outside the two files.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "git_handles.hpp"
#include "pack_reader.hpp"

namespace {

// One temporary objects folder per process, rewritten for each input.
const std::filesystem::path& objects_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/cairn-pack-fuzz-XXXXXX";
    if (!::mkdtemp(pattern.data())) std::abort();
    std::filesystem::create_directories(std::filesystem::path(pattern) / "pack");
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(objects_dir(), ec);
    });
    cairn::gitsrc::detail::ensure_libgit2();  // git_odb_hash
    return std::filesystem::path(pattern);
  }();
  return dir;
}

void write_file(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using cairn::gitsrc::detail::PackReader;
  if (size < 4) return 0;
  const std::size_t idx_len = std::min<std::size_t>(
      size - 4, std::size_t{data[0]} | std::size_t{data[1]} << 8 | std::size_t{data[2]} << 16 | std::size_t{data[3]} << 24);
  const std::uint8_t* idx = data + 4;
  const std::uint8_t* pack = idx + idx_len;
  const std::size_t pack_len = size - 4 - idx_len;
  const auto& dir = objects_dir();
  write_file(dir / "pack" / "pack-fuzz.idx", idx, idx_len);
  write_file(dir / "pack" / "pack-fuzz.pack", pack, pack_len);

  auto reader = PackReader::open(dir);
  if (!reader.ok()) return 0;
  constexpr std::size_t kNames = 8 + 256 * 4;  // where index v2 lists its ids
  for (std::size_t i = 0; i <= 64; ++i) {
    git_oid id{};
    if (i < 64 && kNames + (i + 1) * GIT_OID_RAWSZ <= idx_len) std::memcpy(id.id, idx + kNames + i * GIT_OID_RAWSZ, GIT_OID_RAWSZ);
    else if (i < 64) continue;
    else std::memset(id.id, 0xAB, GIT_OID_RAWSZ);  // an id that is (almost surely) not there
    (void)reader->size(id);
    (void)reader->stored_prefix(id, 100);
    (void)reader->read_blob(id);
  }
  return 0;
}

// Fresh per-test directories under the build tree (CAIRN_BINARY_DIR/test-tmp/<name>).
#pragma once

#include <filesystem>
#include <string>

namespace cairn::test {

inline std::filesystem::path fresh_dir(const std::string& name) {
  auto d = std::filesystem::path(CAIRN_BINARY_DIR) / "test-tmp" / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Does any regular file under dir contain needle (as raw bytes)?
bool any_file_contains(const std::filesystem::path& dir, const std::string& needle);

}  // namespace cairn::test

namespace cairn::test {
// The bytes of every regular file under dir (modified at or after `since`, when given),
// concatenated and NUL-separated, for marker scans.
std::string all_file_bytes(const std::filesystem::path& dir,
                           std::filesystem::file_time_type since = std::filesystem::file_time_type::min());
}  // namespace cairn::test

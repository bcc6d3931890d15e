// File scanning for the "no plaintext on disk" tests.
#include "temp_dir.hpp"

#include <fstream>
#include <iterator>

namespace cairn::test {

bool any_file_contains(const std::filesystem::path& dir, const std::string& needle) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    std::ifstream f(it->path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (content.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace cairn::test

namespace cairn::test {

std::string all_file_bytes(const std::filesystem::path& dir, std::filesystem::file_time_type since) {
  std::string all;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    if (since != std::filesystem::file_time_type::min() && it->last_write_time(ec) < since) continue;
    std::ifstream f(it->path(), std::ios::binary);
    all.append((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    all.push_back('\0');
  }
  return all;
}

}  // namespace cairn::test

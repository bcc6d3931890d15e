// Private output files (see private_file.hpp).
#include "cairn/views/private_file.hpp"

#include "cairn/base/files.hpp"

namespace cairn::views {

Status write_private_output(const std::filesystem::path& path, const std::string& text, bool force) {
  std::error_code ec;
  const auto st = std::filesystem::symlink_status(path, ec);
  if (std::filesystem::is_directory(st)) return make_error(Errc::usage, path.string() + " is a directory");
  if (std::filesystem::exists(st) && !force)
    return make_error(Errc::exists, path.string() + " already exists; nothing was written (--force replaces it)");
  // rename(2) replaces a symbolic link itself, never the file it points to.
  return fs::write_file_atomic(path, text);
}

}  // namespace cairn::views

// Where what the employee asked to take out of the record is written (`export --output`,
// `contributions --markdown --output`, the panel's exports): a private file (0600) written
// atomically (temp file, fsync, rename), never over an existing file unless force. A shell
// redirect (`> file`) would create the file with the umask's mode, usually world-readable.
#pragma once

#include <filesystem>
#include <string>

#include "cairn/base/result.hpp"

namespace cairn::views {

// Errc::usage for a directory; Errc::exists when path exists (a file, a link or anything else)
// and !force. Nothing is written on error.
Status write_private_output(const std::filesystem::path& path, const std::string& text, bool force);

}  // namespace cairn::views

// Where a command writes what the employee asked to take out of the record (`export --output`,
// `contributions --markdown --output`): cairn/views/private_file.hpp, shared with the panel
// (0600, atomic, never over an existing file unless --force).
#pragma once

#include "cairn/views/private_file.hpp"

namespace cairn::cli {

using views::write_private_output;

}  // namespace cairn::cli

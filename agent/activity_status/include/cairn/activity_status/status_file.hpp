// The activity status file: the daemon says which activity backend is collecting, or exactly why
// none is, in a small plain file that `cairn status`, `cairn consent list` and the panel read
// without any key (format in docs/formats.md, "Activity status file"). It never holds a window
// title, an application name or any recorded value: only the state, the backend and a reason.
//
// Its own small library (cairn_base only), so the CLI and the panel read it without
// loading the window-system libraries of the backends.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "cairn/base/result.hpp"

namespace cairn::activity_status {

struct StatusFile {
  std::string state;    // "collecting", "unavailable", "off", "stopped"
  std::string backend;  // "x11", "wlroots", "gnome", "kde", or the family that was detected ("other", "none")
  std::string detail;   // one line: the session and the mechanisms, or why nothing is collected
  std::int64_t updated = 0;  // unix seconds
  std::int64_t pid = 0;      // the daemon that wrote it
};

// <data>/activity-status
std::filesystem::path status_file_path(const std::filesystem::path& data_dir);
Status write_status_file(const std::filesystem::path& path, const StatusFile& s);
// Errc::not_found when no daemon ever wrote one; Errc::corrupt when it does not parse.
Result<StatusFile> read_status_file(const std::filesystem::path& path);
// One line for people, e.g. "collecting (wlroots): wlroots Wayland (sway): active window: …",
// or "not collecting: GNOME Wayland: the Cairn shell extension is not enabled; run …". A file
// whose daemon is gone (pid not running) reads "the agent is not running (last: …)".
std::string describe_status(const StatusFile& s);
// describe_status() of <data>/activity-status; "no report from the agent yet" without one, and
// the read error's message for a damaged file.
std::string activity_status_line(const std::filesystem::path& data_dir);

}  // namespace cairn::activity_status

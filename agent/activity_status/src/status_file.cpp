// The activity status file (contract in status_file.hpp, format in docs/formats.md).
#include "cairn/activity_status/status_file.hpp"

#include <signal.h>

#include <cerrno>
#include <sstream>

#include "cairn/base/files.hpp"

namespace cairn::activity_status {
namespace {

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

bool pid_alive(std::int64_t pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

std::filesystem::path status_file_path(const std::filesystem::path& data_dir) { return data_dir / "activity-status"; }

Status write_status_file(const std::filesystem::path& path, const StatusFile& s) {
  std::string text = "# Cairn activity status, written by cairn-agentd (docs/formats.md). No titles, no values.\n";
  text += "version=1\n";
  text += "state=" + one_line(s.state) + "\n";
  text += "backend=" + one_line(s.backend) + "\n";
  text += "detail=" + one_line(s.detail) + "\n";
  text += "updated=" + std::to_string(s.updated) + "\n";
  text += "pid=" + std::to_string(s.pid) + "\n";
  return fs::write_file_atomic(path, text);
}

Result<StatusFile> read_status_file(const std::filesystem::path& path) {
  auto text = fs::read_text_file(path, 16 * 1024);
  if (!text.ok()) return text.error();
  StatusFile s;
  bool version = false;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) return make_error(Errc::corrupt, path.string() + ": a line without '='");
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    try {
      if (key == "version") version = value == "1";
      else if (key == "state") s.state = value;
      else if (key == "backend") s.backend = value;
      else if (key == "detail") s.detail = value;
      else if (key == "updated") s.updated = std::stoll(value);
      else if (key == "pid") s.pid = std::stoll(value);
    } catch (const std::exception&) {
      return make_error(Errc::corrupt, path.string() + ": " + key + " is not a number");
    }
  }
  if (!version || s.state.empty()) return make_error(Errc::corrupt, path.string() + ": not a version 1 status file");
  return s;
}

std::string describe_status(const StatusFile& s) {
  if (s.state != "stopped" && s.state != "off" && !pid_alive(s.pid))
    return "the agent is not running (its last word: " + s.state + ", " + s.detail + ")";
  if (s.state == "collecting") return "collecting (" + s.backend + "): " + s.detail;
  if (s.state == "unavailable") return "not collecting: " + s.detail;
  if (s.state == "off") return "off (no consent)";
  if (s.state == "stopped") return "the agent is not running";
  return s.state + ": " + s.detail;
}

std::string activity_status_line(const std::filesystem::path& data_dir) {
  auto s = read_status_file(status_file_path(data_dir));
  if (s.ok()) return describe_status(*s);
  if (s.error().code == Errc::not_found) return "no report from the agent yet (is it running?)";
  return s.error().message;
}

}  // namespace cairn::activity_status

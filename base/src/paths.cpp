// Resolution of Cairn's data and config directories; see paths.hpp for the order of precedence.
#include "cairn/base/paths.hpp"

#include <cstdlib>

namespace cairn {
namespace {
std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}
}  // namespace

Paths resolve_paths(const std::optional<std::string>& home_override) {
  auto home = home_override ? home_override : env("CAIRN_HOME");
  if (home) {
    std::filesystem::path root = *home;
    return Paths{root, root / "config"};
  }
  std::filesystem::path user_home = env("HOME").value_or("/tmp");
  std::filesystem::path data = env("XDG_DATA_HOME").value_or((user_home / ".local/share").string());
  std::filesystem::path config = env("XDG_CONFIG_HOME").value_or((user_home / ".config").string());
  return Paths{data / "cairn", config / "cairn"};
}

}  // namespace cairn

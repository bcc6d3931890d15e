// The "Open at login" switch (see autostart.hpp).
#include "autostart.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cairn/base/files.hpp"

namespace cairn::ui {
namespace stdfs = std::filesystem;

const char* const kAutostartHiddenEntry =
    "[Desktop Entry]\nType=Application\nName=Cairn\nExec=cairn-panel\nHidden=true\nX-GNOME-Autostart-enabled=false\n";

namespace {

bool holds_hidden(const stdfs::path& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line == "Hidden=true") return true;
  return false;
}

}  // namespace

AutostartFiles autostart_files() {
  stdfs::path config;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x == '/') config = x;
  else if (const char* h = std::getenv("HOME"); h && *h) config = stdfs::path(h) / ".config";
  return {config / "autostart" / "cairn-panel.desktop", "/etc/xdg/autostart/cairn-panel.desktop"};
}

bool autostart_on(const AutostartFiles& f) {
  std::error_code ec;
  if (!stdfs::exists(f.system, ec)) return false;
  return !stdfs::exists(f.user, ec) || !holds_hidden(f.user);
}

Status set_autostart(const AutostartFiles& f, bool on) {
  std::error_code ec;
  if (on) {
    if (stdfs::exists(f.user, ec) && holds_hidden(f.user) && !stdfs::remove(f.user, ec))
      return make_error(Errc::io, "could not remove " + f.user.string() + ": " + ec.message());
    return ok_status();
  }
  const auto dir = f.user.parent_path();
  if (!stdfs::is_directory(dir, ec)) {
    stdfs::create_directories(dir, ec);
    if (ec) return make_error(Errc::io, "could not create " + dir.string() + ": " + ec.message());
    stdfs::permissions(dir, stdfs::perms::owner_all, ec);
  }
  CAIRN_TRY(fs::write_file_atomic(f.user, std::string(kAutostartHiddenEntry)));
  // Desktop entries are readable by the session's tools; nothing in it is private.
  if (::chmod(f.user.c_str(), 0644) != 0) return make_error(Errc::io, "could not set the mode of " + f.user.string());
  return ok_status();
}

}  // namespace cairn::ui

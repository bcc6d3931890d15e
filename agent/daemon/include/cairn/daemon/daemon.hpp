// The collection agent (`cairn agent`, program cairn-agentd): collects only what consent.conf
// allows, merges it into spans in memory, and at least once per batch interval (and on
// SIGTERM/SIGINT) seals what it has into one inbox batch with the inbox PUBLIC key. It holds no key
// that opens the record, opens no network socket, and never touches the store.
//
// One thread, one poll() over: the activity source (X11, wlroots, GNOME or KDE backend, chosen by
// the session, see cairn/activity/open.hpp), an inotify descriptor (consent.conf,
// the rules file, the consented repositories and calendar files), a signalfd and a timerfd. Git
// repositories and calendar files are read by the short-lived child cairn-scan, so libgit2 and
// libical never load into the daemon (10 MiB resident budget).
//
// Thread safety: a Daemon is driven by one thread (run()).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "cairn/activity/open.hpp"
#include "cairn/activity/session.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/base/result.hpp"

namespace cairn::daemon {

struct Options {
  Paths paths;
  std::string display;                   // X display; empty: as detected
  std::string wayland_display;           // Wayland socket; empty: as detected
  std::string kwin_script_dir;           // KDE: Cairn's KWin scripts; empty: installed ones
  activity::SessionEnv session_env = activity::SessionEnv::from_process();  // decides the backend
  // How the activity source is opened: activity::open_source unless a test substitutes fakes.
  using OpenActivity = std::function<Result<std::unique_ptr<activity::ActivitySource>>(
      const Clock&, activity::CategoryRules, activity::MonitorOptions, const activity::SessionEnv&, activity::Session*)>;
  OpenActivity open_activity = activity::open_source;
  std::filesystem::path scan_executable;           // cairn-scan: git repositories
  std::filesystem::path calendar_scan_executable;  // cairn-scan-calendar: .ics files
  bool verbose = false;                  // counts of what was written, never values
  std::int64_t scan_every_s = 900;       // git/calendar rescan even without a change notice
  std::int64_t scan_spacing_s = 600;     // at least this long between scans caused by notices
};

class Daemon {
 public:
  static Result<std::unique_ptr<Daemon>> create(const Options& options, const Clock& clock);
  ~Daemon();
  // Runs until SIGTERM or SIGINT (then writes a last batch and returns ok).
  Status run();

  struct Impl;

 private:
  explicit Daemon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Finds cairn-scan next to the running program or in ../libexec/cairn.
std::filesystem::path default_scan_executable();
// Finds cairn-scan-calendar beside `scan_executable` (the same folder, or its sibling folder as in
// the build tree).
std::filesystem::path calendar_scan_executable_beside(const std::filesystem::path& scan_executable);

}  // namespace cairn::daemon

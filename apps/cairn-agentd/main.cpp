// cairn-agentd: the collection agent that `cairn agent` (and the systemd user unit) runs. Parses
// its arguments and runs cairn::daemon::Daemon; all logic lives in agent/daemon.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cairn/base/hardening.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/daemon/daemon.hpp"
#include "cairn/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Cairn's collection agent: collects consented signals into the sealed inbox.", "cairn-agentd"};
  app.set_version_flag("--version", std::string("cairn-agentd ") + cairn::kVersion);
  std::optional<std::string> data, config, home;
  cairn::daemon::Options opt;
  std::string scan;
  app.add_option("--data", data, "Data directory (default as for cairn)");
  app.add_option("--config", config, "Config directory (default as for cairn)");
  app.add_option("--home", home, "Keep data and config under DIR");
  app.add_option("--display", opt.display, "X display (default $DISPLAY, unless the session is Wayland)");
  app.add_option("--wayland-display", opt.wayland_display, "Wayland display (default $WAYLAND_DISPLAY)");
  app.add_option("--kwin-scripts", opt.kwin_script_dir, "Directory of Cairn's KWin scripts (KDE Plasma)");
  app.add_option("--scan", scan, "Path of cairn-scan (cairn-scan-calendar is looked for beside it)");
  app.add_option("--scan-every", opt.scan_every_s, "Rescan repositories and calendars every N seconds")->check(CLI::Range(10, 86400));
  app.add_option("--scan-spacing", opt.scan_spacing_s, "At least N seconds between scans after a change")
      ->check(CLI::Range(0, 86400));
  app.add_flag("--verbose", opt.verbose, "Log counts of what is sealed (never values)");
  CLI11_PARSE(app, argc, argv);

  if (auto st = cairn::harden_process(); !st.ok()) {
    std::cerr << "cairn-agentd: " << st.error().message << "\n";
    return 1;
  }
  if (auto st = cairn::crypto::init(); !st.ok()) {
    std::cerr << "cairn-agentd: " << st.error().message << "; refusing to run\n";
    return 1;
  }
  opt.paths = cairn::resolve_paths(home);
  if (data) opt.paths.data = *data;
  if (config) opt.paths.config = *config;
  opt.scan_executable = scan.empty() ? cairn::daemon::default_scan_executable() : std::filesystem::path(scan);
  opt.calendar_scan_executable = cairn::daemon::calendar_scan_executable_beside(opt.scan_executable);
  auto daemon = cairn::daemon::Daemon::create(opt, cairn::system_clock());
  if (!daemon.ok()) {
    std::cerr << "cairn-agentd: " << daemon.error().message << "\n";
    return daemon.error().code == cairn::Errc::not_found ? 5 : 1;
  }
  auto st = (*daemon)->run();
  return st.ok() ? 0 : 1;
}

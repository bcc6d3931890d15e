// cairn-panel: parses arguments, hardens the process, opens the panel and runs it.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cairn/base/hardening.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/ui/panel.hpp"
#include "cairn/version.hpp"

int main(int argc, char** argv) {
  // Before anything can hold a key: no core dumps, no ptrace by the same user, private umask.
  if (auto s = cairn::harden_process(); !s.ok()) {
    std::fprintf(stderr, "cairn-panel: %s\n", s.error().message.c_str());
    return 1;
  }
  CLI::App app{"Cairn's self-reflection panel: your own record of your work, kept on this computer."};
  app.set_version_flag("--version", std::string("cairn-panel ") + cairn::kVersion);
  std::string home, shots;
  app.add_option("--home", home, "Use DIR for data and config (default: CAIRN_HOME, then the XDG folders)")
      ->option_text("DIR");
  app.add_option("--screenshot-dir", shots, "Save a PNG of the current view into DIR when F12 is pressed")
      ->option_text("DIR");
  CLI11_PARSE(app, argc, argv);

  cairn::ui::PanelOptions opt;
  opt.paths = cairn::resolve_paths(home.empty() ? std::nullopt : std::optional<std::string>(home));
  if (!shots.empty()) opt.screenshot_dir = shots;
  auto panel = cairn::ui::Panel::open(opt);
  if (!panel.ok()) {
    std::fprintf(stderr, "cairn-panel: %s\n", panel.error().message.c_str());
    return 1;
  }
  return panel.value()->run();
}

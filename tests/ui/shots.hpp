// Screenshots in the panel tests: every PNG goes to <build>/screenshots/, taken the same way (the
// pointer moved off the window first), so a person can look at what each test saw.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "cairn/ui/panel.hpp"

namespace cairn::ui::test {

// The folder the panel tests save their screenshots in (created): <build>/screenshots.
inline std::filesystem::path shots_dir() {
  auto dir = std::filesystem::path(CAIRN_BINARY_DIR) / "screenshots";
  std::filesystem::create_directories(dir);
  return dir;
}

// Saves the window as shots_dir()/<name>.png, the pointer moved away first so no tooltip or hover
// colour is in the picture; a failed save fails the test.
inline void shot(Panel& p, const std::string& name) {
  p.inject_mouse(-100, -100, false);
  p.frame();
  p.frame();
  CHECK_MESSAGE(p.screenshot(shots_dir() / (name + ".png")).ok(), name);
}

}  // namespace cairn::ui::test

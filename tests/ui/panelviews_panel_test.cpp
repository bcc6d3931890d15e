// Issue #13 in the real panel window, on a home the real CLI made (`init`, `log`): the first
// self-review shows the three logged entries and links to them; "Export all as Markdown" writes
// exactly the CLI's `contributions --markdown` text, 0600, and never replaces a file unasked; the
// Applications view's numbers are those of `cairn apps --range`; its day strip zooms with the
// wheel; a combo's list appears without a mouse move; a view opens at its top; long text wraps in
// the contribution, evidence and reflection fields and is saved as typed. Screenshots of the
// new views land in ${CMAKE_BINARY_DIR}/screenshots/.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "builders.hpp"
#include "cairn/activity_rules/rules.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/cli/cli.hpp"
#include "cairn/ui/panel.hpp"
#include "cli/cli_home.hpp"
#include "driver.hpp"
#include "shots.hpp"
#include "unlock.hpp"
#include "format.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;
using test::CliHome;

namespace {

const char* kPass = "pw";

using ui::test::shot;

// Today: an hour of code, 25 min of firefox, 5 of a terminal; a meeting at 14:00.
void plant_today(CliHome& h) {
  const std::int64_t today = test::today_local();
  auto span = [&](int h0, int m0, int minutes, const char* app, const char* cat) {
    records::ActivitySpan s;
    s.start = test::local_instant(today, h0 * 3600 + m0 * 60);
    s.end = s.start + minutes * 60;
    s.utc_offset = test::offset_at(today, h0 * 3600);
    s.app_class = app;
    s.category = cat;
    return s;
  };
  h.with_store(kPass, [&](store::Store& s) {
    std::vector<records::ActivitySpan> spans{span(0, 10, 60, "code", "development"), span(1, 10, 25, "firefox", "browsing"),
                                             span(1, 35, 5, "xterm", "development")};
    REQUIRE(s.add_spans(spans).ok());
    records::MeetingRecord m{std::string(64, 'c'), test::local_instant(today, 2 * 3600), test::local_instant(today, 2 * 3600 + 1800),
                             test::offset_at(today, 2 * 3600), 2, false, true};
    REQUIRE(s.add_meetings(std::vector{m}).ok());
    REQUIRE(s.rebuild_rollups(today, today).ok());
  });
}

// The CLI's line for one application (cli/src/cmd_apps.cpp).
std::string cli_line(const views::AppTime& a, std::int64_t total) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%14s  %6s  ", ui::hours_text(a.seconds).c_str(),
                ui::percent_text(static_cast<double>(a.seconds), static_cast<double>(total)).c_str());
  return buf + a.app + "  [" + a.category + "]\n";
}

}  // namespace

TEST_CASE("panel: first self-review, Markdown export, applications and zoom on a CLI-made home") {
  CliHome h("panelviews");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"log", "Cut the release checklist in half", "--kind", "impact"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"log", "Paired with Ana on the deploy script", "--kind", "system"}) == cli::kOk);
  REQUIRE(h.sh({kPass}, {"log", "Chose to delay the migration a week", "--kind", "judgment"}) == cli::kOk);
  plant_today(h);
  REQUIRE(h.sh({kPass}, {"contributions", "--markdown"}) == cli::kOk);
  const std::string cli_md = h.out;
  REQUIRE(h.sh({kPass}, {"apps", "--range", "today"}) == cli::kOk);
  const std::string cli_apps = h.out;

  auto panel = ui::test::open_unlocked(resolve_paths(h.dir.string()), kPass);
  ui::Panel& p = *panel;
  ui::test::Driver d(p);
  REQUIRE(p.current_view() == "week");

  // The first self-review: each of the three entries shown, with steps to make it stronger.
  REQUIRE(d.click("nav.review"));
  shot(p, "review-first");
  CHECK(d.has("review.ev.0.0"));  // impact: one entry, shown
  CHECK(d.has("review.ev.2.0"));  // system
  CHECK(d.has("review.ev.3.0"));  // judgment
  CHECK(d.has("review.strengthen.1"));  // long-term: nothing yet, but what would add it
  REQUIRE(d.click("review.ev.2.0"));
  CHECK(p.current_view() == "contributions");
  shot(p, "contributions-from-review");

  // Export all contributions: the CLI's document, readable by the employee only.
  const auto md = h.dir / "contributions.md";
  REQUIRE(d.click("contrib.export_open"));
  REQUIRE(d.click("contrib.md.path"));
  d.type(md.string());
  REQUIRE(d.click("contrib.md.export"));
  auto text = fs::read_text_file(md, 1 << 20);
  INFO("panel says: " << p.status_message());
  REQUIRE(text.ok());
  CHECK(text.value() == cli_md);
  struct stat st {};
  REQUIRE(::stat(md.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(d.click("contrib.md.export"));  // again: refused, the file stays
  CHECK(p.status_message().find("already exists") != std::string::npos);
  REQUIRE(d.click("contrib.md.replace"));
  REQUIRE(d.click("contrib.md.export"));
  CHECK(p.status_message().find("Exported 3 contributions") != std::string::npos);

  // A long entry wraps in its field and is saved as one paragraph.
  REQUIRE(d.click("contrib.new"));
  const std::string long_text = "Moved the nightly build to the shared runners so that every team gets its results before "
                                "the stand-up, and wrote down how to move a pipeline for the next team";
  REQUIRE(d.click("contrib.text"));
  d.type(long_text);
  // Evidence links wrap too (a link wider than the field breaks between characters on screen) and
  // are saved one per line, exactly as typed: pasted at once, then typed in two more pieces.
  const std::string link1 = "https://git.example.org/platform/build/-/merge_requests/4711/diffs?commit_id=0123456789abcdef0123";
  const std::string link2 = "https://docs.example.org/runbooks/moving-a-pipeline-to-the-shared-runners";
  REQUIRE(d.click("contrib.links"));
  d.type(link1 + "\n");
  d.type(link2.substr(0, 30));
  d.type(link2.substr(30));
  shot(p, "contributions-wrapped");
  REQUIRE(d.click("contrib.save"));
  h.with_store(kPass, [&](store::Store& s) {
    auto all = s.contributions(0, 1LL << 40);
    REQUIRE(all.ok());
    bool found = false;
    for (const auto& c : all.value())
      if (c.text == long_text) {
        found = true;
        CHECK(c.links == std::vector<std::string>{link1, link2});
      }
    CHECK(found);
  });
  // The reflection prompts wrap, and what is saved keeps only the lines typed.
  REQUIRE(d.click("nav.reflection"));
  const std::string reflection = "Moved the nightly build to the shared runners, which took three attempts because the cache "
                                 "keys differed between the old and the new machines, and wrote it down for the next team";
  {
    // Click near the bottom right of the field (past the last line's end), then a new line of text.
    auto field = d.visible("refl.changed");
    REQUIRE(field);
    for (bool down : {false, true, false}) {
      p.inject_mouse(field->x1 - 40, field->y1 - 6, down);
      p.frame();
    }
  }
  d.type("\n" + reflection);
  shot(p, "reflection-wrapped");
  REQUIRE(d.click("refl.save"));
  h.with_store(kPass, [&](store::Store& s) {
    auto r = s.reflections();
    REQUIRE(r.ok());
    bool found = false;
    for (const auto& x : r.value()) found |= x.changed.find("\n" + reflection) != std::string::npos;
    CHECK(found);
  });
  REQUIRE(d.click("nav.contributions"));

  // A combo's list is on screen after the click alone (the frames run() would draw, no mouse move).
  REQUIRE(d.click("contrib.new"));
  auto combo = d.visible("contrib.goal");
  REQUIRE(combo);
  p.inject_mouse(combo->cx(), combo->cy(), false);
  p.frame();
  p.inject_mouse(combo->cx(), combo->cy(), true);
  p.frame();
  p.inject_mouse(combo->cx(), combo->cy(), false);
  p.frame();
  for (int i = 0; i < 10 && p.wants_frame(); ++i) p.frame();
  CHECK(p.item("contrib.goal.list").has_value());
  shot(p, "contributions-goal-combo");
  p.inject_key(ImGuiKey_Escape);
  p.frame();

  // Applications: today's numbers are the CLI's, line for line; the strip zooms with the wheel.
  REQUIRE(d.click("nav.apps"));
  REQUIRE(d.click("apps.range.today"));
  shot(p, "apps");
  const auto offset = system_clock().utc_offset(system_clock().now());
  h.with_store(kPass, [&](store::Store& s) {
    auto a = ui::build_apps(s, test::today_local(), test::today_local(), "today", test::today_local(), offset);
    REQUIRE(a.ok());
    REQUIRE(a.value()->apps.size() == 3);
    CHECK(a.value()->apps[0].app == "code");
    CHECK(cli_apps.find(ui::hours_text(a.value()->total_seconds) + " active") != std::string::npos);
    for (const auto& x : a.value()->apps) CHECK_MESSAGE(cli_apps.find(cli_line(x, a.value()->total_seconds)) != std::string::npos, x.app);
    CHECK(a.value()->timeline.size() == 4);  // code, firefox, xterm and the meeting
  });
  auto strip = d.visible("apps.strip");
  REQUIRE(strip);
  for (int i = 0; i < 6; ++i) {
    p.inject_mouse(strip->x0 + (strip->x1 - strip->x0) * 1.0f / 24, strip->cy(), false);
    p.inject_wheel(1);
    p.frame();
  }
  p.frame();
  shot(p, "apps-zoomed");
  REQUIRE(d.click("apps.zoom_whole"));

  // The category rules: edited, checked by the daemon's parser, saved only when valid.
  REQUIRE(d.click("apps.rules_open"));
  // Into the field near its left edge (its right edge is the scrollbar), to the line's start.
  auto into_rules = [&] {
    auto r = d.visible("apps.rules_text");
    REQUIRE(r);
    for (bool down : {false, true, false}) {
      p.inject_mouse(r->x0 + 30, r->cy(), down);
      p.frame();
    }
    d.key(ImGuiKey_Home);
  };
  into_rules();
  d.type("myeditor = development\n");
  shot(p, "apps-rules");
  REQUIRE(d.click("apps.rules_save"));
  const auto rules_file = resolve_paths(h.dir.string()).activity_rules();
  {
    auto rules = activity_rules::CategoryRules::load(rules_file);
    REQUIRE(rules.ok());
    CHECK(rules.value().categorize("myeditor", "myeditor") == "development");
  }
  into_rules();
  d.type("not a rule\n");
  CHECK(d.has("apps.rules_error"));
  shot(p, "apps-rules-error");
  REQUIRE(d.click("apps.rules_save"));  // disabled: nothing written
  CHECK(fs::read_text_file(rules_file, 1 << 16).value().find("not a rule") == std::string::npos);

  // The consent log in local, human time.
  REQUIRE(d.click("nav.sources"));
  REQUIRE(d.click("source.git.toggle"));
  REQUIRE(d.visible("sources.log"));
  shot(p, "sources-log");

  // Switching views starts the new one at its top.
  REQUIRE(d.click("nav.review"));
  auto bottom = d.visible("review.export");  // scrolled down to it
  REQUIRE(bottom);
  REQUIRE(d.click("nav.week"));
  auto top = d.panel().item("week.prev");
  REQUIRE(top);
  CHECK(top->y0 < 200);
}

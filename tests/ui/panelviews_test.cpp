// Issue #13, the panel views used daily: a first self-review with little evidence shows every
// entry with its evidence and what would make each section stronger; the Markdown export of all
// contributions is the CLI's `contributions --markdown` (0600, no silent overwrite); time per
// application matches `cairn apps --range`; the day timeline zooms within its limits; the week
// chart's axis never repeats a label and short spans give no rate; human dates and plurals; the
// "Open at login" switch; combos open without a mouse move. The panel parts run the real window
// under Xvfb on a home made by the real CLI.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "autostart.hpp"
#include "builders.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/ui/panel.hpp"
#include "cli/cli_home.hpp"
#include "driver.hpp"
#include "format.hpp"
#include "review.hpp"
#include "zoom.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;

namespace {

records::Contribution entry(std::int64_t id, std::int64_t day, records::ImpactKind kind, std::string text) {
  records::Contribution c;
  c.id = id;
  c.time = day * 86400 + 12 * 3600;
  c.kind = kind;
  c.text = std::move(text);
  return c;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("first self-review: one entry per kind is shown with its evidence and steps to strengthen it") {
  const std::int64_t to = days_from_civil(2026, 12, 3), from = to - 90;
  std::vector<records::Contribution> cs{entry(1, to - 40, records::ImpactKind::impact, "Cut the release checklist"),
                                        entry(2, to - 2, records::ImpactKind::system, "Paired with Ana on the deploy")};
  cs[1].links = {"https://example.org/mr/9"};
  std::vector<store::Outcome> outcomes;
  std::vector<store::Goal> goals(1);
  goals[0].id = 4;
  goals[0].current = {0, "Calmer releases", "", "active"};
  std::map<std::int64_t, store::DayRollup> days;
  days[to - 40].commits = 1;
  auto d = ui::build_review({from, to, &cs, &outcomes, &goals, &days});

  const auto& impact = d.sections[0];
  REQUIRE(impact.sentences.size() == 1);  // shown, not left empty
  CHECK(impact.sentences[0].text == "Cut the release checklist.");
  CHECK(impact.sentences[0].evidence[0].contribution_id == 1);
  CHECK(has(impact.sentences[0].evidence[0].label, "1 commit"));
  CHECK(has(impact.thin_note, "One entry so far"));
  REQUIRE(impact.strengthen.size() == 3);  // a second entry; a link; did it hold (40 days old)
  CHECK(has(impact.strengthen[0], "A second entry marked impact"));
  CHECK(has(impact.strengthen[1], "Entry #1"));
  CHECK(has(impact.strengthen[1], "names no evidence"));
  CHECK(has(impact.strengthen[2], "did it hold?"));
  CHECK(impact.strengthen.size() <= static_cast<std::size_t>(ui::kStrengthenSteps));

  const auto& system = d.sections[2];
  REQUIRE(system.sentences.size() == 1);
  REQUIRE(system.sentences[0].evidence.size() == 2);
  CHECK(system.sentences[0].evidence[1].label == "linked: https://example.org/mr/9");
  for (const auto& step : system.strengthen) CHECK_FALSE(has(step, "names no evidence"));

  const auto& judgment = d.sections[3];  // nothing of this kind: says what an entry would add
  CHECK(judgment.sentences.empty());
  CHECK(has(judgment.empty_reason, "No entry marked judgment"));
  REQUIRE(judgment.strengthen.size() == 1);
  CHECK(has(judgment.strengthen[0], "a decision you weighed"));

  const auto& goal = d.sections[4];
  CHECK(has(goal.empty_reason, "No entry in the period is linked to a goal"));
  CHECK(has(goal.strengthen.at(0), "pick the goal it served"));

  const auto md = ui::review_markdown(d);
  CHECK(has(md, "- Cut the release checklist. _(evidence: contribution #1"));
  CHECK(has(md, "To make this section stronger:\n\n- [ ] A second entry marked impact"));
  CHECK_FALSE(has(md, "Left empty"));
}

TEST_CASE("human dates, plurals, rates from short spans, axes without repeated labels") {
  const std::int64_t day = days_from_civil(2026, 12, 1);  // a Tuesday
  CHECK(ui::moment_text(day * 86400 + 10 * 3600 + 2 * 60 - 3600, 3600, day) == "Tue 1 Dec, 10:02");
  CHECK(ui::moment_text(days_from_civil(2025, 12, 2) * 86400 + 60, 0, day) == "Tue 2 Dec 2025, 00:01");
  CHECK(cairn::count_text(1, "goal", "goals") == "1 goal");
  CHECK(cairn::count_text(0, "goal", "goals") == "0 goals");
  CHECK(cairn::count_text(1, "one-to-one meeting", "one-to-one meetings") == "1 one-to-one meeting");

  auto short_span = ui::rate_text(6, 7 * 60);  // issue 13: "55 per hour" from 7 minutes
  CHECK(short_span.value == "6 in 7 min");
  CHECK(has(short_span.note, "too little for a rate"));
  auto rough = ui::rate_text(10, 3600);
  CHECK(rough.value == "10.0 per hour");
  CHECK(has(rough.note, "rough"));
  CHECK(ui::rate_text(30, 10 * 3600).note.empty());

  for (float top : {0.0f, 0.05f, 0.2f, 0.25f, 0.3f, 0.9f, 1.0f, 1.3f, 2.2f, 7.4f, 11.0f, 40.0f}) {
    auto axis = ui::hour_axis(top, 4);
    INFO("top " << top);
    REQUIRE(axis.labels.size() == 5);
    CHECK(axis.max_hours >= top);
    for (std::size_t i = 1; i < axis.labels.size(); ++i) CHECK(axis.labels[i] != axis.labels[i - 1]);
  }
  CHECK(ui::hour_axis(0.2f, 4).labels == std::vector<std::string>{"0", "5 min", "10 min", "15 min", "20 min"});
  CHECK(ui::hour_axis(1.3f, 4).labels == std::vector<std::string>{"0", "0.5 h", "1 h", "1.5 h", "2 h"});
}

TEST_CASE("day timeline zoom stays within the day, keeps the point under the mouse, ticks fit") {
  ui::DayZoom z;
  CHECK(z.whole());
  z = ui::zoom_around(z, 9 * 3600, 0.5);
  CHECK(z.span() == doctest::Approx(43200));
  CHECK((9 * 3600 - z.from) / z.span() == doctest::Approx(9.0 / 24));  // same place on screen
  for (int i = 0; i < 20; ++i) z = ui::zoom_around(z, 9 * 3600, 0.5);
  CHECK(z.span() == doctest::Approx(ui::kMinZoomSeconds));
  CHECK(z.from <= 9 * 3600);
  CHECK(z.to >= 9 * 3600);
  z = ui::pan(z, -1e9);
  CHECK(z.from == 0);
  z = ui::pan(z, 1e9);
  CHECK(z.to == doctest::Approx(ui::kDaySeconds));
  for (int i = 0; i < 20; ++i) z = ui::zoom_around(z, 100, 3);
  CHECK(z.whole());
  CHECK(ui::tick_step(86400, 12) == 7200);
  CHECK(ui::tick_step(3600, 12) == 300);
  CHECK(ui::tick_step(600, 12) == 300);
}

TEST_CASE("open at login: off writes the Hidden entry 0644, on removes only that file") {
  auto dir = cairn::test::fresh_dir("ui-autostart");
  ui::AutostartFiles f{dir / "config" / "autostart" / "cairn-panel.desktop", dir / "etc" / "cairn-panel.desktop"};
  CHECK_FALSE(ui::autostart_on(f));  // not installed: nothing to switch
  stdfs::create_directories(f.system.parent_path());
  std::ofstream(f.system) << "[Desktop Entry]\nExec=cairn-panel\n";
  CHECK(ui::autostart_on(f));
  REQUIRE(ui::set_autostart(f, false).ok());
  CHECK_FALSE(ui::autostart_on(f));
  auto text = fs::read_text_file(f.user, 4096);
  REQUIRE(text.ok());
  CHECK(text.value() == ui::kAutostartHiddenEntry);
  struct stat st {};
  REQUIRE(::stat(f.user.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  REQUIRE(ui::set_autostart(f, true).ok());
  CHECK_FALSE(stdfs::exists(f.user));
  CHECK(ui::autostart_on(f));
  std::ofstream(f.user) << "[Desktop Entry]\nExec=my-own-panel\n";  // the employee's own file stays
  REQUIRE(ui::set_autostart(f, true).ok());
  CHECK(stdfs::exists(f.user));
}

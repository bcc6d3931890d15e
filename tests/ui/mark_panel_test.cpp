// Marking a stretch in the real panel window (the Applications view's day strip), on a home the
// real CLI made: a drag selects a stretch, typed times correct it, "Mark as break" and "Move to
// category…" go through the worker to Store::mark_activity; the view's totals and the store's
// rollups follow, and the worker's year and week parts are rebuilt. Screenshots land in
// ${CMAKE_BINARY_DIR}/screenshots/ (apps-mark-selected.png, apps-mark-move.png, apps-marked.png).
#include <doctest/doctest.h>

#include <filesystem>

#include "cairn/base/clock.hpp"
#include "cairn/cli/cli.hpp"
#include "cairn/ui/panel.hpp"
#include "cli/cli_home.hpp"
#include "driver.hpp"
#include "shots.hpp"
#include "unlock.hpp"
#include "worker.hpp"

namespace stdfs = std::filesystem;
using namespace cairn;
using test::CliHome;

namespace {

const char* kPass = "pw";

using ui::test::shot;

// Yesterday: 09:00-10:00 code, 10:00-10:30 firefox.
std::int64_t plant_yesterday(CliHome& h) {
  const std::int64_t day = test::today_local() - 1;
  auto span = [&](int h0, int m0, int minutes, const char* app, const char* cat) {
    records::ActivitySpan s;
    s.start = test::local_instant(day, h0 * 3600 + m0 * 60);
    s.end = s.start + minutes * 60;
    s.utc_offset = test::offset_at(day, h0 * 3600);
    s.app_class = app;
    s.category = cat;
    return s;
  };
  h.with_store(kPass, [&](store::Store& s) {
    std::vector<records::ActivitySpan> spans{span(9, 0, 60, "code", "development"), span(10, 0, 30, "firefox", "browsing")};
    REQUIRE(s.add_spans(spans).ok());
    REQUIRE(s.rebuild_rollups(day, day).ok());
  });
  return day;
}

store::DayRollup rollup_of(CliHome& h, std::int64_t day) {
  store::DayRollup out;
  h.with_store(kPass, [&](store::Store& s) {
    auto r = s.rollups(day, day);
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    out = r->front();
  });
  return out;
}

// Replaces a text field's content (five characters or fewer) with text.
void retype(ui::test::Driver& d, const std::string& key, const std::string& text) {
  REQUIRE(d.click_end(key));
  for (int i = 0; i < 6; ++i) d.key(ImGuiKey_Backspace);
  d.type(text);
}

}  // namespace

TEST_CASE("panel: a dragged stretch of the day strip is marked as a break, then moved to a category") {
  CliHome h("panel-mark");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto day = plant_yesterday(h);
  auto panel = ui::test::open_unlocked(resolve_paths(h.dir.string()), kPass);
  ui::Panel& p = *panel;
  ui::test::Driver d(p);
  REQUIRE(d.click("nav.apps"));
  REQUIRE(d.click("apps.day_prev"));
  CHECK(d.has("apps.mark_break"));
  CHECK(p.item("apps.mark_hint")->text.find("Choose a stretch") == 0);

  // Drag from about 09:30 to about 10:15 on the whole-day strip.
  auto strip = d.visible("apps.strip");
  REQUIRE(strip);
  const float w = strip->x1 - strip->x0, y = strip->y0 + 10;
  auto x_at = [&](double sec) { return strip->x0 + w * static_cast<float>(sec / 86400); };
  p.inject_mouse(x_at(9.5 * 3600), y, false);
  p.frame();
  p.inject_mouse(x_at(9.5 * 3600), y, true);
  p.frame();
  for (int i = 1; i <= 4; ++i) {
    p.inject_mouse(x_at(9.5 * 3600 + i * 0.1875 * 3600), y, true);
    p.frame();
  }
  p.inject_mouse(x_at(10.25 * 3600), y, false);
  p.frame();
  REQUIRE(d.settle());
  auto from = p.item("apps.mark_from"), to = p.item("apps.mark_to");
  REQUIRE(from);
  REQUIRE(to);
  INFO("dragged " << from->text << " to " << to->text);
  CHECK(from->text.rfind("09:", 0) == 0);
  CHECK(to->text.rfind("10:", 0) == 0);
  // Exact times typed over the dragged ones.
  retype(d, "apps.mark_from", "09:30");
  retype(d, "apps.mark_to", "10:15");
  CHECK(p.item("apps.mark_hint")->text.empty());
  shot(p, "apps-mark-selected");

  REQUIRE(d.click("apps.mark_break"));
  INFO("panel says: " << p.status_message());
  CHECK(p.status_message().find("Marked 09:30\xE2\x80\x93" "10:15") == 0);
  auto r = rollup_of(h, day);
  CHECK(r.active_seconds == 45 * 60);
  CHECK(r.idle_seconds == 45 * 60);

  // The last quarter hour of firefox was reading documentation.
  retype(d, "apps.mark_from", "10:15");
  retype(d, "apps.mark_to", "10:30");
  REQUIRE(d.click("apps.mark_move"));
  CHECK(d.has("apps.mark_cat.browsing"));
  shot(p, "apps-mark-move");
  REQUIRE(d.click("apps.mark_cat.documents"));
  CHECK(p.status_message().find("as documents") != std::string::npos);
  r = rollup_of(h, day);
  CHECK(r.active_seconds == 45 * 60);
  CHECK(r.category_seconds[3] == 15 * 60);
  CHECK(r.category_seconds[5] == 0);
  // Zoomed on the morning, so the break and the re-labelled quarter hour are wide enough to see.
  for (int i = 0; i < 5; ++i) {
    p.inject_mouse(x_at(9.75 * 3600), y, false);
    p.inject_wheel(1);
    p.frame();
  }
  shot(p, "apps-marked");

  // A reversed stretch is named and cannot be sent.
  retype(d, "apps.mark_to", "09:00");
  CHECK(p.item("apps.mark_hint")->text == "The stretch must end after it starts.");
}

TEST_CASE("worker: a marked stretch rebuilds the year's rollups and the applications part") {
  CliHome h("worker-mark");
  REQUIRE(h.sh({kPass}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  const auto day = plant_yesterday(h);
  ui::Worker wk(resolve_paths(h.dir.string()), system_clock(), [] {});
  auto wait = [&] {
    for (int i = 0; i < 3000 && !wk.idle(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(wk.idle());
  };
  wk.send(ui::cmd::Unlock{crypto::SecretBytes::from(std::string_view(kPass))});
  wait();
  wk.send(ui::cmd::ShowApps{day, day, "yesterday", day});
  wait();
  REQUIRE(wk.latest()->apps);
  CHECK(wk.latest()->apps->total_seconds == 90 * 60);
  REQUIRE(wk.latest()->year);
  CHECK(wk.latest()->year->days.at(day).active_seconds == 90 * 60);
  wk.send(ui::cmd::MarkStretch{day, 9 * 3600 + 30 * 60, 10 * 3600 + 15 * 60, "break"});
  wait();
  auto snap = wk.latest();
  CHECK(snap->apps->total_seconds == 45 * 60);
  // The day strip shows the break as time away (kind 8) where the application was.
  bool away = false;
  for (const auto& seg : snap->apps->timeline) away |= seg.kind == 8 && seg.from == 9 * 3600 + 30 * 60 && seg.to == 10 * 3600 + 15 * 60;
  CHECK(away);
  CHECK(snap->year->days.at(day).active_seconds == 45 * 60);
  // Refused by the store: nothing changes, the reason is shown.
  wk.send(ui::cmd::MarkStretch{day, 9 * 3600, 10 * 3600, "gaming"});
  wait();
  CHECK(wk.latest()->message.find("Not marked: unknown category") == 0);
  CHECK(wk.latest()->apps->total_seconds == 45 * 60);
  wk.send(ui::cmd::Lock{});
  wait();
}

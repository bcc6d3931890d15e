// ActivityMonitor against a real X server (Xvfb; CTest runs this binary under xvfb-run). A
// FakeDesktop plays the window manager: it creates windows with WM_CLASS values and sets
// _NET_ACTIVE_WINDOW on the root. Window switches are timed with a ManualClock; idle uses the
// server's real IDLETIME with a 1 s threshold and XTEST input to end it.
#include <doctest/doctest.h>

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

#include "cairn/activity/monitor.hpp"
#include "fake_x.hpp"
#include "x_server.hpp"

using namespace cairn::activity;
using cairn::activity::testing::FakeDesktop;
using cairn::activity::testing::XServer;

extern char** environ;

namespace {

bool readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

// Waits for the monitor to see what the desktop just did, then handles everything pending.
void settle(ActivityMonitor& m, FakeDesktop& desk, Instant now) {
  desk.sync();
  if (readable(m.fd(), 2000)) REQUIRE(m.dispatch(now).ok());
  while (readable(m.fd(), 20)) REQUIRE(m.dispatch(now).ok());
}

// Runs the monitor the way the daemon does (poll on fd and timer, then dispatch) until `done`
// holds or max_ms of real time passed.
bool run_until(ActivityMonitor& m, const std::function<Instant()>& now, const std::function<bool()>& done,
               int max_ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
  while (!done()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    int timeout = static_cast<int>(left);
    if (m.poll_timeout_ms() >= 0) timeout = std::min(timeout, m.poll_timeout_ms());
    readable(m.fd(), timeout);
    if (!m.dispatch(now()).ok()) return false;
  }
  return true;
}

std::unique_ptr<FakeDesktop> desktop(const std::string& display = {}) {
  if (display.empty()) {
    REQUIRE_MESSAGE(std::getenv("DISPLAY") != nullptr, "run under xvfb-run (ctest does)");
    // Xvfb resets itself whenever its last client leaves, and refuses connections meanwhile; one
    // connection held for the whole run keeps the shared server from resetting between cases.
    static std::unique_ptr<FakeDesktop> keeper = FakeDesktop::connect();
  }
  std::unique_ptr<FakeDesktop> desk;
  for (int attempt = 0; attempt < 50 && !desk; ++attempt) {
    desk = FakeDesktop::connect(display);
    if (!desk) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(desk != nullptr);
  desk->activate(XCB_NONE);  // a clean root: earlier cases may have left a stale window id
  desk->fake_input();        // and a fresh idle counter
  return desk;
}

std::unique_ptr<ActivityMonitor> open_monitor(const cairn::Clock& clock, MonitorOptions opts = {}) {
  auto m = ActivityMonitor::open(clock, CategoryRules::defaults(), opts);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().message));
  return std::move(m).value();
}

void check_span(const ActivitySpan& s, Instant start, Instant end, const char* cls, const char* category) {
  CAPTURE(cls);
  CHECK(s.start == start);
  CHECK(s.end == end);
  CHECK(s.app_class == cls);
  CHECK(s.category == category);
}

}  // namespace

TEST_CASE("window switches on the root become spans with classes, categories and durations") {
  auto desk = desktop();
  auto code = desk->create_window("code", "Code");
  auto slack = desk->create_window("slack", "Slack");
  auto firefox = desk->create_window("Navigator", "firefox");
  cairn::ManualClock clock(10000, -18000);
  auto m = open_monitor(clock);
  CHECK(m->status().find("XSync IDLETIME") != std::string::npos);
  CHECK(m->poll_timeout_ms() == -1);  // event driven: no timer at all

  desk->activate(code);
  settle(*m, *desk, clock.now());
  clock.set(10030);
  desk->activate(slack);
  settle(*m, *desk, clock.now());
  clock.set(10050);
  desk->activate(firefox);
  settle(*m, *desk, clock.now());
  clock.set(10080);
  desk->activate(code);
  settle(*m, *desk, clock.now());
  // Nothing happens now, and nothing wakes the monitor: no polling, no stray events.
  CHECK_FALSE(readable(m->fd(), 300));

  clock.set(10100);
  desk->fake_input();  // the user is at the keyboard: no quiet tail to hold back
  auto spans = m->checkpoint(clock.now());
  REQUIRE(spans.size() == 4);
  check_span(spans[0], 10000, 10030, "Code", "development");
  check_span(spans[1], 10030, 10050, "Slack", "communication");
  check_span(spans[2], 10050, 10080, "firefox", "browsing");
  check_span(spans[3], 10080, 10100, "Code", "development");
  for (const auto& s : spans) {
    CHECK(s.utc_offset == -18000);
    CHECK_FALSE(s.idle);
    CHECK_FALSE(s.title.has_value());
  }

  clock.set(10120);
  desk->activate(code);  // re-set to the same window: the Code span simply continues
  settle(*m, *desk, clock.now());
  clock.set(10130);
  auto rest = m->stop(clock.now());
  REQUIRE(rest.size() == 1);
  check_span(rest[0], 10100, 10130, "Code", "development");
}

TEST_CASE("titles are absent without the activity-titles consent and present with it") {
  auto desk = desktop();
  auto editor = desk->create_window("code", "Code", "secret-plan.md - Visual Studio Code");
  auto chat = desk->create_window("slack", "Slack", "Slack | #general");
  cairn::ManualClock clock(20000);

  SUBCASE("off: never a title") {
    auto m = open_monitor(clock);
    CHECK_FALSE(m->collect_titles());
    desk->activate(editor);
    settle(*m, *desk, clock.now());
    clock.set(20010);
    desk->set_title(editor, "other-file.md - Visual Studio Code");  // ignored: one span
    desk->sync();
    CHECK_FALSE(readable(m->fd(), 300));  // not even listening to that window
    clock.set(20020);
    desk->activate(chat);
    settle(*m, *desk, clock.now());
    auto spans = m->stop(20030);
    REQUIRE(spans.size() == 2);
    for (const auto& s : spans) CHECK_FALSE(s.title.has_value());
    CHECK(m->status().find("window titles: off") != std::string::npos);
  }

  SUBCASE("on: titles per span, a title change splits, revoking drops what is pending") {
    MonitorOptions opts;
    opts.collect_titles = true;
    auto m = open_monitor(clock, opts);
    desk->activate(editor);
    settle(*m, *desk, clock.now());
    clock.set(20010);
    desk->set_title(editor, "notes.md - Visual Studio Code");
    settle(*m, *desk, clock.now());
    clock.set(20020);
    desk->activate(chat);
    settle(*m, *desk, clock.now());
    clock.set(20030);
    desk->fake_input();
    auto spans = m->checkpoint(clock.now());
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].title == "secret-plan.md - Visual Studio Code");
    CHECK(spans[1].title == "notes.md - Visual Studio Code");
    CHECK(spans[1].app_class == "Code");
    CHECK(spans[2].title == "Slack | #general");

    clock.set(20040);
    m->set_collect_titles(false, clock.now());
    CHECK(m->status().find("window titles: off") != std::string::npos);
    clock.set(20050);
    desk->set_title(chat, "Slack | #random");
    desk->sync();
    CHECK_FALSE(readable(m->fd(), 300));  // stopped listening to title changes
    auto rest = m->stop(20060);
    REQUIRE(rest.size() == 1);  // [20030, 20060): the titled part lost its title, merged
    check_span(rest[0], 20030, 20060, "Slack", "communication");
    CHECK_FALSE(rest[0].title.has_value());
  }
}

TEST_CASE("odd property contents become bounded, valid UTF-8") {
  auto desk = desktop();
  auto latin1 = desk->create_window("caf\xe9", "Caf\xe9");  // ICCCM STRING is Latin-1
  auto huge = desk->create_window(std::string(1000, 'x'), std::string(1000, 'y'));
  auto legacy = desk->create_window("xterm", "XTerm");
  desk->set_legacy_title(legacy, "r\xe9sum\xe9 \x01 draft");
  auto untitled = desk->create_window("evince", "Evince");
  cairn::ManualClock clock(25000);
  MonitorOptions opts;
  opts.collect_titles = true;
  auto m = open_monitor(clock, opts);
  Instant t = 25000;
  for (auto w : {latin1, huge, legacy, untitled}) {
    clock.set(t);
    desk->activate(w);
    settle(*m, *desk, clock.now());
    t += 10;
  }
  auto spans = m->stop(t);
  REQUIRE(spans.size() == 4);
  CHECK(spans[0].app_class == "Caf\xc3\xa9");
  CHECK(spans[0].category == "other");
  CHECK(spans[1].app_class == std::string(kMaxClassBytes, 'y'));
  CHECK(spans[2].app_class == "XTerm");
  CHECK(spans[2].category == "development");
  CHECK(spans[2].title == "r\xc3\xa9sum\xc3\xa9   draft");  // control characters blanked
  CHECK(spans[3].app_class == "Evince");
  CHECK_FALSE(spans[3].title.has_value());  // consent on, but the window has no title
}

TEST_CASE("no active window, windows without WM_CLASS and vanished windows never stop the monitor") {
  auto desk = desktop();
  auto code = desk->create_window("code", "Code");
  auto bare = desk->create_window("", "");  // no WM_CLASS at all (yet)
  cairn::ManualClock clock(30000);
  auto m = open_monitor(clock);

  desk->activate(bare);
  settle(*m, *desk, clock.now());
  clock.set(30010);
  desk->set_wm_class(bare, "evince", "Evince");  // set late, as some toolkits do
  settle(*m, *desk, clock.now());
  clock.set(30020);
  desk->activate(XCB_NONE);  // the desktop itself has focus
  settle(*m, *desk, clock.now());
  clock.set(30030);
  desk->activate(0x3fffff0);  // an id no window has
  settle(*m, *desk, clock.now());
  clock.set(30040);
  auto doomed = desk->create_window("slack", "Slack");
  desk->activate(doomed);
  desk->destroy(doomed);  // gone before the monitor can ask about it
  settle(*m, *desk, clock.now());
  clock.set(30050);
  desk->activate(code);
  settle(*m, *desk, clock.now());

  auto spans = m->stop(30060);
  REQUIRE(spans.size() == 3);
  check_span(spans[0], 30000, 30010, "unknown", "other");
  check_span(spans[1], 30010, 30020, "Evince", "documents");
  check_span(spans[2], 30050, 30060, "Code", "development");  // 30020..30050 is a gap
}

TEST_CASE("idle is detected by XSync alarms, backdated to the last input, and ended by input") {
  auto desk = desktop();
  auto code = desk->create_window("code", "Code");
  desk->activate(code);
  desk->fake_input();
  cairn::ManualClock clock(40000);
  MonitorOptions opts;
  opts.idle_threshold_s = 1;
  auto m = open_monitor(clock, opts);
  REQUIRE(m->status().find("XSync IDLETIME") != std::string::npos);
  CHECK_FALSE(m->idle());

  // The manual clock jumps ahead; the alarm fires after one real second without input.
  REQUIRE(run_until(*m, [&] { return Instant{40010}; }, [&] { return m->idle(); }, 5000));
  clock.set(40020);
  desk->fake_input();
  REQUIRE(run_until(*m, [&] { return Instant{40020}; }, [&] { return !m->idle(); }, 5000));

  auto spans = m->stop(40030);
  REQUIRE(spans.size() == 3);
  check_span(spans[0], 40000, 40009, "Code", "development");  // the quiet second went to idle
  CHECK(spans[1].idle);
  CHECK(spans[1].category == "idle");
  CHECK(spans[1].app_class.empty());
  CHECK(spans[1].start == 40009);
  CHECK(spans[1].end == 40020);
  check_span(spans[2], 40020, 40030, "Code", "development");
}

TEST_CASE("a user already idle when the monitor starts is idle from the start") {
  auto desk = desktop();
  desk->activate(desk->create_window("code", "Code"));
  desk->fake_input();
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  cairn::ManualClock clock(50000);
  MonitorOptions opts;
  opts.idle_threshold_s = 1;
  auto m = open_monitor(clock, opts);
  CHECK(m->idle());
  desk->fake_input();
  REQUIRE(run_until(*m, [&] { return Instant{50005}; }, [&] { return !m->idle(); }, 5000));
  auto spans = m->stop(50010);
  REQUIRE(spans.size() == 2);
  CHECK(spans[0].idle);
  CHECK(spans[0].start == 50000);  // never before the monitor started
  CHECK(spans[0].end == 50005);
  check_span(spans[1], 50005, 50010, "Code", "development");
}

// Xvfb cannot run without SYNC ("can not be disabled"), so the fallback is forced here; a missing
// SYNC extension or IDLETIME counter leads to the same code.
TEST_CASE("without SYNC the monitor falls back to MIT-SCREEN-SAVER on a one-shot timer") {
  {
    auto desk = desktop();
    desk->activate(desk->create_window("slack", "Slack"));
    desk->fake_input();
    cairn::ManualClock clock(60000);
    MonitorOptions opts;
    opts.idle_threshold_s = 1;
    opts.force_screensaver_idle = true;
    auto m = open_monitor(clock, opts);
    CAPTURE(m->status());
    CHECK(m->status().find("MIT-SCREEN-SAVER") != std::string::npos);
    // The timer is due when idle could first begin (about 1 s away), not a polling period.
    CHECK(m->poll_timeout_ms() > 500);
    CHECK(m->poll_timeout_ms() <= 1020);
    REQUIRE(run_until(*m, [] { return Instant{60010}; }, [&] { return m->idle(); }, 5000));
    // While idle it looks every threshold/2 at most, to catch the first input.
    CHECK(m->poll_timeout_ms() <= 500);
    desk->fake_input();
    REQUIRE(run_until(*m, [] { return Instant{60020}; }, [&] { return !m->idle(); }, 5000));
    auto spans = m->stop(60030);
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].app_class == "Slack");
    CHECK(spans[1].idle);
    CHECK(spans[1].start >= 60008);
    CHECK(spans[1].start <= 60009);
    CHECK(spans[2].app_class == "Slack");
    CHECK(spans[2].end == 60030);
  }
}

TEST_CASE("with neither SYNC nor MIT-SCREEN-SAVER idle is unavailable, said so, and spans still flow") {
  auto server = XServer::start({"-extension", "MIT-SCREEN-SAVER"});
  REQUIRE(server.has_value());
  auto desk = desktop(server->display());
  desk->activate(desk->create_window("zoom", "zoom"));
  cairn::ManualClock clock(65000);
  MonitorOptions opts;
  opts.display = server->display();
  opts.idle_threshold_s = 1;
  opts.force_screensaver_idle = true;
  auto m = open_monitor(clock, opts);
  CHECK(m->status().find("idle detection unavailable") != std::string::npos);
  CHECK(m->poll_timeout_ms() == -1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  REQUIRE(m->dispatch(65010).ok());
  CHECK_FALSE(m->idle());
  auto spans = m->stop(65020);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 65000, 65020, "zoom", "meetings");
}

TEST_CASE("the X server going away is an error from dispatch, and the spans so far survive") {
  auto server = XServer::start();
  REQUIRE(server.has_value());
  auto desk = desktop(server->display());
  auto code = desk->create_window("code", "Code");
  cairn::ManualClock clock(70000);
  MonitorOptions opts;
  opts.display = server->display();
  auto m = open_monitor(clock, opts);
  desk->activate(code);
  settle(*m, *desk, clock.now());
  clock.set(70042);
  server->kill();
  REQUIRE(readable(m->fd(), 5000));  // the socket reports the hang-up
  auto status = m->dispatch(clock.now());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == cairn::Errc::io);
  CHECK(m->status().find("lost the connection") != std::string::npos);
  CHECK_FALSE(m->dispatch(70050).ok());  // stays failed
  auto spans = m->checkpoint(70060);
  REQUIRE(spans.size() == 1);
  check_span(spans[0], 70000, 70042, "Code", "development");
  CHECK(m->stop(70070).empty());
}

TEST_CASE("no X display is a clear error") {
  cairn::ManualClock clock(0);
  MonitorOptions opts;
  opts.display = ":987654";
  auto m = ActivityMonitor::open(clock, CategoryRules::defaults(), opts);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code == cairn::Errc::not_found);
  CHECK(m.error().message.find(":987654") != std::string::npos);
}

TEST_CASE("cairn_fake_desktop drives the monitor in real time: switches and idle periods come out") {
  auto desk = desktop();  // also keeps the shared server from resetting
  const Instant start = cairn::system_clock().now();
  MonitorOptions opts;
  opts.idle_threshold_s = 1;
  auto m = ActivityMonitor::open(cairn::system_clock(), CategoryRules::defaults(), opts);
  REQUIRE(m.ok());
  auto& mon = **m;

  // 1.2 s per window (each spans a whole-second boundary, so none is dropped as sub-second),
  // active 3 s then quiet 2.5 s (idle after 1 s), for 6 s in all.
  std::vector<std::string> args = {CAIRN_FAKE_DESKTOP, "--classes", "code,Slack", "--switch-every", "1.2",
                                   "--duration", "6", "--idle-every", "3", "--idle-for", "2.5",
                                   "--input-every", "0.2"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(7);
  std::vector<ActivitySpan> spans;
  while (std::chrono::steady_clock::now() < deadline) {
    int t = mon.poll_timeout_ms() >= 0 ? std::min(mon.poll_timeout_ms(), 200) : 200;
    readable(mon.fd(), t);
    REQUIRE(mon.dispatch(cairn::system_clock().now()).ok());
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  spans = mon.stop(cairn::system_clock().now());

  bool saw_code = false, saw_slack = false, saw_idle = false;
  Instant prev_end = start;
  for (const auto& s : spans) {
    CHECK(s.start >= prev_end);  // in order, never overlapping
    CHECK(s.end >= s.start);
    prev_end = s.end;
    saw_code |= s.app_class == "code" || s.app_class == "Code";
    saw_slack |= s.app_class == "Slack";
    saw_idle |= s.idle;
  }
  CHECK(saw_code);
  CHECK(saw_slack);
  CHECK(saw_idle);
}

// The daemon's loop on its own: a fake clock and a fake activity source stand in for the window
// system, so what the loop does with a source (open it as consent allows, retry when the session
// cannot be watched, say why in the status file, drop spans on revocation, seal on SIGTERM) is
// tested without any display. The daemon runs on a thread of its own; SIGTERM is sent to it.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/daemon/daemon.hpp"
#include "cairn/inbox/batch.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {

const std::int64_t kT0 = static_cast<std::int64_t>(std::time(nullptr)) / 60 * 60 - 3600;

// A clock the test moves while the daemon's thread reads it.
class FakeClock final : public Clock {
 public:
  std::int64_t now() const override { return now_; }
  std::int32_t utc_offset(std::int64_t) const override { return 0; }
  void set(std::int64_t t) { now_ = t; }
  std::atomic<std::int64_t> now_{kT0};
};

// What the test tells the fake source and what the fake reports back, shared across threads.
struct Script {
  std::mutex m;
  std::vector<std::string> focus;  // app ids to switch to at the next dispatch
  bool fail_dispatch = false;      // the session goes away
  int opens = 0, stops = 0;
  std::string refuse;              // non-empty: open fails with Errc::refused and this message
  int wake_fd = -1;                // the write end of the fake's pipe
  void poke() { (void)!::write(wake_fd, "x", 1); }
};

class FakeSource final : public activity::ActivitySource {
 public:
  FakeSource(const Clock& clock, Script& script, int read_fd, bool titles)
      : clock_(clock), script_(script), fd_(read_fd), builder_(clock), titles_(titles) {
    builder_.set_app(clock.now(), activity::AppState{"start", "other", std::nullopt});
  }
  ~FakeSource() override { ::close(fd_); }
  int fd() const override { return fd_; }
  int poll_timeout_ms() const override { return -1; }
  Status dispatch(activity::Instant now) override {
    char buf[64];
    while (::read(fd_, buf, sizeof buf) > 0) {
    }
    std::lock_guard lock(script_.m);
    if (script_.fail_dispatch) return make_error(Errc::io, "the fake session went away");
    for (const auto& app : script_.focus) builder_.set_app(now, activity::AppState{app, "development", std::nullopt});
    script_.focus.clear();
    return ok_status();
  }
  std::vector<activity::ActivitySpan> checkpoint(activity::Instant now) override { return builder_.checkpoint(now); }
  std::vector<activity::ActivitySpan> stop(activity::Instant now) override {
    std::lock_guard lock(script_.m);
    ++script_.stops;
    return builder_.stop(now);
  }
  void set_collect_titles(bool on, activity::Instant) override { titles_ = on; }
  void set_rules(activity::CategoryRules, activity::Instant) override {}
  const char* backend() const override { return "fake"; }
  const std::string& status() const override { return status_; }
  bool idle() const override { return false; }
  bool collect_titles() const override { return titles_; }

 private:
  const Clock& clock_;
  Script& script_;
  int fd_;
  activity::SpanBuilder builder_;
  bool titles_;
  std::string status_ = "fake backend";
};

struct Fixture {
  explicit Fixture(const char* name) : dir(test::fresh_dir(std::string("daemon/") + name)) {
    REQUIRE(crypto::init().ok());
    paths = Paths{dir / "data", dir / "config"};
    std::filesystem::create_directories(paths.config);
    std::filesystem::create_directories(paths.data);
    auto v = crypto::vault_create(paths.vault(), crypto::SecretBytes::from(std::string_view("pw")),
                                  crypto::PwhashParams::minimum(), kT0);
    REQUIRE(v.ok());
    inbox_keys = v->keys.inbox_keys();
    opt.paths = paths;
    opt.scan_executable = "/nonexistent/cairn-scan";
    opt.open_activity = [this](const Clock& c, activity::CategoryRules, activity::MonitorOptions mo,
                               const activity::SessionEnv&, activity::Session* session)
        -> Result<std::unique_ptr<activity::ActivitySource>> {
      if (session) *session = {activity::SessionKind::wayland, activity::Family::wlroots, "fake"};
      std::lock_guard lock(script.m);
      ++script.opens;
      if (!script.refuse.empty()) return make_error(Errc::refused, script.refuse);
      int p[2];
      REQUIRE(::pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
      if (script.wake_fd >= 0) ::close(script.wake_fd);
      script.wake_fd = p[1];
      return std::unique_ptr<activity::ActivitySource>(new FakeSource(c, script, p[0], mo.collect_titles));
    };
  }
  ~Fixture() {
    if (thread.joinable()) stop();
    if (script.wake_fd >= 0) ::close(script.wake_fd);
  }
  void grant(records::Source s) { REQUIRE(consent::grant(paths.config, s, clock.now()).ok()); }
  void revoke(records::Source s) { REQUIRE(consent::revoke(paths.config, s, false, clock.now()).ok()); }
  void start() {
    std::atomic<bool> created{false};
    thread = std::thread([this, &created] {
      auto d = daemon::Daemon::create(opt, clock);  // blocks SIGTERM in this thread for its signalfd
      REQUIRE(d.ok());
      created = true;
      result = (*d)->run();
    });
    while (!created) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // run() applied the consent
  }
  void stop() {
    ::pthread_kill(thread.native_handle(), SIGTERM);
    thread.join();
  }
  // Wakes the loop without a source event: the rules file changed.
  void wake() {
    std::ofstream(paths.activity_rules()) << "code = development\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  activity_status::StatusFile status() {
    auto s = activity_status::read_status_file(activity_status::status_file_path(paths.data));
    REQUIRE(s.ok());
    return *s;
  }
  std::vector<records::ActivitySpan> sealed_spans() {
    std::vector<records::ActivitySpan> out;
    for (const auto& f : inbox::pending_batches(paths.inbox())) {
      std::ifstream in(f, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      auto b = inbox::open_batch(crypto::as_bytes(bytes), inbox_keys);
      REQUIRE(b.ok());
      out.insert(out.end(), b->spans.begin(), b->spans.end());
    }
    return out;
  }

  std::filesystem::path dir;
  Paths paths;
  daemon::Options opt;
  FakeClock clock;
  Script script;
  crypto::BoxKeyPair inbox_keys;
  std::thread thread;
  Status result = ok_status();
};

}  // namespace

TEST_CASE("the loop opens the chosen backend, says so, follows its events and seals them on SIGTERM") {
  Fixture f("collect");
  f.grant(records::Source::activity);
  f.start();
  CHECK(f.script.opens == 1);
  auto st = f.status();
  CHECK(st.state == "collecting");
  CHECK(st.backend == "fake");
  CHECK(st.detail == "wlroots Wayland (fake): fake backend");
  f.clock.set(kT0 + 10);
  {
    std::lock_guard lock(f.script.m);
    f.script.focus = {"code"};
  }
  f.script.poke();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  f.clock.set(kT0 + 30);
  f.stop();
  CHECK(f.result.ok());
  CHECK(f.script.stops == 1);
  auto spans = f.sealed_spans();
  REQUIRE(spans.size() == 2);  // nothing twice: one batch at exit
  CHECK(spans[0].app_class == "start");
  CHECK(spans[0].end == kT0 + 10);
  CHECK(spans[1].app_class == "code");
  CHECK(spans[1].end == kT0 + 30);
  CHECK(f.status().state == "stopped");
}

TEST_CASE("a session that cannot be watched: the reason in the status file, a retry 30 s later") {
  Fixture f("refused");
  f.script.refuse = "GNOME Wayland: the Cairn shell extension is not enabled";
  f.grant(records::Source::activity);
  f.start();
  CHECK(f.script.opens == 1);
  auto st = f.status();
  CHECK(st.state == "unavailable");
  CHECK(st.detail == "GNOME Wayland: the Cairn shell extension is not enabled");
  CHECK(activity_status::describe_status(st).rfind("not collecting: GNOME Wayland", 0) == 0);
  f.clock.set(kT0 + 10);
  f.wake();
  CHECK(f.script.opens == 1);  // not before 30 s
  {
    std::lock_guard lock(f.script.m);
    f.script.refuse.clear();  // the employee enabled the extension
  }
  f.clock.set(kT0 + 31);
  f.wake();
  CHECK(f.script.opens == 2);
  CHECK(f.status().state == "collecting");
  f.stop();
  CHECK(f.result.ok());
}

TEST_CASE("the session going away keeps what was seen and retries; revoking drops what was not sealed") {
  Fixture f("lost");
  f.grant(records::Source::activity);
  f.start();
  f.clock.set(kT0 + 20);
  {
    std::lock_guard lock(f.script.m);
    f.script.fail_dispatch = true;
  }
  f.script.poke();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(f.script.stops == 1);
  CHECK(f.status().state == "unavailable");
  CHECK(f.status().detail.find("the session went away") != std::string::npos);
  {
    std::lock_guard lock(f.script.m);
    f.script.fail_dispatch = false;
  }
  f.clock.set(kT0 + 51);
  f.wake();
  CHECK(f.script.opens == 2);
  f.clock.set(kT0 + 60);
  f.revoke(records::Source::activity);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(f.script.stops == 2);
  CHECK(f.status().state == "off");
  f.stop();
  CHECK(f.result.ok());
  CHECK(f.sealed_spans().empty());  // revoked before any batch: nothing sealed at all
}

TEST_CASE("calendar_scan_executable_beside: the installed folder, else the build tree's sibling folder") {
  const auto dir = test::fresh_dir("daemon/helpers");
  auto make_exe = [](const std::filesystem::path& p) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << "#!/bin/sh\n";
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  };
  // Build tree: apps/cairn-scan/cairn-scan beside apps/cairn-scan-calendar/cairn-scan-calendar.
  make_exe(dir / "build/cairn-scan/cairn-scan");
  make_exe(dir / "build/cairn-scan-calendar/cairn-scan-calendar");
  CHECK(daemon::calendar_scan_executable_beside(dir / "build/cairn-scan/cairn-scan") ==
        dir / "build/cairn-scan/../cairn-scan-calendar/cairn-scan-calendar");
  // Installed: both in libexec/cairn; the same folder wins.
  make_exe(dir / "libexec/cairn/cairn-scan");
  make_exe(dir / "libexec/cairn/cairn-scan-calendar");
  make_exe(dir / "libexec/cairn-scan-calendar/cairn-scan-calendar");
  CHECK(daemon::calendar_scan_executable_beside(dir / "libexec/cairn/cairn-scan") ==
        dir / "libexec/cairn/cairn-scan-calendar");
  // Neither: the same folder, so the error names where it was expected.
  CHECK(daemon::calendar_scan_executable_beside(dir / "nowhere/cairn-scan") == dir / "nowhere/cairn-scan-calendar");
}

// The calendar reaches two years back: a file new to the agent (or changed) is read over the whole
// window; a rescan of an unchanged file asks for the last 14 days only. A fake cairn-scan records
// each request the daemon sends.
TEST_CASE("calendar requests: two years for a new or changed file, the recent past for an unchanged one") {
  Fixture f("calendar-window");
  const auto log = f.dir / "requests.log";
  const auto ics = f.dir / "work.ics";
  std::ofstream(ics) << "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
  const auto scan = f.dir / "fake-scan.sh";
  std::ofstream(scan) << "#!/bin/sh\ncat >> '" << log.string() << "'\necho >> '" << log.string() << "'\n"
                      << "printf '%s\\n' '{\"version\":1,\"git\":[],\"calendar\":[{\"path\":\"" << ics.string()
                      << "\",\"ok\":true,\"skipped\":0,\"meetings\":[]}]}'\n";
  std::filesystem::permissions(scan, std::filesystem::perms::owner_all);
  f.opt.calendar_scan_executable = scan.string();
  auto st = consent::load(consent::file_in(f.paths.config)).value();
  st.calendars = {ics.string()};
  REQUIRE(consent::save(consent::file_in(f.paths.config), st).ok());
  f.grant(records::Source::calendar);
  auto froms = [&] {
    std::vector<std::int64_t> out;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
      if (auto at = line.find("\"from\":"); at != std::string::npos) out.push_back(std::stoll(line.substr(at + 7)));
    return out;
  };
  f.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(froms().size() == 1);
  CHECK(froms()[0] == kT0 - consent::kCalendarHistoryDays * 86400);
  // A settings change rescans; the file is unchanged: only the last two weeks.
  st = consent::load(consent::file_in(f.paths.config)).value();  // with the grant
  st.emails = {"me@example.org"};
  REQUIRE(consent::save(consent::file_in(f.paths.config), st).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  REQUIRE(froms().size() == 2);
  CHECK(froms()[1] == kT0 - 14 * 86400);
  // The file changes: read in full again.
  std::ofstream(ics) << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
  f.clock.set(kT0 + 3600);  // past the spacing between scans
  f.wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(froms().size() == 3);
  CHECK(froms()[2] == kT0 + 3600 - consent::kCalendarHistoryDays * 86400);
  f.stop();
  CHECK(f.result.ok());
}

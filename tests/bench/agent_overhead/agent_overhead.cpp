// agent_overhead (issue 3): what the real collection daemon costs while a person works. Starts a
// private Xvfb, makes a real vault (`cairn init` with CAIRN_INSECURE_FAST_KDF=1), consents to
// activity and to git for a real temporary repository, runs the real cairn-agentd, drives the
// desktop with cairn_fake_desktop (a window switch every 5 s, pointer input every second, idle
// periods longer than the 180 s idle threshold) and makes a git commit every minute. At the end it
// reads the daemon's CPU time and peak RSS, stops it with SIGTERM, and imports the inbox with
// `cairn import` to show that what was collected arrives.
//
// --session sway runs the same on a headless sway instead (the wlroots backend): foot windows with
// the app ids code, firefox and Slack, focus moved with swaymsg, input typed with wtype once a second
// in active phases; as root, sway and every Cairn program run as the user cairn-wl-test.
//
// Usage: agent_overhead [--session x11|sway] [--activity-only] [--minutes M] [--switch-every S] [--idle-every S] [--idle-for S]
//                       [--commit-every S] [--bin DIR] [--fake-desktop PATH] [--display N] [--keep]
//   --minutes       length of the simulated activity (default 10; 1 makes a smoke run)
//   --idle-every/--idle-for  active S seconds, then idle S seconds, repeating (default 150/210)
//   --bin           the build's apps/ folder holding cairn/, cairn-agentd/, cairn-scan/ and cairn-scan-calendar/
//   --activity-only no git consent: the daemon alone, as the unit runs it for activity (no cairn-scan)
//   --calendar      also consent to a calendar: an .ics written here with series in the scan window
//                   (a Europe/Berlin VTIMEZONE, an America/New_York system zone, UTC), read by
//                   cairn-scan-calendar, so the peak covers every child the unit can start
//   --keep          keep the temporary home, repository and daemon log (their path is printed)
//
// What it prints: CPU seconds of the daemon alone (/proc/PID/schedstat, nanoseconds, read just
// before SIGTERM; and apart: its startup, read when its log says "started", and the steady state
// after it, each per hour of activity), of its cairn-scan children (cutime+cstime of /proc/PID/stat: the children the
// daemon waited for), and the total wait4() reports after the daemon exits (itself plus waited-for
// children, including the last flush); each also scaled to one hour of activity. Peak RSS: VmHWM
// of the daemon alone before SIGTERM, and ru_maxrss of wait4 (the larger of the daemon and its
// largest child). Targets: <= 0.5 CPU-s per hour, <= 10 MiB peak RSS.
// Exit status 0 when the run completed and the import found the spans and commits; 1 otherwise.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "compositors.hpp"
#include "process.hpp"

namespace fsys = std::filesystem;
using Clock = std::chrono::steady_clock;
using bench::run_and_wait;
using bench::spawn;

namespace {

struct Args {
  double minutes = 10, switch_every = 5, idle_every = 150, idle_for = 210, commit_every = 60;
  fsys::path bin = CAIRN_APPS_DIR;
  fsys::path fake_desktop = CAIRN_FAKE_DESKTOP;
  int display = 0;  // 0: pick a free one
  bool keep = false;
  bool sway = false;  // --session sway
  bool git = true;    // --activity-only: no git consent, so the daemon starts no cairn-scan child
  bool calendar = false;  // --calendar: calendar consent too (cairn-scan-calendar runs)
};

const char* kPassphrase = "agent overhead bench passphrase";
const char* kEmail = "bench@example.org";

int usage(const std::string& why) {
  std::fprintf(stderr,
               "agent_overhead: %s\nusage: agent_overhead [--session x11|sway] [--activity-only] [--calendar] [--minutes M] "
               "[--switch-every S] [--idle-every S] [--idle-for S] [--commit-every S] [--bin DIR] [--fake-desktop PATH] [--display N] [--keep]\n",
               why.c_str());
  return 2;
}

std::string read_text(const fsys::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The fields of /proc/PID/stat after the command name: utime stime cutime cstime, in clock ticks.
struct ProcCpu {
  double self_ticks_s = 0;  // utime + stime (tick-sampled)
  double children_s = 0;    // cutime + cstime
  double self_exact_s = 0;  // /proc/PID/schedstat: time on CPU, nanoseconds
  long hwm_kib = 0, rss_kib = 0;
};

std::optional<ProcCpu> read_proc(pid_t pid) {
  ProcCpu c;
  const auto dir = fsys::path("/proc") / std::to_string(pid);
  std::string stat = read_text(dir / "stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(stat.substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; in >> w;) f.push_back(w);
  // After ")": state(0) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(11)
  // stime(12) cutime(13) cstime(14).
  if (f.size() < 15) return std::nullopt;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  c.self_ticks_s = (std::stod(f[11]) + std::stod(f[12])) / tick;
  c.children_s = (std::stod(f[13]) + std::stod(f[14])) / tick;
  std::istringstream sched(read_text(dir / "schedstat"));
  double ns = 0;
  if (sched >> ns) c.self_exact_s = ns / 1e9;
  std::istringstream status(read_text(dir / "status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) c.hwm_kib = std::atol(line.c_str() + 6);
    if (line.rfind("VmRSS:", 0) == 0) c.rss_kib = std::atol(line.c_str() + 6);
  }
  return c;
}

int pick_display() {
  for (int n = 90; n < 200; ++n) {
    auto lock = "/tmp/.X" + std::to_string(n) + "-lock";
    auto sock = "/tmp/.X11-unix/X" + std::to_string(n);
    if (!fsys::exists(lock) && !fsys::exists(sock)) return n;
  }
  return 0;
}

bool wait_for_path(const fsys::path& p, double seconds) {
  const auto t0 = Clock::now();
  while (std::chrono::duration<double>(Clock::now() - t0).count() < seconds) {
    if (fsys::exists(p)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// "20261203T093000" for the local date `days` from today (UTC date) at hh:mm.
std::string ics_time(int days, int hh, int mm) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hh, mm);
  return buf;
}

// A working calendar inside the scan window: a Berlin stand-up three days a week (its own
// VTIMEZONE), a monthly New York review (a system zone), a weekly UTC 1:1 with an EXDATE.
std::string bench_calendar() {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cairn bench//agent_overhead//EN\r\n"
         "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
         "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
         "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\n"
         "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
         "BEGIN:VEVENT\r\nUID:standup@bench.example\r\nDTSTAMP:20240101T000000Z\r\n"
         "DTSTART;TZID=Europe/Berlin:" + ics_time(-400, 9, 30) + "\r\nDURATION:PT15M\r\n"
         "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r\nORGANIZER:mailto:lead@example.org\r\n"
         "ATTENDEE:mailto:" + std::string(kEmail) + "\r\nATTENDEE:mailto:dev@example.org\r\nEND:VEVENT\r\n"
         "BEGIN:VEVENT\r\nUID:review@bench.example\r\nDTSTAMP:20240101T000000Z\r\n"
         "DTSTART;TZID=America/New_York:" + ics_time(-300, 11, 0) + "\r\nDURATION:PT1H\r\n"
         "RRULE:FREQ=MONTHLY;BYDAY=2TU\r\nORGANIZER:mailto:cto@example.org\r\n"
         "ATTENDEE:mailto:" + std::string(kEmail) + "\r\nEND:VEVENT\r\n"
         "BEGIN:VEVENT\r\nUID:one-on-one@bench.example\r\nDTSTAMP:20240101T000000Z\r\n"
         "DTSTART:" + ics_time(-200, 14, 0) + "Z\r\nDTEND:" + ics_time(-200, 14, 30) + "Z\r\n"
         "RRULE:FREQ=WEEKLY\r\nEXDATE:" + ics_time(-193, 14, 0) + "Z\r\nORGANIZER:mailto:lead@example.org\r\n"
         "ATTENDEE:mailto:" + std::string(kEmail) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    if (f == "--keep") { a.keep = true; continue; }
    if (f == "--activity-only") { a.git = false; continue; }
    if (f == "--calendar") { a.calendar = true; continue; }
    if (i + 1 >= argc) return usage("missing value after " + f);
    std::string v = argv[++i];
    char* end = nullptr;
    double num = std::strtod(v.c_str(), &end);
    bool is_num = !v.empty() && *end == '\0' && num >= 0 && num < 1e6;
    if (f == "--session" && (v == "x11" || v == "sway")) a.sway = v == "sway";
    else if (f == "--minutes" && is_num && num > 0) a.minutes = num;
    else if (f == "--switch-every" && is_num && num > 0) a.switch_every = num;
    else if (f == "--idle-every" && is_num) a.idle_every = num;
    else if (f == "--idle-for" && is_num) a.idle_for = num;
    else if (f == "--commit-every" && is_num && num > 0) a.commit_every = num;
    else if (f == "--display" && is_num && num >= 1) a.display = static_cast<int>(num);
    else if (f == "--bin") a.bin = v;
    else if (f == "--fake-desktop") a.fake_desktop = v;
    else return usage("bad option or value: " + f + " " + v);
  }
  const fsys::path cairn = a.bin / "cairn" / "cairn", agentd = a.bin / "cairn-agentd" / "cairn-agentd",
                   scan = a.bin / "cairn-scan" / "cairn-scan";
  for (const auto& p : {cairn, agentd, scan, a.fake_desktop})
    if (::access(p.c_str(), X_OK) != 0) return usage("not built or not executable: " + p.string());

  const char* tmp = std::getenv("TMPDIR");
  const fsys::path work = fsys::path(tmp && *tmp ? tmp : "/tmp") / ("cairn-agent-overhead-" + std::to_string(::getpid()));
  fsys::remove_all(work);
  fsys::create_directories(work);
  ::chmod(work.c_str(), 0700);
  const fsys::path home = work / "home", repo = work / "repo", logs = work / "logs";
  fsys::create_directories(repo);
  fsys::create_directories(logs);

  // Children get a small, fixed environment: no user's git config, the fast KDF for `cairn init`.
  const std::vector<std::string> env_base = {
      "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + work.string(), "LANG=C.UTF-8", "GIT_CONFIG_NOSYSTEM=1",
      "GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=" + std::string(kEmail), "GIT_COMMITTER_NAME=Bench",
      "GIT_COMMITTER_EMAIL=" + std::string(kEmail), "CAIRN_INSECURE_FAST_KDF=1", "TMPDIR=" + work.string()};

  std::vector<pid_t> to_stop;  // on any failure: Xvfb and the desktop driver, ended by pid
  auto cleanup = [&]() {
    for (pid_t p : to_stop) {
      ::kill(p, SIGTERM);
      ::waitpid(p, nullptr, 0);
    }
    to_stop.clear();
    if (!a.keep) fsys::remove_all(work);
  };
  auto fail = [&](const std::string& why) {
    std::fprintf(stderr, "agent_overhead: %s (logs in %s)\n", why.c_str(), logs.c_str());
    a.keep = true;
    cleanup();
    return 1;
  };

  // 1. A private X server, or a headless sway whose user runs every Cairn program (setpriv).
  auto env = env_base;
  std::string disp;
  std::unique_ptr<cairn::activity::testing::Sway> sway;
  std::vector<std::string> as_user;  // argv prefix
  if (a.sway) {
    sway = cairn::activity::testing::Sway::start();
    if (!sway) return fail("cannot start sway");
    for (const char* app : {"code", "firefox", "Slack"})
      if (!sway->open_window(app, app)) return fail("sway did not show a foot window");
    const auto& u = sway->user();
    if (u.switch_to) {
      as_user = {"setpriv", "--reuid=" + std::to_string(u.uid), "--regid=" + std::to_string(u.gid), "--clear-groups"};
      for (const auto& p : {work, repo, logs}) ::chown(p.c_str(), u.uid, u.gid);
    }
    disp = sway->wayland_display();
    for (const auto& [k, v] : sway->env())
      if (k == "XDG_RUNTIME_DIR" || k == "WAYLAND_DISPLAY") env.push_back(k + "=" + v);
    env.push_back("XDG_CURRENT_DESKTOP=sway");
    env.push_back("XDG_SESSION_TYPE=wayland");
  } else {
    if (a.display == 0) a.display = pick_display();
    disp = ":" + std::to_string(a.display);
    pid_t xvfb = spawn({"Xvfb", disp, "-screen", "0", "1280x800x24", "-nolisten", "tcp"}, env_base, "",
                       logs / "xvfb.log");
    if (xvfb <= 0) return fail("cannot start Xvfb");
    to_stop.push_back(xvfb);
    if (!wait_for_path("/tmp/.X11-unix/X" + std::to_string(a.display), 10)) return fail("Xvfb did not come up on " + disp);
    env.push_back("DISPLAY=" + disp);
  }
  auto user = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), as_user.begin(), as_user.end());
    return argv;
  };

  // 2. The vault, the consents and a repository with a first commit.
  const std::string h = home.string();
  if (run_and_wait(user({cairn.string(), "--home", h, "init"}), env, std::string(kPassphrase) + "\n", logs / "init.log") != 0)
    return fail("cairn init failed");
  if (run_and_wait(user({"git", "init", "-q", repo.string()}), env, "", logs / "git.log") != 0) return fail("git init failed");
  auto commit = [&](int n) {
    std::ofstream(repo / ("file" + std::to_string(n % 7) + ".txt"), std::ios::app)
        << "line " << n << "\nanother line " << n << "\n";
    if (run_and_wait(user({"git", "-C", repo.string(), "add", "-A"}), env, "", logs / "git.log") != 0) return false;
    return run_and_wait(user({"git", "-C", repo.string(), "commit", "-q", "-m", "change " + std::to_string(n)}), env, "",
                        logs / "git.log") == 0;
  };
  if (!commit(0)) return fail("the first git commit failed");
  const fsys::path ics = work / "calendar.ics";
  if (a.calendar) {
    std::ofstream(ics) << bench_calendar();
    if (!as_user.empty()) ::chown(ics.c_str(), sway->user().uid, sway->user().gid);
  }
  if (run_and_wait(user({cairn.string(), "--home", h, "consent", "grant", "activity"}), env, "", logs / "consent.log") != 0 ||
      (a.git && run_and_wait(user({cairn.string(), "--home", h, "consent", "grant", "git", "--repo", repo.string() + "=bench",
                         "--email", kEmail}),
                   env, "", logs / "consent.log") != 0))
    return fail("cairn consent grant failed");
  if (a.calendar && run_and_wait(user({cairn.string(), "--home", h, "consent", "grant", "calendar", "--ics", ics.string()}),
                                 env, "", logs / "consent.log") != 0)
    return fail("cairn consent grant calendar failed");

  // 3. The daemon, then the person at the desktop.
  pid_t daemon = spawn(user({agentd.string(), "--home", h, "--scan", scan.string(), "--verbose"}), env, "",
                       logs / "agentd.log");
  if (daemon <= 0) return fail("cannot start cairn-agentd");
  // Startup ends when the daemon says it started (consent read, activity source opened); its CPU
  // up to then is reported apart, so a short run's per-hour figure is not mostly startup.
  for (int i = 0; i < 200 && read_text(logs / "agentd.log").find("started; collecting") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto at_start = read_proc(daemon);
  if (!at_start) return fail("cannot read /proc for cairn-agentd");
  const double seconds = a.minutes * 60;
  char num[4][32];
  std::snprintf(num[0], sizeof num[0], "%g", a.switch_every);
  std::snprintf(num[1], sizeof num[1], "%g", seconds);
  std::snprintf(num[2], sizeof num[2], "%g", a.idle_every);
  std::snprintf(num[3], sizeof num[3], "%g", a.idle_for);
  // On sway the person is simulated here, in the loop below; the "desktop" is a timer process.
  pid_t desk = a.sway ? spawn({"sleep", num[1]}, env, "", logs / "fake_desktop.log")
                      : spawn({a.fake_desktop.string(), "--display", disp, "--switch-every", num[0], "--duration",
                               num[1], "--idle-every", num[2], "--idle-for", num[3]},
                              env, "", logs / "fake_desktop.log");
  if (desk <= 0) {
    ::kill(daemon, SIGKILL);
    ::waitpid(daemon, nullptr, 0);
    return fail("cannot start cairn_fake_desktop");
  }
  to_stop.push_back(desk);
  std::printf("agent_overhead: %.3g min of activity on %s (switch every %gs, %gs active / %gs idle, a commit every %gs)\n",
              a.minutes, disp.c_str(), a.switch_every, a.idle_every, a.idle_for, a.commit_every);
  std::fflush(stdout);

  // 4. Work: a commit every --commit-every seconds until the desktop driver finishes.
  const auto t0 = Clock::now();
  int commits = 1;
  double next_commit = a.commit_every;
  int desk_status = -1;
  bool desk_stopped = false;
  long hwm_seen = 0;
  double next_switch = a.switch_every, next_input = 1;
  int focus_n = 0;
  while (true) {
    if (sway) {  // as cairn_fake_desktop does on X11: switches always, input only in active phases
      const double t = seconds_since(t0);
      const double cycle = a.idle_every + a.idle_for;
      const bool active = cycle <= 0 || std::fmod(t, cycle) < a.idle_every;
      if (t >= next_switch) {
        static const char* apps[] = {"code", "firefox", "Slack"};
        sway->focus(apps[++focus_n % 3]);
        next_switch += a.switch_every;
      }
      if (t >= next_input) {
        if (active) sway->type("x");
        next_input += 1;
      }
    }
    int st = 0;
    pid_t r = ::waitpid(desk, &st, WNOHANG);
    if (r == desk) {
      desk_status = st;
      to_stop.erase(std::find(to_stop.begin(), to_stop.end(), desk));
      break;
    }
    if (::waitpid(daemon, &st, WNOHANG) == daemon) return fail("cairn-agentd exited early");
    if (auto p = read_proc(daemon)) hwm_seen = std::max(hwm_seen, p->hwm_kib);
    if (a.git && seconds_since(t0) >= next_commit && seconds_since(t0) < seconds - 5) {
      if (!commit(commits)) return fail("a git commit failed");
      ++commits;
      next_commit += a.commit_every;
    }
    // cairn_fake_desktop sleeps to the end of an idle phase even past --duration; the run ends on
    // time here (SIGTERM is a clean stop for it).
    if (seconds_since(t0) >= seconds + 1 && !desk_stopped) {
      ::kill(desk, SIGTERM);
      desk_stopped = true;
    }
    if (seconds_since(t0) > seconds + 30) return fail("cairn_fake_desktop did not stop");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const double elapsed = seconds_since(t0);
  const bool desk_ok = (WIFEXITED(desk_status) && WEXITSTATUS(desk_status) == 0) ||
                       (desk_stopped && WIFSIGNALED(desk_status) && WTERMSIG(desk_status) == SIGTERM);
  if (!desk_ok) return fail("cairn_fake_desktop failed");
  // Let the last commit's scan (2 s debounce) finish before reading the figures.
  std::this_thread::sleep_for(std::chrono::seconds(4));

  // 5. Figures just before stopping, then SIGTERM and wait4.
  auto before = read_proc(daemon);
  if (!before) return fail("cannot read /proc for cairn-agentd");
  ::kill(daemon, SIGTERM);
  int dst = 0;
  rusage ru{};
  if (::wait4(daemon, &dst, 0, &ru) != daemon) return fail("wait4 failed");
  if (!WIFEXITED(dst) || WEXITSTATUS(dst) != 0) return fail("cairn-agentd did not stop cleanly");
  const double total_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  const double per_hour = 3600.0 / elapsed;

  std::string log = read_text(logs / "agentd.log");
  std::size_t scans = 0, batches = 0;
  for (std::size_t p = 0; (p = log.find("scan: ", p)) != std::string::npos; ++p) ++scans;
  for (std::size_t p = 0; (p = log.find("sealed", p)) != std::string::npos; ++p) ++batches;

  std::printf("activity: %.1f s, %d commits; daemon log: %zu scans, %zu 'sealed' lines\n", elapsed, commits, scans,
              batches);
  std::printf("CPU daemon alone   %8.3f s (ticks %.2f s)  = %6.3f s per hour of activity\n", before->self_exact_s,
              before->self_ticks_s, before->self_exact_s * per_hour);
  std::printf("CPU daemon startup  %8.3f s (until \"started\"); after it %8.3f s = %6.3f s per hour of activity\n",
              at_start->self_exact_s, before->self_exact_s - at_start->self_exact_s,
              (before->self_exact_s - at_start->self_exact_s) * per_hour);
  std::printf("CPU cairn-scan     %8.3f s over %zu scans = %6.3f s per hour (%.1f ms per scan)\n", before->children_s,
              scans, before->children_s * per_hour, scans ? 1000.0 * before->children_s / scans : 0.0);
  std::printf("CPU total (wait4)  %8.3f s, daemon + children + final flush = %6.3f s per hour; target <= 0.5\n", total_s,
              total_s * per_hour);
  std::printf("peak RSS daemon alone (VmHWM) %6.2f MiB; with children (ru_maxrss) %6.2f MiB; target <= 10 MiB\n",
              std::max(before->hwm_kib, hwm_seen) / 1024.0, ru.ru_maxrss / 1024.0);
  std::fflush(stdout);

  // 6. The inbox imports: the collected spans and commits arrive in the store.
  std::size_t pending = 0;
  for (const auto& e : fsys::directory_iterator(home / "inbox"))
    if (e.path().extension() == ".batch") ++pending;
  int imp = run_and_wait(user({cairn.string(), "--home", h, "import"}), env, std::string(kPassphrase) + "\n",
                         logs / "import.log");
  std::string imported = read_text(logs / "import.log");
  std::size_t line_at = imported.find("Imported ");
  std::string line = line_at == std::string::npos ? "" : imported.substr(line_at, imported.find('\n', line_at) - line_at);
  std::printf("inbox: %zu batch files; cairn import: %s\n", pending, line.empty() ? "(no summary line)" : line.c_str());
  bool good = imp == 0 && !line.empty() && line.find(" 0 activity spans") == std::string::npos &&
              (!a.git || line.find(" 0 commits") == std::string::npos) &&
              (!a.calendar || line.find(" 0 meetings") == std::string::npos);
  if (!good) return fail("the inbox did not import the expected spans and commits");
  if (a.keep) std::printf("kept: %s\n", work.c_str());
  cleanup();
  return 0;
}

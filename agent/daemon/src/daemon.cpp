// The daemon's loop: one poll() over signals, the batch timer, inotify and the activity source.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "cairn/base/files.hpp"
#include "cairn/crypto/vault.hpp"
#include "impl.hpp"

namespace cairn::daemon {

void Daemon::Impl::log(const std::string& line) const { std::cerr << "cairn-agentd: " << line << std::endl; }

Daemon::Daemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Daemon::~Daemon() {
  if (impl_) {
    if (impl_->signal_fd >= 0) ::close(impl_->signal_fd);
    if (impl_->timer_fd >= 0) ::close(impl_->timer_fd);
  }
}

std::filesystem::path default_scan_executable() {
  std::error_code ec;
  auto dir = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  for (auto c : {dir / "cairn-scan", dir / "../cairn-scan/cairn-scan", dir / "../libexec/cairn/cairn-scan"})
    if (::access(c.c_str(), X_OK) == 0) return c;
  return dir / "cairn-scan";
}

std::filesystem::path calendar_scan_executable_beside(const std::filesystem::path& scan_executable) {
  const auto dir = scan_executable.parent_path();
  const auto sibling = dir / "../cairn-scan-calendar/cairn-scan-calendar";
  if (::access(sibling.c_str(), X_OK) == 0 && ::access((dir / "cairn-scan-calendar").c_str(), X_OK) != 0)
    return sibling;
  return dir / "cairn-scan-calendar";
}

Result<std::unique_ptr<Daemon>> Daemon::create(const Options& options, const Clock& clock) {
  auto impl = std::make_unique<Impl>(options, clock);
  // Only the public half of the vault: the daemon can seal batches, never open them.
  auto pub = crypto::vault_read_public(options.paths.vault());
  if (!pub.ok()) return pub.error();
  impl->inbox_key = pub->inbox_public_key;
  CAIRN_TRY(fs::ensure_private_dir(options.paths.inbox()));
  CAIRN_TRY(fs::ensure_private_dir(impl->state_dir()));
  if (impl->watcher.fd() < 0) return make_error(Errc::io, "cannot watch the consent file (inotify unavailable)");

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return make_error(Errc::io, "cannot block signals");
  ::signal(SIGPIPE, SIG_IGN);
  impl->signal_fd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  impl->timer_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (impl->signal_fd < 0 || impl->timer_fd < 0) return make_error(Errc::io, "cannot create the daemon's timers");

  CAIRN_TRY(impl->load_sent_meetings());
  if (auto st = impl->load_consent(); !st.ok()) {
    // A broken consent file means nothing is collected until it is fixed: the safe default.
    impl->log(st.error().message + "; collecting nothing until it is fixed");
  }
  return std::unique_ptr<Daemon>(new Daemon(std::move(impl)));
}

Status Daemon::run() {
  auto& d = *impl_;
  d.apply_consent(consent::State{});
  auto arm_timer = [&] {
    itimerspec spec{};
    spec.it_value.tv_sec = d.consent.batch_interval_seconds;
    spec.it_interval.tv_sec = d.consent.batch_interval_seconds;
    ::timerfd_settime(d.timer_fd, 0, &spec, nullptr);
  };
  arm_timer();
  int interval = d.consent.batch_interval_seconds;
  d.log("started; collecting: " + std::string(d.consent.activity ? "activity " : "") + (d.consent.git ? "git " : "") +
        (d.consent.calendar ? "calendar" : "") + (d.consent.activity || d.consent.git || d.consent.calendar ? "" : "nothing"));

  bool stop = false;
  while (!stop) {
    Instant now = d.clock.now();
    int timeout = -1;
    auto at_most = [&](std::int64_t ms) { if (ms >= 0 && (timeout < 0 || ms < timeout)) timeout = static_cast<int>(ms); };
    if (d.monitor) at_most(d.monitor->poll_timeout_ms());
    if (d.scan_at > 0) at_most(std::max<std::int64_t>(0, (d.scan_at - now) * 1000));
    if (!d.monitor && d.consent.activity && d.x_retry_at > 0) at_most(std::max<std::int64_t>(0, (d.x_retry_at - now) * 1000));

    pollfd fds[4] = {{d.signal_fd, POLLIN, 0}, {d.timer_fd, POLLIN, 0}, {d.watcher.fd(), POLLIN, 0}, {-1, POLLIN, 0}};
    if (d.monitor) fds[3].fd = d.monitor->fd();
    int n = ::poll(fds, 4, timeout);
    if (n < 0 && errno != EINTR) return make_error(Errc::io, std::string("poll failed: ") + std::strerror(errno));
    now = d.clock.now();

    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      while (::read(d.signal_fd, &info, sizeof info) == sizeof info)
        if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) stop = true;
    }
    if (fds[2].revents & POLLIN) {
      for (const auto& tag : d.watcher.drain()) {
        if (tag == "consent") {
          auto before = d.consent;
          if (auto st = d.load_consent(); !st.ok()) {
            d.log(st.error().message + "; collecting nothing until it is fixed");
            d.consent = consent::State{};
          }
          d.apply_consent(before);
          if (d.consent.batch_interval_seconds != interval) {
            interval = d.consent.batch_interval_seconds;
            arm_timer();
          }
        } else if (tag == "rules") {
          auto rules = activity::CategoryRules::load(d.opt.paths.activity_rules());
          if (rules.ok()) {
            d.rules = *rules;
            if (d.monitor) d.monitor->set_rules(*rules, now);
          } else if (rules.error().code != Errc::not_found) {
            d.log(rules.error().message + "; keeping the previous rules");
          }
        } else if (tag == "sources") {
          // A change notice schedules a scan, but never sooner than scan_spacing_s after the last
          // one: each scan is a child process (~25 ms of CPU), and a commit a minute must not
          // cost more than the whole hourly budget. Bursts of writes collapse into one scan.
          Instant earliest = std::max(now + 2, d.last_scan + d.opt.scan_spacing_s);
          if (d.scan_at == 0 || d.scan_at > earliest) d.scan_at = earliest;
        }
      }
    }
    if (d.monitor && (fds[3].revents != 0 || n == 0)) {
      if (auto st = d.monitor->dispatch(now); !st.ok()) {
        d.log("activity: " + st.error().message + "; retrying in 30 s");
        d.write_activity_status("unavailable", d.monitor->backend(), activity::describe(d.session) + ": the session went away");
        d.close_monitor(true);
        d.x_retry_at = now + 30;
      }
    }
    if (!d.monitor && d.consent.activity && d.x_retry_at > 0 && now >= d.x_retry_at) d.open_monitor();
    if (d.scan_at > 0 && now >= d.scan_at) {
      d.scan_at = 0;
      d.last_scan = now;
      d.run_scans();
      if (d.consent.git || d.consent.calendar) d.scan_at = now + d.opt.scan_every_s;
    }
    if (fds[1].revents & POLLIN) {
      std::uint64_t ticks = 0;
      (void)!::read(d.timer_fd, &ticks, sizeof ticks);
      if (auto st = d.flush_batch(); !st.ok()) d.log(st.error().message + "; keeping the data in memory and retrying");
    }
  }
  d.close_monitor(true);
  if (d.consent.activity) d.write_activity_status("stopped", "none", "the agent stopped");
  auto st = d.flush_batch();
  d.log(st.ok() ? "stopped" : "stopped; the last batch could not be written: " + st.error().message);
  return st;
}

}  // namespace cairn::daemon

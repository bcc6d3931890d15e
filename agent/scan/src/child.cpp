// Spawning cairn-scan and talking to it over pipes. One poll loop writes stdin, drains stdout and
// stderr together (so neither side can block the other on a full pipe) and enforces the deadline.
#include "cairn/scan/child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cairn/base/fd.hpp"

extern char** environ;

namespace cairn::scan {

namespace {

constexpr std::size_t kMaxStderrBytes = 4096;

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(Errc::io, std::string("cannot create a pipe: ") + std::strerror(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Blocks SIGPIPE on this thread for the lifetime of the guard; a SIGPIPE raised meanwhile by a
// write to a dead child is consumed before the old mask comes back.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    const timespec zero{0, 0};
    while (sigtimedwait(&set, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (line.empty()) line = "(no message)";
  return line;
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

Result<std::string> run_child_exchange(const std::filesystem::path& executable, const std::string& input,
                                       const ChildLimits& limits) {
  if (::access(executable.c_str(), X_OK) != 0)
    return make_error(Errc::not_found, "scan helper is missing or not executable: " + executable.string());
  auto in = CAIRN_TRY(make_pipe());
  auto out = CAIRN_TRY(make_pipe());
  auto err = CAIRN_TRY(make_pipe());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::string exe = executable.string();
  char* argv[] = {exe.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error(Errc::io, "cannot start " + exe + ": " + std::strerror(rc));
  in.read.reset();
  out.write.reset();
  err.write.reset();
  for (int fd : {in.write.get(), out.read.get(), err.read.get()}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  SigpipeGuard sigpipe_guard;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::string output, errors;
  std::size_t written = 0;
  bool out_open = true, err_open = true;
  if (input.empty()) in.write.reset();
  char buf[65536];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill_and_reap(pid);
      return make_error(Errc::io, "scan helper timed out after " + std::to_string(limits.timeout.count() / 1000) + " s");
    }
    pollfd fds[3];
    nfds_t n = 0;
    const int in_fd = in.write.get();
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (out_open) fds[n++] = {out.read.get(), POLLIN, 0};
    if (err_open) fds[n++] = {err.read.get(), POLLIN, 0};
    const int ready = ::poll(fds, n, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      kill_and_reap(pid);
      return make_error(Errc::io, std::string("poll failed: ") + std::strerror(errno));
    }
    for (nfds_t i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        const ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        // EPIPE: the child stopped reading; its exit status will say why.
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.write.reset();
      } else {
        const bool is_out = fds[i].fd == out.read.get();
        const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
        if (r > 0) {
          if (is_out) {
            output.append(buf, static_cast<std::size_t>(r));
            if (output.size() > limits.max_output_bytes) {
              kill_and_reap(pid);
              return make_error(Errc::too_large, "scan helper output is larger than its limit");
            }
          } else if (errors.size() < kMaxStderrBytes) {
            errors.append(buf, std::min<std::size_t>(static_cast<std::size_t>(r), kMaxStderrBytes - errors.size()));
          }
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          (is_out ? out_open : err_open) = false;
        }
      }
    }
  }
  in.write.reset();
  int status = 0;
  // Both pipes closed: the child is exiting; a child that closed them and kept running is killed.
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return make_error(Errc::io, std::string("waitpid failed: ") + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap(pid);
      return make_error(Errc::io, "scan helper timed out after " + std::to_string(limits.timeout.count() / 1000) + " s");
    }
    ::usleep(2000);
  }
  if (WIFSIGNALED(status))
    return make_error(Errc::io, "scan helper died of signal " + std::to_string(WTERMSIG(status)));
  const int code = WEXITSTATUS(status);
  if (code == kScanBadRequestExit) return make_error(Errc::usage, "scan helper refused the request: " + first_line(errors));
  if (code != 0) return make_error(Errc::io, "scan helper failed (exit " + std::to_string(code) + "): " + first_line(errors));
  return output;
}

Result<ScanResponse> run_scan_child(const std::filesystem::path& executable, const ScanRequest& request,
                                    const ChildLimits& limits) {
  const std::string output = CAIRN_TRY(run_child_exchange(executable, encode_request(request), limits));
  return parse_response(output);
}

}  // namespace cairn::scan

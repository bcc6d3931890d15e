// The aggregator's HTTP server: construction (TLS context), binding the listening socket, and
// run()/stop() around the poll loop and its workers (http_loop.cpp). Why it is ours and not
// cpp-httplib's: see server.hpp and docs/sharing.md, "HTTP limits".
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "http_server_impl.hpp"

namespace cairn::aggregator {

Server::Server(Aggregator& aggregator, const std::optional<TlsFiles>& tls, const ServerLimits& limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->agg = &aggregator;
  impl_->limits = limits;
  impl_->tls_files = tls;
  if (tls) impl_->tls = http::TlsContext::load(tls->cert.string(), tls->key.string());
}

Server::~Server() {
  stop();
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  if (impl_->wake_fd >= 0) ::close(impl_->wake_fd);
}

Result<int> Server::bind(const std::string& host, int port) {
  if (impl_->tls_files && !impl_->tls)
    return make_error(Errc::usage, "cannot load the TLS certificate " + impl_->tls_files->cert.string() + " or its key " +
                                       impl_->tls_files->key.string() + " (PEM files, the key matching the certificate)");
  const auto fail = [&] { return make_error(Errc::io, "cannot listen on " + host + ":" + std::to_string(port)); };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) return fail();
  int fd = -1;
  for (auto* a = res; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  if (fd < 0) return fail();
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  const int bound = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(ss).sin6_port
                                                   : reinterpret_cast<sockaddr_in&>(ss).sin_port);
  impl_->listen_fd = fd;
  impl_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl_->wake_fd < 0) return fail();
  return bound;
}

Status Server::run() {
  auto& m = *impl_;
  // Each connection needs a descriptor; keep a margin for the database and the helper link.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      (void)::setrlimit(RLIMIT_NOFILE, &rl);
    }
    const std::size_t usable = rl.rlim_cur > 256 ? static_cast<std::size_t>(rl.rlim_cur) - 128 : 64;
    m.limits.max_connections = std::min(m.limits.max_connections, usable);
  }
  // TLS writes go through write(2): with SIGPIPE blocked on this thread a vanished peer is EPIPE.
  sigset_t pipe, old;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, m.limits.workers); ++i) workers.emplace_back([&m] { m.worker(); });
  m.loop();
  {
    std::lock_guard lock(m.mu);
    m.workers_stop = true;
  }
  m.cv.notify_all();
  for (auto& t : workers) t.join();
  m.conns.clear();
  m.per_address.clear();
  m.jobs.clear();
  m.done.clear();
  const timespec zero{0, 0};
  while (sigtimedwait(&pipe, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return {};
}

void Server::stop() {
  impl_->stopping.store(true);
  if (impl_->wake_fd >= 0) impl_->wake();
}

}  // namespace cairn::aggregator

// The aggregator's HTTP/1.1 server: one thread polls the listening socket and every connection,
// reads request heads and bodies into capped buffers, enforces the per-request deadline and the
// connection caps, and hands complete requests to a fixed worker pool that calls
// Aggregator::handle(). Why it is ours and not cpp-httplib's: see server.hpp and docs/sharing.md.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cairn/aggregator/server.hpp"
#include "http_parse.hpp"
#include "http_stream.hpp"

namespace cairn::aggregator {
namespace {

using Clock = std::chrono::steady_clock;
// After a closing answer: how long, and how much, to read and drop before the close.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::size_t kDrainBytes = 1024 * 1024;

enum class State { reading, handling, writing, draining };

struct Conn {
  std::unique_ptr<http::Stream> s;
  std::string addr;
  State state = State::reading;
  std::string in, out;
  std::size_t out_pos = 0;
  std::size_t drained = 0;
  Clock::time_point deadline;
  bool close_after = false;  // close once `out` is sent
  std::optional<http::Head> head;
  std::size_t head_len = 0;
};

struct Job {
  std::uint64_t id;
  Request req;
  bool keep_alive;
};
struct Done {
  std::uint64_t id;
  std::string bytes;
  bool keep_alive;
};

std::string error_body(const std::string& why) { return nlohmann::json{{"error", why}}.dump(); }

std::string peer_address(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr, buf, sizeof buf);
  return buf;
}

}  // namespace

struct Server::Impl {
  Aggregator* agg = nullptr;
  ServerLimits limits;
  std::optional<TlsFiles> tls_files;
  std::unique_ptr<http::TlsContext> tls;
  int listen_fd = -1, wake_fd = -1;
  std::atomic<bool> stopping{false};

  std::unordered_map<std::uint64_t, Conn> conns;
  std::unordered_map<std::string, std::size_t> per_address;
  std::uint64_t next_id = 1;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> jobs;
  std::vector<Done> done;
  bool workers_stop = false;

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd, &one, sizeof one);
  }
  void worker();
  void accept_some();
  void close_conn(std::uint64_t id);
  void answer(Conn& c, int status, const std::string& why, bool keep_alive);
  void on_readable(std::uint64_t id, Conn& c);
  void parse(std::uint64_t id, Conn& c);
  void on_writable(Conn& c);
  void after_write(std::uint64_t id, Conn& c);
  void take_done();
  void loop();
};

void Server::Impl::worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return workers_stop || !jobs.empty(); });
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    auto out = agg->handle(job.req);
    Done d{job.id, http::response(out.status, out.body, job.keep_alive), job.keep_alive};
    {
      std::lock_guard lock(mu);
      done.push_back(std::move(d));
    }
    wake();
  }
}

void Server::Impl::close_conn(std::uint64_t id) {
  auto it = conns.find(id);
  if (it == conns.end()) return;
  if (auto a = per_address.find(it->second.addr); a != per_address.end() && --a->second == 0) per_address.erase(a);
  conns.erase(it);  // closes the socket
}

void Server::Impl::accept_some() {
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or out of descriptors: the rest wait in the backlog
    auto addr = peer_address(ss);
    auto& n = per_address[addr];
    if (conns.size() >= limits.max_connections || n >= limits.max_per_address) {
      if (!tls) {
        static const std::string busy = http::response(503, error_body("too many connections; try again later"), false);
        (void)!::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        // Drop what already arrived, so the close is a FIN the client reads after the 503, not a reset.
        char sink[4096];
        for (int k = 0; k < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++k) {
        }
        ::shutdown(fd, SHUT_WR);
      }
      ::close(fd);
      if (n == 0) per_address.erase(addr);
      continue;
    }
    ++n;
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    Conn c;
    c.s = std::make_unique<http::Stream>(fd, tls.get());
    c.addr = std::move(addr);
    c.deadline = Clock::now() + limits.request_deadline;
    conns.emplace(next_id++, std::move(c));
  }
}

void Server::Impl::answer(Conn& c, int status, const std::string& why, bool keep_alive) {
  c.out = http::response(status, error_body(why), keep_alive);
  c.out_pos = 0;
  c.close_after = !keep_alive;
  c.state = State::writing;
  c.deadline = Clock::now() + limits.write_deadline;
}

void Server::Impl::on_readable(std::uint64_t id, Conn& c) {
  // Never more than one head, one body and a little of a pipelined next request.
  const std::size_t cap = http::kMaxHeadBytes + kMaxBodyBytes + 16 * 1024;
  char buf[16 * 1024];
  for (int round = 0; round < 64; ++round) {  // a fast sender cannot keep the loop to itself
    std::size_t got = 0;
    const bool drop = c.state == State::draining;
    if (!drop && c.in.size() >= cap) break;
    const auto r = c.s->read(buf, drop ? sizeof buf : std::min(sizeof buf, cap - c.in.size()), got);
    if (r == http::Io::again) break;
    if (r != http::Io::ok) return close_conn(id);
    if (!drop) c.in.append(buf, got);
    else if ((c.drained += got) > kDrainBytes) return close_conn(id);
  }
  if (c.state == State::reading) parse(id, c);
}

void Server::Impl::parse(std::uint64_t id, Conn& c) {
  if (!c.head) {
    const auto end = http::head_end(std::string_view(c.in).substr(0, std::min(c.in.size(), http::kMaxHeadBytes + 1)));
    if (!end) {
      if (c.in.size() > http::kMaxHeadBytes) answer(c, 431, "request head larger than 16 KiB", false);
      return;
    }
    auto h = http::parse_head(std::string_view(c.in).substr(0, *end));
    if (h.error_status) return answer(c, h.error_status, h.error, false);
    if (h.content_length > kMaxBodyBytes) return answer(c, 413, "request body larger than 128 KiB", false);
    if (h.expect_continue) {
      static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
      std::size_t put = 0;
      (void)c.s->write(cont, sizeof cont - 1, put);  // best effort: clients send anyway after a pause
    }
    c.head = std::move(h);
    c.head_len = *end;
  }
  if (c.in.size() < c.head_len + c.head->content_length) return;
  Job job{id, Request{c.head->method, c.head->path, c.in.substr(c.head_len, c.head->content_length), c.head->org_signature, c.head->team},
          c.head->keep_alive};
  c.in.erase(0, c.head_len + c.head->content_length);
  c.head.reset();
  c.state = State::handling;
  {
    std::lock_guard lock(mu);
    jobs.push_back(std::move(job));
  }
  cv.notify_one();
}

void Server::Impl::on_writable(Conn& c) {
  while (c.out_pos < c.out.size()) {
    std::size_t put = 0;
    const auto r = c.s->write(c.out.data() + c.out_pos, c.out.size() - c.out_pos, put);
    if (r == http::Io::again) return;
    if (r != http::Io::ok) {
      c.close_after = true;
      c.out_pos = c.out.size();
      c.state = State::draining;
      c.deadline = Clock::now();  // closed by the deadline sweep
      return;
    }
    c.out_pos += put;
  }
}

void Server::Impl::after_write(std::uint64_t id, Conn& c) {
  c.out.clear();
  c.out_pos = 0;
  if (c.close_after) {
    // Half-close, then read and drop what the client still sends for a moment, so that it reads
    // our answer (a 413, say) instead of a reset.
    c.s->shutdown_write();
    c.state = State::draining;
    c.in.clear();
    c.deadline = Clock::now() + kDrainTime;
    return;
  }
  c.state = State::reading;
  c.deadline = Clock::now() + limits.request_deadline;
  parse(id, c);  // a pipelined request may be waiting in the buffer
}

void Server::Impl::take_done() {
  std::vector<Done> ready;
  {
    std::lock_guard lock(mu);
    ready.swap(done);
  }
  for (auto& d : ready) {
    auto it = conns.find(d.id);
    if (it == conns.end()) continue;  // the client went away meanwhile
    auto& c = it->second;
    c.out = std::move(d.bytes);
    c.out_pos = 0;
    c.close_after = !d.keep_alive;
    c.state = State::writing;
    c.deadline = Clock::now() + limits.write_deadline;
    on_writable(c);
    if (c.state == State::writing && c.out_pos == c.out.size()) after_write(d.id, c);
  }
}

void Server::Impl::loop() {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> ids;
  while (!stopping.load()) {
    fds.clear();
    ids.clear();
    fds.push_back({wake_fd, POLLIN, 0});
    fds.push_back({listen_fd, POLLIN, 0});
    auto next = Clock::now() + std::chrono::seconds(60);
    for (auto& [id, c] : conns) {
      short ev = 0;
      if (c.state == State::reading || c.state == State::draining) ev = POLLIN | (c.s->wants_write() ? POLLOUT : 0);
      else if (c.state == State::writing) ev = POLLOUT | (c.s->wants_read() ? POLLIN : 0);
      fds.push_back({c.s->fd(), ev, 0});
      ids.push_back(id);
      if (c.state != State::handling) next = std::min(next, c.deadline);
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait + 1, 0, 60'000)));
    if (n < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      std::uint64_t v = 0;
      (void)!::read(wake_fd, &v, sizeof v);
      take_done();
    }
    if (fds[1].revents & POLLIN) accept_some();
    const auto now = Clock::now();
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto it = conns.find(ids[i]);
      if (it == conns.end()) continue;
      auto& c = it->second;
      const auto re = fds[i + 2].revents;
      if (re & (POLLIN | POLLOUT | POLLHUP | POLLERR)) {
        if ((re & (POLLERR | POLLNVAL)) || (c.state == State::handling && (re & POLLHUP))) {
          close_conn(ids[i]);
          continue;
        }
        if (c.state == State::writing) {
          on_writable(c);
          if (c.state == State::writing && c.out_pos == c.out.size()) after_write(ids[i], c);
        } else if (c.state == State::reading || c.state == State::draining) {
          on_readable(ids[i], c);
          if (!conns.count(ids[i])) continue;
        }
      }
      // Past its deadline: a request too slow to arrive, an answer nobody reads, a drain done.
      if (c.state != State::handling && now >= c.deadline) close_conn(ids[i]);
    }
  }
}

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

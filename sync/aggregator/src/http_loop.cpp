// The aggregator HTTP server's poll loop and workers: one thread polls the listening socket and every
// connection, reads request heads and bodies into capped buffers, enforces the per-request deadline
// and the connection caps, and hands complete requests to a fixed worker pool that calls
// Aggregator::handle(). Why it is ours and not cpp-httplib's: see server.hpp and docs/sharing.md.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>

#include "http_server_impl.hpp"

namespace cairn::aggregator {

using namespace detail;

namespace {

std::string error_body(const std::string& why) { return nlohmann::json{{"error", why}}.dump(); }

std::string peer_address(const sockaddr_storage& ss) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(ss).sin_addr, buf, sizeof buf);
  else if (ss.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr, buf, sizeof buf);
  return buf;
}

}  // namespace

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
    if (fd < 0) {
      // Out of descriptors: leave the rest in the backlog for a moment instead of spinning.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
      return;
    }
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
    const bool accepting = Clock::now() >= accept_paused_until;
    fds.push_back({listen_fd, static_cast<short>(accepting ? POLLIN : 0), 0});
    auto next = accepting ? Clock::now() + std::chrono::seconds(60) : accept_paused_until;
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

}  // namespace cairn::aggregator

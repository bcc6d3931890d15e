// The clients' limits against a hostile server on loopback: the device's transport stops reading
// an answer at its size cap (before buffering the rest) and gives up at its overall deadline
// however slowly the server trickles bytes; the leader's link to the helper does the same (502).
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "cairn/wire/transport.hpp"
#include "http.hpp"
#include "process.hpp"
#include "raw_client.hpp"

using namespace cairn;

namespace {

// Accepts connections on 127.0.0.1 and answers each request with `head`, then `body_bytes` bytes
// of body, `step` bytes at a time with `pause_ms` between steps, until the client goes away.
class HostileServer {
 public:
  HostileServer(std::string head, std::size_t body_bytes, std::size_t step, int pause_ms)
      : head_(std::move(head)), body_(body_bytes), step_(step), pause_(pause_ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 8) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~HostileServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::size_t sent() const { return sent_; }

 private:
  void serve() {
    while (!stop_) {
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      // Short enough for reading a head without Content-Length; patient when sending, so that a
      // client slowed by a busy machine is not mistaken for one that went away.
      timeval rcv{0, 200'000}, snd{10, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &rcv, sizeof rcv);
      ::setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);
      (void)test::read_some(c, 4096);  // the request head (and a small body)
      bool ok = test::send_all(c, head_);
      const std::string piece(step_, 'x');
      for (std::size_t done = 0; ok && done < body_ && !stop_; done += step_) {
        ok = test::send_all(c, piece);
        if (ok) sent_ += step_;
        if (pause_) test::sleep_ms(pause_);
      }
      ::close(c);
    }
  }
  int fd_ = -1, port_ = 0;
  std::string head_;
  std::size_t body_, step_;
  int pause_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> sent_{0};
  std::thread thread_;
};

std::string head_with_length(std::size_t n) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n";
}

}  // namespace

TEST_CASE("device transport: an answer above the cap is refused while it is read") {
  constexpr std::size_t kHuge = 64u * 1024 * 1024;
  HostileServer s(head_with_length(kHuge), kHuge, 64 * 1024, 0);
  auto t = wire::http_transport();
  auto g = t->get(s.url(), "/v1/plans");
  REQUIRE(!g.ok());
  CHECK_MESSAGE(g.error().code == Errc::too_large, g.error().message);
  auto p = t->post(s.url(), "/v1/reports", "x", "application/octet-stream");
  REQUIRE(!p.ok());
  CHECK_MESSAGE(p.error().code == Errc::too_large, p.error().message);
  CHECK(s.sent() < kHuge);  // the client hung up long before the server was done
}

TEST_CASE("device transport: a server trickling its answer is cut at the overall deadline") {
  // One byte every 300 ms never trips the 20 s read timeout; the 1.5 s deadline ends it.
  HostileServer s(head_with_length(1000), 1000, 1, 300);
  auto t = wire::http_transport({wire::kMaxResponseBytes, std::chrono::milliseconds(1500)});
  const auto t0 = std::chrono::steady_clock::now();
  auto g = t->get(s.url(), "/v1/info");
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE(!g.ok());
  CHECK(g.error().code == Errc::network);
  CHECK(g.error().message.find("did not answer within") != std::string::npos);
  CHECK(took >= std::chrono::milliseconds(1400));
  CHECK(took < std::chrono::milliseconds(4000));
}

TEST_CASE("leader -> helper link: an oversized answer is a 502, not a buffered 64 MiB") {
  constexpr std::size_t kHuge = 64u * 1024 * 1024;
  HostileServer s(head_with_length(kHuge), kHuge, 64 * 1024, 0);
  auto link = aggregator::http_helper_link(s.url());
  auto r = link->post("/v1/helper/reports", "x", "sig");
  CHECK(r.status == 502);
  CHECK_MESSAGE(r.body.find("more than 16 MiB") != std::string::npos, r.body);
}

// The aggregator HTTP server's private state (see server.hpp): the connections the poll loop owns,
// the queue of complete requests the workers take, and the answers they hand back. Split from the
// loop (http_loop.cpp) and the socket setup (http_server.cpp) only to keep the files small.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cairn/aggregator/server.hpp"
#include "http_parse.hpp"
#include "http_stream.hpp"

namespace cairn::aggregator {
namespace detail {

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
}  // namespace detail

struct Server::Impl {
  Aggregator* agg = nullptr;
  ServerLimits limits;
  std::optional<TlsFiles> tls_files;
  std::unique_ptr<http::TlsContext> tls;
  int listen_fd = -1, wake_fd = -1;
  std::atomic<bool> stopping{false};

  std::unordered_map<std::uint64_t, detail::Conn> conns;
  std::unordered_map<std::string, std::size_t> per_address;
  std::uint64_t next_id = 1;
  detail::Clock::time_point accept_paused_until{};

  std::mutex mu;
  std::condition_variable cv;
  std::deque<detail::Job> jobs;
  std::vector<detail::Done> done;
  bool workers_stop = false;

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd, &one, sizeof one);
  }
  void worker();
  void accept_some();
  void close_conn(std::uint64_t id);
  void answer(detail::Conn& c, int status, const std::string& why, bool keep_alive);
  void on_readable(std::uint64_t id, detail::Conn& c);
  void parse(std::uint64_t id, detail::Conn& c);
  void on_writable(detail::Conn& c);
  void after_write(std::uint64_t id, detail::Conn& c);
  void take_done();
  void loop();
};


}  // namespace cairn::aggregator

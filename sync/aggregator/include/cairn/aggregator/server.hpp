// The aggregator's HTTP server (cpp-httplib): adapts requests to Aggregator::handle(), enforces
// the body size limit before reading a body (413), and stops cleanly on request.
//
// Thread safety: serve() blocks and runs handlers on the library's thread pool; stop() may be
// called from any thread (a signal handler should only set a flag that a thread turns into stop()).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cairn/aggregator/aggregator.hpp"

namespace cairn::aggregator {

class Server {
 public:
  explicit Server(Aggregator& aggregator);
  ~Server();
  // Binds host:port (port 0 picks a free one) and returns the bound port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(). REQUIRES bind() succeeded.
  Status run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::aggregator

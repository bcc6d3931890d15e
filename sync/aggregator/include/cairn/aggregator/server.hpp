// The aggregator's HTTP server (cpp-httplib, over TLS when given a certificate and key): adapts
// requests to Aggregator::handle(), enforces the body size limit before reading a body (413), and
// stops cleanly on request.
//
// Thread safety: serve() blocks and runs handlers on the library's thread pool; stop() may be
// called from any thread (a signal handler should only set a flag that a thread turns into stop()).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cairn/aggregator/aggregator.hpp"

namespace cairn::aggregator {

// PEM files for HTTPS: the certificate (chain) and its private key.
struct TlsFiles {
  std::filesystem::path cert, key;
};

class Server {
 public:
  // Plain HTTP without tls; HTTPS (OpenSSL through cpp-httplib) with it.
  explicit Server(Aggregator& aggregator, const std::optional<TlsFiles>& tls = std::nullopt);
  ~Server();
  // Binds host:port (port 0 picks a free one) and returns the bound port. Errc::usage when the TLS
  // certificate or key could not be loaded.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(). REQUIRES bind() succeeded.
  Status run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::aggregator

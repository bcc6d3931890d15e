// The aggregator's HTTP/1.1 server (its own, over poll(); TLS through OpenSSL when given a
// certificate and key): adapts requests to Aggregator::handle() and holds every client to the same
// limits, so that no client can take memory or workers from the others:
// - a body is read only after its Content-Length is known to be within kMaxBodyBytes (413);
//   chunked bodies are refused (411); a request head above 16 KiB gets 431;
// - each request (TLS handshake, head and body) must arrive within request_deadline of the
//   connection becoming ready, or the connection is closed; an idle keep-alive connection too;
// - connections are capped per client address and in total; over the cap a new one is closed;
// - slow or idle connections cost a socket and a small buffer, never a thread: one thread polls
//   every socket and a fixed pool of workers runs only complete requests.
// Why not cpp-httplib's server (Debian's 0.11): it applies its payload limit only to
// Content-Length bodies (a chunked upload is buffered whole), has no overall deadline per request
// (only a per-read timeout, which a client sending a byte every few seconds never trips) and holds
// a pool thread per connection, so slow clients starve the rest. See docs/sharing.md, "HTTP limits".
//
// Thread safety: run() blocks and runs handlers on the server's worker pool; stop() may be
// called from any thread (a signal handler should only set a flag that a thread turns into stop()).
#pragma once

#include <chrono>
#include <cstddef>
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

// The limits every client is held to. The defaults suit a production aggregator; tests shrink them.
struct ServerLimits {
  // From a connection becoming ready (accepted, or its previous response sent) to its next request
  // being complete, TLS handshake, head and body included.
  std::chrono::milliseconds request_deadline{10'000};
  // To send one response (a client that does not read is cut).
  std::chrono::milliseconds write_deadline{10'000};
  std::size_t max_connections = 4096;  // in total (further capped by the open-file limit)
  std::size_t max_per_address = 256;   // from one client IP address (a NAT may hide many devices)
  int workers = 32;                    // threads running complete requests
};

class Server {
 public:
  // Plain HTTP without tls; HTTPS (OpenSSL) with it.
  explicit Server(Aggregator& aggregator, const std::optional<TlsFiles>& tls = std::nullopt, const ServerLimits& limits = {});
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

// How a device talks to the aggregators: two calls, behind an interface so tests can cut the
// network or answer in-process. The HTTP one (cpp-httplib) has short timeouts, an overall
// deadline per call (kCallDeadline) and a response size limit checked while the response is read;
// it never follows redirects.
//
// Thread safety: a Transport is used by one thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "cairn/base/result.hpp"

namespace cairn::wire {

inline constexpr std::size_t kMaxResponseBytes = 4 * 1024 * 1024;
// The longest one call may take, connect to last byte, however slowly the peer trickles bytes.
inline constexpr std::chrono::seconds kCallDeadline{30};

// Runs on_expire (once, on its own thread) unless destroyed within `limit`: how an HTTP call gets
// an overall deadline when the client library only has per-read timeouts (on_expire stops the
// client, which fails the call). The leader's link to the helper uses it too.
class CallDeadline {
 public:
  CallDeadline(std::chrono::milliseconds limit, std::function<void()> on_expire);
  ~CallDeadline();
  CallDeadline(const CallDeadline&) = delete;
  CallDeadline& operator=(const CallDeadline&) = delete;
  bool expired() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Errc::network when the peer cannot be reached; any HTTP status is a reply.
  virtual Result<HttpReply> get(const std::string& base_url, const std::string& path) = 0;
  virtual Result<HttpReply> post(const std::string& base_url, const std::string& path, const std::string& body,
                                 const std::string& content_type) = 0;
};

// What one HTTP call may cost the device; tests shrink the deadline.
struct TransportLimits {
  std::size_t max_response = kMaxResponseBytes;
  std::chrono::milliseconds deadline = kCallDeadline;
};

std::unique_ptr<Transport> http_transport(const TransportLimits& limits = {});

// The PEM bundle every Cairn HTTPS client trusts instead of the system's CAs (a private CA): the
// file named by CAIRN_TLS_CA_FILE, or nullptr to use the system's. Used by the device's transport
// and the leader's link to the helper, so both follow one rule.
const char* tls_ca_file();

// The "error" field of an aggregator's JSON reply, or a short excerpt of the body.
std::string reply_error(const HttpReply& r);

}  // namespace cairn::wire

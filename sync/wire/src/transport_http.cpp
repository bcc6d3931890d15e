// The device's HTTP transport over cpp-httplib: see transport.hpp. Each call has an overall
// deadline (the client is stopped from a watchdog thread) and reads the response through a
// receiver that refuses more than kMaxResponseBytes. https:// URLs are verified
// against the system's CAs, or the PEM bundle named by CAIRN_TLS_CA_FILE (a private CA), including
// the host name; there is no way to turn verification off.
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "cairn/base/json.hpp"
#include "cairn/wire/transport.hpp"

namespace cairn::wire {
namespace {

class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(const TransportLimits& limits) : limits_(limits) {}
  Result<HttpReply> get(const std::string& base, const std::string& path) override {
    httplib::Request req;
    req.method = "GET";
    req.path = path;
    return call(base, req);
  }
  Result<HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                         const std::string& type) override {
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body;
    req.set_header("Content-Type", type);
    return call(base, req);
  }

 private:
  // One call under the overall deadline, the response body read through a receiver that stops at
  // kMaxResponseBytes (nothing past the limit is buffered).
  Result<HttpReply> call(const std::string& base, httplib::Request& req) const {
    httplib::Client c(base);
    if (const char* ca = tls_ca_file()) c.set_ca_cert_path(ca);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    c.set_write_timeout(20);
    c.set_follow_location(false);
    c.set_tcp_nodelay(true);
    std::string body;
    bool too_big = false;
    req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
      if (body.size() + n > limits_.max_response) {
        too_big = true;
        return false;
      }
      body.append(data, n);
      return true;
    };
    httplib::Response res;
    auto err = httplib::Error::Success;
    bool ok = false;
    bool late = false;
    {
      CallDeadline deadline(limits_.deadline, [&c] { c.stop(); });
      ok = c.send(req, res, err);
      late = deadline.expired();
    }
    if (too_big)
      return make_error(Errc::too_large, base + " answered with more than " + std::to_string(limits_.max_response / 1024) + " KiB");
    if (late) return make_error(Errc::network, base + " did not answer within " + std::to_string(limits_.deadline.count()) + " ms");
    if (!ok) return make_error(Errc::network, "cannot reach " + base + " (" + httplib::to_string(err) + ")");
    return HttpReply{res.status, std::move(body)};
  }
  TransportLimits limits_;
};

}  // namespace

std::unique_ptr<Transport> http_transport(const TransportLimits& limits) { return std::make_unique<HttpTransport>(limits); }

struct CallDeadline::State {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::atomic<bool> expired{false};
  std::thread thread;
};

CallDeadline::CallDeadline(std::chrono::milliseconds limit, std::function<void()> on_expire) : s_(std::make_unique<State>()) {
  s_->thread = std::thread([s = s_.get(), limit, f = std::move(on_expire)] {
    std::unique_lock lock(s->mu);
    if (s->cv.wait_for(lock, limit, [s] { return s->done; })) return;
    s->expired = true;
    lock.unlock();
    f();
  });
}

CallDeadline::~CallDeadline() {
  {
    std::lock_guard lock(s_->mu);
    s_->done = true;
  }
  s_->cv.notify_one();
  s_->thread.join();
}

bool CallDeadline::expired() const { return s_->expired.load(); }

const char* tls_ca_file() {
  const char* ca = std::getenv("CAIRN_TLS_CA_FILE");
  return ca && *ca ? ca : nullptr;
}

std::string reply_error(const HttpReply& r) {
  // {"error": "..."} from our aggregators; anything else is shown as its first line.
  if (auto j = json::parse_object(r.body, "reply"); j.ok())
    if (auto e = json::get_str(*j, "error", "reply", std::string::npos); e.ok()) return e->substr(0, 300);
  std::string s = r.body.substr(0, 120);
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace cairn::wire

// The device's HTTP transport over cpp-httplib: see transport.hpp. https:// URLs are verified
// against the system's CAs, or the PEM bundle named by CAIRN_TLS_CA_FILE (a private CA), including
// the host name; there is no way to turn verification off.
#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cairn/wire/transport.hpp"

namespace cairn::wire {
namespace {

class HttpTransport final : public Transport {
 public:
  Result<HttpReply> get(const std::string& base, const std::string& path) override {
    auto c = client(base);
    std::string body;
    bool too_big = false;
    auto res = c.Get(path, [&](const char* data, std::size_t n) {
      if (body.size() + n > kMaxResponseBytes) {
        too_big = true;
        return false;
      }
      body.append(data, n);
      return true;
    });
    if (too_big) return make_error(Errc::too_large, base + " answered with more than 4 MiB");
    if (!res) return make_error(Errc::network, "cannot reach " + base + " (" + httplib::to_string(res.error()) + ")");
    return HttpReply{res->status, body};
  }
  Result<HttpReply> post(const std::string& base, const std::string& path, const std::string& body,
                         const std::string& type) override {
    auto c = client(base);
    auto res = c.Post(path, body, type);
    if (!res) return make_error(Errc::network, "cannot reach " + base + " (" + httplib::to_string(res.error()) + ")");
    if (res->body.size() > kMaxResponseBytes) return make_error(Errc::too_large, base + " answered with more than 4 MiB");
    return HttpReply{res->status, res->body};
  }

 private:
  static httplib::Client client(const std::string& base) {
    httplib::Client c(base);
    if (const char* ca = tls_ca_file()) c.set_ca_cert_path(ca);
    c.set_connection_timeout(5);
    c.set_read_timeout(20);
    c.set_write_timeout(20);
    c.set_follow_location(false);
    c.set_tcp_nodelay(true);
    return c;
  }
};

}  // namespace

std::unique_ptr<Transport> http_transport() { return std::make_unique<HttpTransport>(); }

const char* tls_ca_file() {
  const char* ca = std::getenv("CAIRN_TLS_CA_FILE");
  return ca && *ca ? ca : nullptr;
}

std::string reply_error(const HttpReply& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>().substr(0, 300);
  std::string s = r.body.substr(0, 120);
  for (auto& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace cairn::wire

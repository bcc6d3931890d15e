// HTTP for the aggregator: the server adapter (HTTP or HTTPS) and the leader's link to the
// helper. An https:// helper URL is verified, host name included, against the CAs that
// wire::tls_ca_file() names, as the device's transport does.
#include "http.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <mutex>
#include <vector>

#include "cairn/aggregator/server.hpp"
#include "cairn/wire/transport.hpp"

namespace cairn::aggregator {
namespace {

constexpr std::size_t kServerThreads = 96;

class HttpHelperLink final : public HelperLink {
 public:
  explicit HttpHelperLink(std::string url) : url_(std::move(url)) {}
  Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    auto client = take();
    httplib::Headers headers{{kOrgSignatureHeader, sig}};
    auto res = client->Post(path, headers, body, "application/octet-stream");
    Response out;
    if (!res) {
      out.status = 502;
      out.body = nlohmann::json{{"error", "the helper could not be reached (" + httplib::to_string(res.error()) + ")"}}.dump();
      return out;  // a failed client is dropped, not returned to the pool
    }
    out.status = res->status;
    out.body = res->body;
    give_back(std::move(client));
    return out;
  }

 private:
  std::unique_ptr<httplib::Client> take() {
    {
      std::lock_guard lock(mu_);
      if (!pool_.empty()) {
        auto c = std::move(pool_.back());
        pool_.pop_back();
        return c;
      }
    }
    auto c = std::make_unique<httplib::Client>(url_);
    if (const char* ca = wire::tls_ca_file()) c->set_ca_cert_path(ca);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_connection_timeout(5);
    c->set_read_timeout(30);
    c->set_write_timeout(30);
    return c;
  }
  void give_back(std::unique_ptr<httplib::Client> c) {
    std::lock_guard lock(mu_);
    if (pool_.size() < 64) pool_.push_back(std::move(c));
  }
  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::Client>> pool_;
};

}  // namespace

std::unique_ptr<HelperLink> http_helper_link(const std::string& url) { return std::make_unique<HttpHelperLink>(url); }

struct Server::Impl {
  Aggregator* agg;
  std::unique_ptr<httplib::Server> http;  // an httplib::SSLServer with TLS
  std::optional<TlsFiles> tls;
};

Server::Server(Aggregator& aggregator, const std::optional<TlsFiles>& tls) : impl_(std::make_unique<Impl>()) {
  impl_->agg = &aggregator;
  impl_->tls = tls;
  if (tls) impl_->http = std::make_unique<httplib::SSLServer>(tls->cert.c_str(), tls->key.c_str());
  else impl_->http = std::make_unique<httplib::Server>();
  auto& s = *impl_->http;
  // httplib answers 413 itself, without reading the body, when Content-Length is above this.
  s.set_payload_max_length(kMaxBodyBytes);
  s.set_read_timeout(10);
  s.set_write_timeout(10);
  s.set_keep_alive_max_count(1000);
  // A keep-alive connection holds its worker thread until it closes, so the pool must be larger
  // than the number of concurrent clients (devices, and the leader's pooled links to the helper);
  // httplib's default (8 on a small machine) starves them. Idle connections are cut after 2 s.
  s.set_keep_alive_timeout(2);
  // Small request/response pairs: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per hop.
  s.set_tcp_nodelay(true);
  s.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    Request r;
    r.method = req.method;
    r.path = req.path;
    r.body = req.body;
    r.org_signature = req.get_header_value(kOrgSignatureHeader);
    r.team = req.get_param_value("team");
    auto out = impl_->agg->handle(r);
    res.status = out.status;
    res.set_content(out.body, "application/json");
  };
  for (const char* p : {"/v1/enroll", "/v1/reports", "/v1/helper/plans", "/v1/helper/reports", "/v1/helper/close",
                        "/v1/helper/aggregate"})
    s.Post(p, handler);
  s.Get("/v1/plans", handler);
  s.Get("/v1/info", handler);
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const char* what = res.status == 413 ? "request body larger than 128 KiB" : res.status == 404 ? "no such endpoint" : "bad request";
      res.set_content(std::string(R"({"error":")") + what + "\"}", "application/json");
    }
  });
}

Server::~Server() { stop(); }

Result<int> Server::bind(const std::string& host, int port) {
  if (!impl_->http->is_valid())
    return make_error(Errc::usage, "cannot load the TLS certificate " + impl_->tls->cert.string() + " or its key " +
                                       impl_->tls->key.string() + " (PEM files, the key matching the certificate)");
  auto& http = *impl_->http;
  int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return make_error(Errc::io, "cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

Status Server::run() {
  if (!impl_->http->listen_after_bind()) return make_error(Errc::io, "the HTTP server stopped with an error");
  return {};
}

void Server::stop() { impl_->http->stop(); }

}  // namespace cairn::aggregator

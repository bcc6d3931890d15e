// The leader's HTTP(S) link to the helper (cpp-httplib client; the server is http_server.cpp). An
// https:// helper URL is verified, host name included, against the CAs that wire::tls_ca_file()
// names, as the device's transport does; like it, the link reads answers through a size-capped
// receiver under an overall deadline per call.
#include "http.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "cairn/wire/transport.hpp"

namespace cairn::aggregator {
namespace {

// The helper's answers are small JSON documents; anything near this is an attack or a bug.
constexpr std::size_t kMaxHelperResponseBytes = 16 * 1024 * 1024;
// A call may take this long in all (a release makes the helper aggregate a whole period).
constexpr std::chrono::seconds kHelperCallDeadline{120};

class HttpHelperLink final : public HelperLink {
 public:
  explicit HttpHelperLink(std::string url) : url_(std::move(url)) {}
  Response post(const std::string& path, const std::string& body, const std::string& sig) override {
    auto client = take();
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body;
    req.set_header("Content-Type", "application/octet-stream");
    req.set_header(kOrgSignatureHeader, sig);
    // The helper's answer is read through a capped receiver, under an overall deadline.
    std::string answer;
    bool too_big = false;
    req.content_receiver = [&](const char* data, std::size_t n, std::uint64_t, std::uint64_t) {
      if (answer.size() + n > kMaxHelperResponseBytes) {
        too_big = true;
        return false;
      }
      answer.append(data, n);
      return true;
    };
    httplib::Response res;
    auto err = httplib::Error::Success;
    bool ok = false, late = false;
    {
      wire::CallDeadline deadline(kHelperCallDeadline, [&client] { client->stop(); });
      ok = client->send(req, res, err);
      late = deadline.expired();
    }
    Response out;
    if (!ok || too_big || late) {
      out.status = 502;
      const std::string why = too_big ? "answered with more than 16 MiB"
                              : late  ? "did not answer within " + std::to_string(kHelperCallDeadline.count()) + " s"
                                      : "could not be reached (" + httplib::to_string(err) + ")";
      out.body = nlohmann::json{{"error", "the helper " + why}}.dump();
      return out;  // a failed client is dropped, not returned to the pool
    }
    out.status = res.status;
    out.body = std::move(answer);
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

}  // namespace cairn::aggregator

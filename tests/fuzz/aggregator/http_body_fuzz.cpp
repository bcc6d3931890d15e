// Fuzz target: every body an aggregator accepts, through the same Aggregator::handle the HTTP
// server calls, on a real leader and helper (state in a scratch directory). The first input byte
// picks the endpoint. Nothing may crash, a request that fails must leave the state unchanged, and
// every line of serve's event log (Aggregator::set_log, written to the operator's terminal) is
// already safe to show: no control, bidirectional-override or invalid UTF-8 bytes from the body.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/base/text.hpp"
#include "cairn/crypto/sodium.hpp"

namespace {
struct World {
  std::unique_ptr<cairn::aggregator::Aggregator> leader, helper;
  World() {
    if (!cairn::crypto::init().ok()) std::abort();
    auto dir = std::filesystem::path(CAIRN_BINARY_DIR) / "fuzz-tmp" / ("http_body_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    using cairn::aggregator::Aggregator;
    using cairn::aggregator::Role;
    if (!Aggregator::init(dir / "l", {Role::leader, "Fuzz", "", "http://127.0.0.1:1"}, 0).ok()) std::abort();
    leader = Aggregator::open(dir / "l").value();
    auto org = cairn::crypto::to_base64(leader->info().value().org_key);
    if (!Aggregator::init(dir / "h", {Role::helper, "", org, "http://127.0.0.1:2"}, 0).ok()) std::abort();
    helper = Aggregator::open(dir / "h").value();
    auto check = [](const std::string& line) {
      if (!cairn::is_safe_outside_text(line)) std::abort();
    };
    leader->set_log(check);
    helper->set_log(check);
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;
  if (size == 0) return 0;
  static const char* paths[] = {"/v1/enroll", "/v1/reports", "/v1/helper/plans", "/v1/helper/reports", "/v1/helper/aggregate", "/v1/helper/close"};
  const auto which = data[0] % 6;
  auto& target = which < 2 ? *w.leader : *w.helper;
  cairn::aggregator::Request r{"POST", paths[which], std::string(reinterpret_cast<const char*>(data + 1), size - 1), "", ""};
  const auto before = target.state_digest().value();
  auto resp = target.handle(r);
  if (resp.status >= 400 && target.state_digest().value() != before) std::abort();
  return 0;
}

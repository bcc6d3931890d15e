// The leader -> helper batch framing; see forward_batch.hpp.
#include "forward_batch.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>  // writing the verdicts; reading goes through cairn/base/json.hpp

#include "cairn/base/json.hpp"

#include "cairn/crypto/sodium.hpp"

namespace cairn::aggregator {
namespace {

constexpr std::string_view kMagic = "cairn-fwd-v2\n";
constexpr std::size_t kMacBytes = crypto::kHashBytes;
static_assert(kMagic.size() + kMacBytes + 4 == kForwardHeaderBytes);

// The MAC over the magic and everything after the MAC field.
crypto::Hash forward_mac(const crypto::SecretBytes& key, std::string_view rest) {
  std::string msg;
  msg.reserve(kMagic.size() + rest.size());
  msg.append(kMagic).append(rest);
  return crypto::generichash_keyed(key, crypto::as_bytes(msg));
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
bool get_u32(std::string_view& in, std::uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(in[static_cast<std::size_t>(i)])} << (8 * i);
  in.remove_prefix(4);
  return true;
}

}  // namespace

std::string encode_forward(const std::vector<ForwardItem>& items, const crypto::SecretBytes& link_key) {
  std::size_t size = kForwardHeaderBytes - kMagic.size() - kMacBytes;
  for (const auto& e : items) size += kForwardItemOverhead + e.envelope.size() + e.prep_share.size();
  std::string rest;
  rest.reserve(size);
  put_u32(rest, static_cast<std::uint32_t>(items.size()));
  for (const auto& e : items) {
    put_u32(rest, static_cast<std::uint32_t>(e.envelope.size()));
    rest.append(e.envelope);
    put_u32(rest, static_cast<std::uint32_t>(e.prep_share.size()));
    rest.append(e.prep_share);
  }
  const auto mac = forward_mac(link_key, rest);
  std::string out;
  out.reserve(kMagic.size() + kMacBytes + rest.size());
  out.append(kMagic).append(reinterpret_cast<const char*>(mac.data()), mac.size()).append(rest);
  return out;
}

Result<std::vector<ForwardItem>> decode_forward(std::string_view body, const crypto::SecretBytes& link_key) {
  auto bad = [](const char* why) { return make_error(Errc::corrupt, std::string("forwarded batch: ") + why); };
  if (body.size() < kMagic.size() + kMacBytes || body.substr(0, kMagic.size()) != kMagic)
    return make_error(Errc::wrong_secret, "forwarded batch is not authenticated by the leader");
  const auto mac = forward_mac(link_key, body.substr(kMagic.size() + kMacBytes));
  if (!crypto::equal_ct(mac, crypto::as_bytes(body.substr(kMagic.size(), kMacBytes))))
    return make_error(Errc::wrong_secret, "forwarded batch is not authenticated by the leader");
  body.remove_prefix(kMagic.size() + kMacBytes);
  std::uint32_t count = 0;
  if (!get_u32(body, count)) return bad("truncated count");
  if (count == 0 || count > kMaxForwardReports) return bad("report count out of range");
  std::vector<ForwardItem> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t n = 0, m = 0;
    if (!get_u32(body, n) || n > body.size()) return bad("truncated report");
    ForwardItem item;
    item.envelope = body.substr(0, n);
    body.remove_prefix(n);
    if (!get_u32(body, m) || m > body.size() || m > kMaxPrepShareBytes) return bad("truncated prep share");
    item.prep_share = body.substr(0, m);
    body.remove_prefix(m);
    out.push_back(item);
  }
  if (!body.empty()) return bad("trailing bytes after the last report");
  return out;
}

std::string encode_verdicts(const std::vector<Verdict>& verdicts) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& v : verdicts) {
    if (v.status == 0) results.push_back({{"status", v.held ? 200 : 201}, {"prep", crypto::to_base64(v.prep)}});
    else results.push_back({{"status", v.status}, {"error", v.message}});
  }
  return nlohmann::json{{"results", results}}.dump();
}

Result<std::vector<Verdict>> decode_verdicts(std::string_view body, std::size_t expected) {
  constexpr const char* kWhat = "the helper's answer to a forwarded batch";
  const auto malformed = [] { return make_error(Errc::network, "the helper's answer to a forwarded batch is malformed"); };
  auto j = json::parse_object(body, kWhat);
  if (!j.ok()) return malformed();
  auto results = json::get_array(*j, "results", kWhat);
  if (!results.ok() || (*results)->size() != expected) return malformed();
  std::vector<Verdict> out;
  out.reserve(expected);
  for (const auto& r : **results) {
    auto status = json::get_int(r, "status", kWhat);
    if (!status.ok()) return malformed();
    if (*status == 201 || *status == 200) {
      auto prep_b64 = json::get_str(r, "prep", kWhat, std::string::npos);
      auto prep = prep_b64.ok() ? crypto::from_base64(*prep_b64) : Result<crypto::Bytes>(prep_b64.error());
      if (!prep.ok()) return make_error(Errc::network, "the helper accepted a report without a prep message");
      Verdict v;
      v.held = *status == 200;
      v.prep = std::move(*prep);
      out.push_back(std::move(v));
      continue;
    }
    if (*status < 400 || *status > 599) return make_error(Errc::network, "the helper answered a report with an unexpected status");
    auto msg = json::get_str(r, "error", kWhat, std::string::npos);
    out.push_back({static_cast<int>(*status), msg.ok() ? std::move(*msg) : "refused"});
  }
  return out;
}

}  // namespace cairn::aggregator

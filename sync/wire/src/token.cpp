// Enrollment tokens and requests: see plan.hpp and docs/formats.md.
#include <cstring>

#include "cairn/wire/plan.hpp"
#include "cairn/base/json.hpp"
#include "cairn/wire/json_key.hpp"

namespace cairn::wire {
namespace {

using json::Json;
constexpr std::string_view kTokenPrefix = "cairn-enroll-1.";
constexpr std::string_view kEnrollDomain = "cairn-enroll-v1\n";

Json endpoint_json(const Endpoint& e) { return Json{{"url", e.url}, {"box_key", crypto::to_base64(e.box_key)}}; }
Result<Endpoint> endpoint_from(const Json& j, const char* key, const char* what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return make_error(Errc::corrupt, std::string(what) + ": field '" + key + "' is missing");
  Endpoint e;
  e.url = CAIRN_TRY(json::get_str(*it, "url", what, 512));
  if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0)
    return make_error(Errc::corrupt, std::string(what) + ": url is not http(s)");
  e.box_key = CAIRN_TRY(json_key<crypto::kBoxPublicKeyBytes>(*it, "box_key", what));
  return e;
}

std::vector<std::uint8_t> enroll_message(const TokenSecret& s, const crypto::SignPublicKey& device, const std::string& team) {
  std::vector<std::uint8_t> m(kEnrollDomain.begin(), kEnrollDomain.end());
  m.insert(m.end(), s.begin(), s.end());
  m.insert(m.end(), device.begin(), device.end());
  m.insert(m.end(), team.begin(), team.end());
  return m;
}

}  // namespace

std::string encode_token(const EnrollToken& t) {
  Json j{{"org", t.org},       {"team", t.team},    {"org_key", crypto::to_base64(t.org_key)},
         {"leader", endpoint_json(t.leader)}, {"helper", endpoint_json(t.helper)},
         {"secret", crypto::to_base64(t.secret)}};
  const auto body = j.dump();
  return std::string(kTokenPrefix) + crypto::to_base64(crypto::as_bytes(body));
}

Result<EnrollToken> parse_token(std::string_view text) {
  constexpr const char* what = "enrollment token";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > kMaxTokenBytes) return make_error(Errc::too_large, "enrollment token: longer than 4096 characters");
  if (text.substr(0, kTokenPrefix.size()) != kTokenPrefix)
    return make_error(Errc::corrupt, "enrollment token: does not start with cairn-enroll-1. (copy the whole token)");
  auto raw = crypto::from_base64(text.substr(kTokenPrefix.size()));
  if (!raw.ok()) return make_error(Errc::corrupt, "enrollment token: damaged (not base64); copy the whole token");
  std::string body(raw->begin(), raw->end());
  auto j = CAIRN_TRY(json::parse_object(body, what));
  EnrollToken t;
  t.org = CAIRN_TRY(json::get_str(j, "org", what, 200));
  t.team = CAIRN_TRY(json::get_str(j, "team", what, 200));
  if (t.team.empty()) return make_error(Errc::corrupt, "enrollment token: empty team");
  t.org_key = CAIRN_TRY(json_key<crypto::kSignPublicKeyBytes>(j, "org_key", what));
  t.leader = CAIRN_TRY(endpoint_from(j, "leader", what));
  t.helper = CAIRN_TRY(endpoint_from(j, "helper", what));
  t.secret = CAIRN_TRY(json_key<kTokenSecretBytes>(j, "secret", what));
  return t;
}

std::string token_hash(const TokenSecret& secret) {
  std::vector<std::uint8_t> m{'c', 'a', 'i', 'r', 'n', '-', 't', 'o', 'k', 'e', 'n', '-', 'v', '1'};
  m.insert(m.end(), secret.begin(), secret.end());
  return crypto::to_hex(crypto::generichash(m));
}

EnrollRequest make_enroll(const TokenSecret& secret, const std::string& team, const crypto::SignKeyPair& device) {
  EnrollRequest r;
  r.secret = secret;
  r.team = team;
  r.device_key = device.public_key;
  r.sig = crypto::sign_detached(device, enroll_message(secret, device.public_key, team));
  return r;
}

std::string encode_enroll(const EnrollRequest& r) {
  return Json{{"v", 1},
              {"secret", crypto::to_base64(r.secret)},
              {"team", r.team},
              {"device_key", crypto::to_base64(r.device_key)},
              {"sig", crypto::to_base64(r.sig)}}
      .dump();
}

Result<EnrollRequest> parse_enroll(std::string_view body) {
  constexpr const char* what = "enrollment";
  if (body.size() > kMaxEnrollBytes) return make_error(Errc::too_large, "enrollment: larger than 4096 bytes");
  auto j = CAIRN_TRY(json::parse_object(body, what));
  if (CAIRN_TRY(json::get_uint(j, "v", what)) != 1) return make_error(Errc::corrupt, "enrollment: version is not 1");
  EnrollRequest r;
  r.secret = CAIRN_TRY(json_key<kTokenSecretBytes>(j, "secret", what));
  r.team = CAIRN_TRY(json::get_str(j, "team", what, 200));
  r.device_key = CAIRN_TRY(json_key<crypto::kSignPublicKeyBytes>(j, "device_key", what));
  r.sig = CAIRN_TRY(json_key<crypto::kSignatureBytes>(j, "sig", what));
  if (!crypto::verify_detached(r.device_key, enroll_message(r.secret, r.device_key, r.team), r.sig).ok())
    return make_error(Errc::corrupt, "enrollment: the device signature does not verify");
  return r;
}

}  // namespace cairn::wire

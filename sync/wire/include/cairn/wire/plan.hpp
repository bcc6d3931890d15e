// Collection plans and enrollment tokens (docs/formats.md, "Collection plan", "Enrollment token",
// "Enrollment request"). A plan is JSON signed by the organization's Ed25519 key:
//
//   {"cairn_plan":2,"body":"<plan JSON as a string>","sig":"<base64url signature>"}
//
// The signature covers "cairn-plan-v1\n" followed by the exact body bytes, so nobody needs to
// canonicalise JSON. parse_signed_plan() checks the signature under the org key named inside the
// body; the caller must also compare that key with the one it pinned at enrollment. Version 2
// carries, per metric, the discrete Gaussian variance sigma2 that EACH aggregator adds (one layer;
// plan_check.hpp recomputes it); version 1 plans (device noise mu, helper_sigma2) are refused.
//
// Thread safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::wire {

inline constexpr int kPlanVersion = 2;
inline constexpr std::size_t kMaxPlanBytes = 64 * 1024;
inline constexpr std::size_t kMaxPlanMetrics = 32;
inline constexpr std::size_t kMaxTokenBytes = 4096;
inline constexpr std::size_t kMaxEnrollBytes = 4096;

struct Endpoint {
  std::string url;  // "http://127.0.0.1:8443" or https://...
  crypto::BoxPublicKey box_key{};
};

struct PlanMetric {
  std::string name;            // a catalog metric
  std::uint32_t coordinates = 1;
  std::int64_t scale = 1;      // integer units per unit (copied from the catalog; checked by devices)
  dp::Rational sigma2;         // discrete Gaussian variance per coordinate that EACH aggregator
                               // adds to its aggregate share (one layer), encoded units^2
};

struct Plan {
  std::string id;       // [A-Za-z0-9._-], 1..64 chars
  std::string org;
  std::string team;
  std::string purpose;  // plain words
  std::string cadence;  // "week" | "month" | "quarter"
  std::uint32_t k = 10;  // the smallest group released (not a privacy parameter: the noise is the aggregators')
  dp::Budget budget;
  std::vector<PlanMetric> metrics;
  Endpoint leader, helper;
  crypto::SignPublicKey org_key{};
  std::int64_t created = 0;
  std::uint32_t coordinates() const;  // sum over metrics
};

struct SignedPlan {
  Plan plan;
  std::string text;  // the exact signed JSON document
};

std::string plan_body(const Plan& p);
SignedPlan sign_plan(const Plan& p, const crypto::SignKeyPair& org);
// Size limit, syntax, field ranges and the signature. Errc::corrupt / too_large, one line.
Result<SignedPlan> parse_signed_plan(std::string_view text);
bool valid_plan_id(std::string_view id);

// --- enrollment ------------------------------------------------------------------------------
inline constexpr std::size_t kTokenSecretBytes = 32;
using TokenSecret = std::array<std::uint8_t, kTokenSecretBytes>;

struct EnrollToken {
  std::string org, team;
  crypto::SignPublicKey org_key{};
  Endpoint leader, helper;
  TokenSecret secret{};
};
// "cairn-enroll-1." + base64url(JSON).
std::string encode_token(const EnrollToken& t);
Result<EnrollToken> parse_token(std::string_view text);
// What aggregators store instead of the secret: BLAKE2b-256("cairn-token-v1" || secret), hex.
std::string token_hash(const TokenSecret& secret);

// The body a device POSTs to /v1/enroll on both aggregators: it proves possession of the device key
// and spends the one-time token.
struct EnrollRequest {
  TokenSecret secret{};
  std::string team;
  crypto::SignPublicKey device_key{};
  crypto::Signature sig{};  // over "cairn-enroll-v1\n" || secret || device_key || team
};
std::string encode_enroll(const EnrollRequest& r);
EnrollRequest make_enroll(const TokenSecret& secret, const std::string& team, const crypto::SignKeyPair& device);
// Syntax and signature.
Result<EnrollRequest> parse_enroll(std::string_view body);

}  // namespace cairn::wire

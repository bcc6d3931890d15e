// Collection plans: see plan.hpp and docs/formats.md.
#include "cairn/wire/plan.hpp"

#include <cctype>
#include <cstring>

#include "cairn/base/json.hpp"
#include "cairn/wire/json_key.hpp"

namespace cairn::wire {
namespace {

using json::Json;
constexpr std::string_view kPlanDomain = "cairn-plan-v1\n";
constexpr const char* kWhat = "plan";

std::string scope_name(dp::BudgetScope s) { return s == dp::BudgetScope::per_release ? "per_release" : "per_year"; }

Json endpoint_json(const Endpoint& e) { return Json{{"url", e.url}, {"box_key", crypto::to_base64(e.box_key)}}; }

Result<Endpoint> endpoint_from(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return make_error(Errc::corrupt, std::string("plan: field '") + key + "' is missing");
  Endpoint e;
  e.url = CAIRN_TRY(json::get_str(*it, "url", kWhat, 512));
  if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0)
    return make_error(Errc::corrupt, std::string("plan: ") + key + " url is not http(s)");
  e.box_key = CAIRN_TRY(json_key<crypto::kBoxPublicKeyBytes>(*it, "box_key", kWhat));
  return e;
}

Result<dp::Rational> rational_from(const Json& j, const char* key) {
  auto s = CAIRN_TRY(json::get_str(j, key, kWhat, 64));
  auto r = dp::Rational::parse(s);
  if (!r.ok()) return make_error(Errc::corrupt, std::string("plan: field '") + key + "' is not a rational");
  return r;
}

std::vector<std::uint8_t> signed_message(std::string_view body) {
  // Sized once and filled by memcpy (g++ 12 raises a false -Warray-bounds on vector::insert here).
  std::vector<std::uint8_t> m(kPlanDomain.size() + body.size());
  std::memcpy(m.data(), kPlanDomain.data(), kPlanDomain.size());
  if (!body.empty()) std::memcpy(m.data() + kPlanDomain.size(), body.data(), body.size());
  return m;
}

}  // namespace

std::uint32_t Plan::coordinates() const {
  std::uint32_t n = 0;
  for (const auto& m : metrics) n += m.coordinates;
  return n;
}

bool valid_plan_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

std::string plan_body(const Plan& p) {
  Json metrics = Json::array();
  for (const auto& m : p.metrics)
    metrics.push_back({{"name", m.name}, {"coordinates", m.coordinates}, {"scale", m.scale},
                       {"sigma2", m.sigma2.to_string()}});
  Json j{{"v", kPlanVersion},
         {"id", p.id},
         {"org", p.org},
         {"team", p.team},
         {"purpose", p.purpose},
         {"cadence", p.cadence},
         {"k", p.k},
         {"budget", {{"epsilon", p.budget.epsilon}, {"delta", p.budget.delta}, {"scope", scope_name(p.budget.scope)}}},
         {"metrics", metrics},
         {"leader", endpoint_json(p.leader)},
         {"helper", endpoint_json(p.helper)},
         {"org_key", crypto::to_base64(p.org_key)},
         {"created", p.created}};
  return j.dump();
}

SignedPlan sign_plan(const Plan& p, const crypto::SignKeyPair& org) {
  SignedPlan out;
  out.plan = p;
  out.plan.org_key = org.public_key;
  const auto body = plan_body(out.plan);
  const auto sig = crypto::sign_detached(org, signed_message(body));
  out.text = Json{{"cairn_plan", kPlanVersion}, {"body", body}, {"sig", crypto::to_base64(sig)}}.dump();
  return out;
}

Result<SignedPlan> parse_signed_plan(std::string_view text) {
  if (text.size() > kMaxPlanBytes) return make_error(Errc::too_large, "plan: larger than 64 KiB");
  auto outer = CAIRN_TRY(json::parse_object(text, kWhat));
  const auto version = CAIRN_TRY(json::get_uint(outer, "cairn_plan", kWhat));
  if (version == 1)
    return make_error(Errc::corrupt, "plan: version 1 (noise added by devices) is no longer accepted; ask the organization to publish the plan again");
  if (version != kPlanVersion) return make_error(Errc::corrupt, "plan: version is not supported (this build reads 2)");
  auto body = CAIRN_TRY(json::get_str(outer, "body", kWhat, kMaxPlanBytes));
  auto sig = CAIRN_TRY(json_key<crypto::kSignatureBytes>(outer, "sig", kWhat));
  auto j = CAIRN_TRY(json::parse_object(body, kWhat));

  Plan p;
  if (CAIRN_TRY(json::get_uint(j, "v", kWhat)) != kPlanVersion) return make_error(Errc::corrupt, "plan: body version is not 2");
  p.id = CAIRN_TRY(json::get_str(j, "id", kWhat, 64));
  if (!valid_plan_id(p.id)) return make_error(Errc::corrupt, "plan: id must be 1-64 letters, digits, '.', '_' or '-'");
  p.org = CAIRN_TRY(json::get_str(j, "org", kWhat, 200));
  p.team = CAIRN_TRY(json::get_str(j, "team", kWhat, 200));
  p.purpose = CAIRN_TRY(json::get_str(j, "purpose", kWhat, 4000));
  p.cadence = CAIRN_TRY(json::get_str(j, "cadence", kWhat, 16));
  if (p.cadence != "week" && p.cadence != "month" && p.cadence != "quarter")
    return make_error(Errc::corrupt, "plan: cadence must be week, month or quarter");
  auto k = CAIRN_TRY(json::get_uint(j, "k", kWhat));
  if (k < 2 || k > 1'000'000) return make_error(Errc::corrupt, "plan: k must be between 2 and 1000000");
  p.k = static_cast<std::uint32_t>(k);
  auto b = j.find("budget");
  if (b == j.end() || !b->is_object()) return make_error(Errc::corrupt, "plan: field 'budget' is missing");
  p.budget.epsilon = CAIRN_TRY(json::get_double(*b, "epsilon", kWhat));
  p.budget.delta = CAIRN_TRY(json::get_double(*b, "delta", kWhat));
  auto scope = CAIRN_TRY(json::get_str(*b, "scope", kWhat, 16));
  if (scope == "per_release") p.budget.scope = dp::BudgetScope::per_release;
  else if (scope == "per_year") p.budget.scope = dp::BudgetScope::per_year;
  else return make_error(Errc::corrupt, "plan: budget scope must be per_release or per_year");
  if (!(p.budget.epsilon > 0 && p.budget.epsilon < 1000) || !(p.budget.delta > 0 && p.budget.delta < 1))
    return make_error(Errc::corrupt, "plan: budget epsilon or delta out of range");
  auto ms = j.find("metrics");
  if (ms == j.end() || !ms->is_array() || ms->empty() || ms->size() > kMaxPlanMetrics)
    return make_error(Errc::corrupt, "plan: 'metrics' must list 1 to 32 metrics");
  std::uint64_t coords = 0;
  for (const auto& mj : *ms) {
    if (!mj.is_object()) return make_error(Errc::corrupt, "plan: a metric is not an object");
    PlanMetric m;
    m.name = CAIRN_TRY(json::get_str(mj, "name", kWhat, 64));
    auto c = CAIRN_TRY(json::get_uint(mj, "coordinates", kWhat));
    auto sc = CAIRN_TRY(json::get_uint(mj, "scale", kWhat));
    if (c < 1 || c > 64 || sc < 1 || sc > 1'000'000) return make_error(Errc::corrupt, "plan: metric " + m.name + " has bad coordinates or scale");
    m.coordinates = static_cast<std::uint32_t>(c);
    m.scale = static_cast<std::int64_t>(sc);
    m.sigma2 = CAIRN_TRY(rational_from(mj, "sigma2"));
    if (m.sigma2.is_zero()) return make_error(Errc::corrupt, "plan: metric " + m.name + " has no aggregator noise (sigma2 0)");
    coords += c;
    p.metrics.push_back(std::move(m));
  }
  if (coords > 512) return make_error(Errc::corrupt, "plan: more than 512 coordinates");
  p.leader = CAIRN_TRY(endpoint_from(j, "leader"));
  p.helper = CAIRN_TRY(endpoint_from(j, "helper"));
  p.org_key = CAIRN_TRY(json_key<crypto::kSignPublicKeyBytes>(j, "org_key", kWhat));
  auto created = j.find("created");
  if (created == j.end() || !created->is_number_integer()) return make_error(Errc::corrupt, "plan: field 'created' is missing");
  p.created = created->get<std::int64_t>();

  if (!crypto::verify_detached(p.org_key, signed_message(body), sig).ok())
    return make_error(Errc::corrupt, "plan: the organization's signature does not verify");
  return SignedPlan{std::move(p), std::string(text)};
}

}  // namespace cairn::wire

// Closing a period: the leader's release (agree on the batch, get the helper's aggregate share,
// combine, decode) and the helper's side of it; results and their renderings.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <sstream>

#include "cairn/base/json.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/random.hpp"
#include "cairn/dp/samplers.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/sharing.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

using Json = nlohmann::json;

Result<wire::Plan> plan_locked(Aggregator::Impl& impl, const std::string& plan_id) {
  auto p = CAIRN_TRY(published_plan_locked(impl, plan_id));
  if (!p) return make_error(Errc::not_found, "no published plan " + plan_id);
  return *p;
}

Json release_json(const Release& r) {
  Json values = Json::array();
  for (const auto& v : r.values)
    values.push_back({{"metric", v.metric}, {"coordinate", v.coordinate}, {"unit", v.unit}, {"noisy_sum", v.noisy_sum},
                      {"mean", v.mean}, {"noise_variance", v.noise_variance}, {"se", v.se}, {"ci95_lo", v.lo},
                      {"ci95_hi", v.hi}});
  return Json{{"plan", r.plan_id}, {"team", r.team}, {"period", r.period}, {"n", r.n}, {"k", r.k},
              {"released", !r.values.empty()}, {"values", values}};
}

// A release as stored by release_json; Errc::corrupt when the stored text is not one.
Result<Release> release_from_text(const std::string& text) {
  constexpr const char* kWhat = "stored release";
  constexpr std::size_t kAny = std::string::npos;
  const auto j = CAIRN_TRY(json::parse_object(text, kWhat));
  Release r;
  r.plan_id = CAIRN_TRY(json::get_str(j, "plan", kWhat, kAny));
  r.team = CAIRN_TRY(json::get_str(j, "team", kWhat, kAny));
  r.period = CAIRN_TRY(json::get_str(j, "period", kWhat, kAny));
  r.n = static_cast<std::uint32_t>(CAIRN_TRY(json::get_uint(j, "n", kWhat)));
  r.k = static_cast<std::uint32_t>(CAIRN_TRY(json::get_uint(j, "k", kWhat)));
  for (const auto& v : *CAIRN_TRY(json::get_array(j, "values", kWhat))) {
    if (!v.is_object()) return make_error(Errc::corrupt, "stored release: a value is not an object");
    r.values.push_back({CAIRN_TRY(json::get_str(v, "metric", kWhat, kAny)), CAIRN_TRY(json::get_str(v, "coordinate", kWhat, kAny)),
                        CAIRN_TRY(json::get_str(v, "unit", kWhat, kAny)), CAIRN_TRY(json::get_double(v, "noisy_sum", kWhat)),
                        CAIRN_TRY(json::get_double(v, "mean", kWhat)), CAIRN_TRY(json::get_double(v, "noise_variance", kWhat)),
                        CAIRN_TRY(json::get_double(v, "se", kWhat)), CAIRN_TRY(json::get_double(v, "ci95_lo", kWhat)),
                        CAIRN_TRY(json::get_double(v, "ci95_hi", kWhat))});
  }
  return r;
}

Release decode_release(const wire::Plan& plan, const std::string& period, std::uint32_t n, const std::vector<std::int64_t>& sums) {
  Release r;
  r.plan_id = plan.id;
  r.team = plan.team;
  r.period = period;
  r.n = n;
  r.k = plan.k;
  std::size_t c = 0;
  for (const auto& m : plan.metrics) {
    const auto* cat = metrics::find(m.name);
    const double scale = static_cast<double>(m.scale);
    const double var = dp::released_noise_variance(m.sigma2);  // both layers (plan v2)
    for (std::uint32_t j = 0; j < m.coordinates; ++j, ++c) {
      CoordinateResult v;
      v.metric = m.name;
      v.coordinate = cat && j < cat->coordinate_names.size() ? cat->coordinate_names[j] : m.name + "[" + std::to_string(j) + "]";
      v.unit = cat ? cat->spec.unit : "";
      v.noisy_sum = static_cast<double>(sums[c]) / scale;
      v.mean = v.noisy_sum / n;
      v.noise_variance = var;
      v.se = std::sqrt(var) / (scale * n);
      v.lo = v.mean - 1.96 * v.se;
      v.hi = v.mean + 1.96 * v.se;
      r.values.push_back(v);
    }
  }
  return r;
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  if (s.size() < from + n) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

bool valid_period(const std::string& cadence, const std::string& p) {
  if (!digits(p, 0, 4) || p.size() < 6 || p[4] != '-') return false;
  if (cadence == "week") {
    if (p.size() != 8 || p[5] != 'W' || !digits(p, 6, 2)) return false;
    const int w = std::stoi(p.substr(6));
    return w >= 1 && w <= 53;
  }
  if (cadence == "month") {
    if (p.size() != 7 || !digits(p, 5, 2)) return false;
    const int m = std::stoi(p.substr(5));
    return m >= 1 && m <= 12;
  }
  if (cadence == "quarter") return p.size() == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4';
  return false;
}

std::string batch_checksum(const std::string& plan_id, const std::string& period, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  std::string m = "cairn-batch-v1\n" + plan_id + "\n" + period + "\n";
  for (const auto& id : ids) m += id + "\n";
  return crypto::to_hex(crypto::generichash(crypto::as_bytes(m)));
}

Result<Release> Aggregator::release(const std::string& plan_id, const std::string& period) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "the leader releases results");
  wire::Plan plan;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> leader_sum;
  std::string checksum;
  HelperLink* link = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    plan = CAIRN_TRY(plan_locked(*impl_, plan_id));
    if (!valid_period(plan.cadence, period)) return make_error(Errc::usage, "period " + period + " does not fit the plan's cadence " + plan.cadence);
    auto done = CAIRN_TRY(impl_->db.prepare("SELECT state, result FROM periods WHERE plan_id = ? AND period = ?"));
    done.bind(1, plan_id).bind(2, period);
    if (CAIRN_TRY(done.step()) && done.text(0) == "released") return release_from_text(done.text(1));
    auto st = CAIRN_TRY(impl_->db.prepare("SELECT report_id, share FROM reports WHERE plan_id = ? AND period = ? ORDER BY report_id"));
    st.bind(1, plan_id).bind(2, period);
    leader_sum.assign(plan.coordinates(), 0);
    while (CAIRN_TRY(st.step())) {
      ids.push_back(crypto::to_hex(st.blob(0)));
      auto w = words_from(st.blob(1));
      if (w.size() != leader_sum.size()) return make_error(Errc::corrupt, "a stored share has the wrong size");
      wire::add_into(leader_sum, w);
    }
    if (ids.size() < plan.k)
      return make_error(Errc::refused, "only " + std::to_string(ids.size()) + " report(s) for " + plan_id + " " + period +
                                           ", below the plan's minimum group size k = " + std::to_string(plan.k) + "; nothing released");
    checksum = batch_checksum(plan_id, period, ids);
    // Close the period before asking the helper: a report arriving now gets 410 and cannot change
    // the batch both sides agreed on.
    CAIRN_TRY(db::transaction(impl_->db, [&]() -> Status {
      auto ins = CAIRN_TRY(impl_->db.prepare("INSERT OR IGNORE INTO periods(plan_id, period, state, n, checksum) VALUES (?, ?, 'closing', ?, ?)"));
      return ins.bind(1, plan_id).bind(2, period).bind(3, static_cast<std::int64_t>(ids.size())).bind(4, checksum).run();
    }));
    link = helper_link_locked(*impl_);
  }
  if (!link) return make_error(Errc::usage, "configure the helper first (cairn-aggregator configure --helper-url)");
  const std::string path = "/v1/helper/aggregate";
  const std::string body = Json{{"plan", plan_id}, {"period", period}, {"count", ids.size()}, {"checksum", checksum}, {"reports", ids}}.dump();
  auto resp = link->post(path, body, org_sign_request(*impl_->org_sign, path, body));
  auto j = json::parse_object(resp.body, "the helper's answer");
  if (resp.status != 200) {
    auto err = j.ok() ? json::get_str(*j, "error", "", std::string::npos) : Result<std::string>(j.error());
    std::string msg = err.ok() ? *err : resp.body.substr(0, 200);
    return make_error(resp.status == 403 ? Errc::refused : Errc::network, "the helper refused the batch (HTTP " + std::to_string(resp.status) + "): " + msg);
  }
  auto share = j.ok() ? json::get_str(*j, "share", "", std::string::npos) : Result<std::string>(j.error());
  if (!share.ok()) return make_error(Errc::network, "the helper's answer is malformed");
  auto hb = crypto::from_base64(*share);
  if (!hb.ok() || hb->size() != leader_sum.size() * 8) return make_error(Errc::network, "the helper's aggregate share has the wrong size");
  auto sums = wire::combine(leader_sum, words_from(*hb));
  auto rel = decode_release(plan, period, static_cast<std::uint32_t>(ids.size()), sums);
  std::lock_guard lock(impl_->mu);
  CAIRN_TRY(db::transaction(impl_->db, [&]() -> Status {
    auto up = CAIRN_TRY(impl_->db.prepare("UPDATE periods SET state = 'released', result = ? WHERE plan_id = ? AND period = ?"));
    return up.bind(1, release_json(rel).dump()).bind(2, plan_id).bind(3, period).run();
  }));
  return rel;
}

Result<std::vector<Release>> Aggregator::results(const std::string& plan_id, const std::optional<std::string>& period) {
  std::lock_guard lock(impl_->mu);
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT period, result FROM periods WHERE plan_id = ? AND state = 'released' ORDER BY period"));
  st.bind(1, plan_id);
  std::vector<Release> out;
  while (CAIRN_TRY(st.step()))
    if (!period || st.text(0) == *period) out.push_back(CAIRN_TRY(release_from_text(st.text(1))));
  return out;
}

Response handle_helper_aggregate(Aggregator::Impl& impl, const Request& r) {
  if (!org_verify_request(impl.org_key, r.path, r.body, r.org_signature))
    return error_response(401, "aggregate request is not signed by the leader");
  constexpr const char* kWhat = "aggregate request";
  constexpr std::size_t kAny = std::string::npos;
  auto j = json::parse_object(r.body, kWhat);
  Result<std::string> plan_r = j.ok() ? json::get_str(*j, "plan", kWhat, kAny) : Result<std::string>(j.error());
  Result<std::string> period_r = j.ok() ? json::get_str(*j, "period", kWhat, kAny) : Result<std::string>(j.error());
  Result<std::string> sent_checksum = j.ok() ? json::get_str(*j, "checksum", kWhat, kAny) : Result<std::string>(j.error());
  Result<const Json*> reports = j.ok() ? json::get_array(*j, "reports", kWhat) : Result<const Json*>(j.error());
  Result<std::uint64_t> count = j.ok() ? json::get_uint(*j, "count", kWhat) : Result<std::uint64_t>(j.error());
  if (!plan_r.ok() || !period_r.ok() || !sent_checksum.ok() || !reports.ok() || !count.ok())
    return error_response(400, "aggregate request is malformed");
  const std::string plan_id = *plan_r, period = *period_r;
  std::vector<std::string> ids;
  for (const auto& id : **reports) {
    if (!id.is_string() || id.get<std::string>().size() != 2 * wire::kReportIdBytes) return error_response(400, "aggregate request: bad report id");
    ids.push_back(id.get<std::string>());
  }
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) return error_response(400, "aggregate request: a report id is listed twice");
  if (*count != ids.size()) return error_response(400, "aggregate request: count does not match the list");
  const auto checksum = batch_checksum(plan_id, period, ids);
  if (checksum != *sent_checksum) return error_response(400, "aggregate request: checksum does not match the list");

  std::lock_guard lock(impl.mu);
  auto plan = plan_locked(impl, plan_id);
  if (!plan.ok()) return error_response(404, plan.error().message);
  if (ids.size() < plan->k)
    return error_response(403, "batch of " + std::to_string(ids.size()) + " is below the plan's minimum group size k = " + std::to_string(plan->k));
  auto done = impl.db.prepare("SELECT checksum, result FROM periods WHERE plan_id = ? AND period = ?");
  if (!done.ok()) return error_response(500, done.error().message);
  done->bind(1, plan_id).bind(2, period);
  auto has = done->step();
  if (!has.ok()) return error_response(500, has.error().message);
  if (*has) {
    // The same batch asked again (the leader lost our answer): the same answer. Anything else: closed.
    if (done->text(0) == checksum) return json_response(200, Json{{"share", done->text(1)}});
    return error_response(410, "period " + period + " of plan " + plan_id + " is already closed with another batch");
  }
  const std::size_t coords = plan->coordinates();
  std::vector<std::uint64_t> sum(coords, 0);
  std::set<std::vector<std::uint8_t>> devices;
  for (const auto& id : ids) {
    auto idb = crypto::from_hex(id);
    if (!idb.ok()) return error_response(400, "aggregate request: bad report id");
    auto st = impl.db.prepare("SELECT share, device_key FROM reports WHERE report_id = ? AND plan_id = ? AND period = ?");
    if (!st.ok()) return error_response(500, st.error().message);
    st->bind_blob(1, *idb).bind(2, plan_id).bind(3, period);
    auto row = st->step();
    if (!row.ok()) return error_response(500, row.error().message);
    if (!*row) return error_response(409, "batch disagrees: report " + id + " is unknown to the helper");
    auto seed_bytes = st->blob(0);
    devices.insert(st->blob(1));
    wire::Seed seed{};
    if (seed_bytes.size() != seed.size()) return error_response(500, "a stored seed has the wrong size");
    std::memcpy(seed.data(), seed_bytes.data(), seed.size());
    wire::add_into(sum, wire::expand_seed(seed, coords));
    crypto::wipe(seed);
  }
  if (devices.size() < plan->k) return error_response(403, "batch has fewer distinct devices than k");
  // The helper's own noise layer (the plan says whether): discrete Gaussian per coordinate.
  dp::SodiumRandom rng;
  std::size_t c = 0;
  for (const auto& m : plan->metrics) {
    std::optional<dp::DiscreteGaussianSampler> g;
    if (!m.sigma2.is_zero()) {
      auto s = dp::DiscreteGaussianSampler::create(m.sigma2);
      if (!s.ok()) return error_response(500, s.error().message);
      g = *s;
    }
    for (std::uint32_t i = 0; i < m.coordinates; ++i, ++c)
      if (g) sum[c] += static_cast<std::uint64_t>((*g)(rng));
  }
  const auto share_b64 = crypto::to_base64(words_le(sum));
  auto tx = db::transaction(impl.db, [&]() -> Status {
    auto ins = CAIRN_TRY(impl.db.prepare("INSERT INTO periods(plan_id, period, state, n, checksum, result) VALUES (?, ?, 'released', ?, ?, ?)"));
    return ins.bind(1, plan_id).bind(2, period).bind(3, static_cast<std::int64_t>(ids.size())).bind(4, checksum).bind(5, share_b64).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  return json_response(200, Json{{"share", share_b64}});
}

std::string render_results_json(const std::vector<Release>& releases) {
  Json arr = Json::array();
  for (const auto& r : releases) arr.push_back(release_json(r));
  return Json{{"results", arr}}.dump(2);
}

std::string render_results_csv(const std::vector<Release>& releases) {
  std::ostringstream out;
  out.precision(10);
  out << "plan,team,period,n,metric,coordinate,unit,noisy_sum,mean,se,ci95_lo,ci95_hi,noise_variance\n";
  for (const auto& r : releases)
    for (const auto& v : r.values)
      out << r.plan_id << ',' << r.team << ',' << r.period << ',' << r.n << ',' << v.metric << ',' << v.coordinate << ",\""
          << v.unit << "\"," << v.noisy_sum << ',' << v.mean << ',' << v.se << ',' << v.lo << ',' << v.hi << ','
          << v.noise_variance << '\n';
  return out.str();
}

}  // namespace cairn::aggregator

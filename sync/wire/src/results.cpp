// Team results for the employee: the signed request and the capped answer (see results.hpp).
#include "cairn/wire/results.hpp"

#include <cmath>

#include "cairn/base/json.hpp"
#include "cairn/wire/json_key.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::wire {
namespace {

using json::Json;

constexpr std::size_t kMaxResultsAnswerBytes = 4 * 1024 * 1024;
constexpr std::size_t kShort = 200;

std::string results_message(const std::string& plan_id, std::int64_t time) {
  return "cairn-results-v1\n" + plan_id + "\n" + std::to_string(time);
}

Result<double> finite(const Json& j, const char* key, const char* what) {
  const double v = CAIRN_TRY(json::get_double(j, key, what));
  if (!std::isfinite(v)) return make_error(Errc::corrupt, std::string(what) + ": \"" + key + "\" is not a finite number");
  return v;
}

Result<std::uint32_t> count(const Json& j, const char* key, const char* what) {
  const auto v = CAIRN_TRY(json::get_uint(j, key, what));
  if (v > 0xffffffffu) return make_error(Errc::corrupt, std::string(what) + ": \"" + key + "\" is out of range");
  return static_cast<std::uint32_t>(v);
}

// One field per statement (a CAIRN_TRY inside a braced list would skip destructors).
Result<TeamValue> value_from(const Json& v) {
  constexpr const char* what = "a team result value";
  CAIRN_TRY(json::need_object(v, what));
  TeamValue t;
  t.metric = CAIRN_TRY(json::get_str(v, "metric", what, kShort));
  t.coordinate = CAIRN_TRY(json::get_str(v, "coordinate", what, kShort));
  t.unit = CAIRN_TRY(json::get_str(v, "unit", what, kShort));
  t.mean = CAIRN_TRY(finite(v, "mean", what));
  t.lo = CAIRN_TRY(finite(v, "ci95_lo", what));
  t.hi = CAIRN_TRY(finite(v, "ci95_hi", what));
  t.se = CAIRN_TRY(finite(v, "se", what));
  t.clip_lo = CAIRN_TRY(finite(v, "clip_lo", what));
  t.clip_hi = CAIRN_TRY(finite(v, "clip_hi", what));
  t.verdict = CAIRN_TRY(json::get_str(v, "verdict", what, 64));
  t.verdict_sentence = CAIRN_TRY(json::get_str(v, "verdict_sentence", what, kShort));
  t.out_of_range = CAIRN_TRY(json::opt_bool(v, "out_of_range", false, what));
  t.clamped_mean = CAIRN_TRY(finite(v, "clamped_mean", what));
  return t;
}

Result<TeamRelease> release_from(const Json& r) {
  constexpr const char* what = "a team result";
  CAIRN_TRY(json::need_object(r, what));
  TeamRelease t;
  t.plan_id = CAIRN_TRY(json::get_str(r, "plan", what, 64));
  t.team = CAIRN_TRY(json::get_str(r, "team", what, kShort));
  t.period = CAIRN_TRY(json::get_str(r, "period", what, 32));
  t.n = CAIRN_TRY(count(r, "n", what));
  t.k = CAIRN_TRY(count(r, "k", what));
  t.dropped = CAIRN_TRY(count(r, "dropped", what));
  t.released = CAIRN_TRY(json::opt_bool(r, "released", false, what));
  const Json* values = CAIRN_TRY(json::get_array(r, "values", what));
  if (values->size() > kMaxTeamValues) return make_error(Errc::corrupt, "a team result has more than 64 values");
  for (const auto& v : *values) {
    auto one = CAIRN_TRY(value_from(v));
    t.values.push_back(std::move(one));
  }
  if (t.released != !t.values.empty()) return make_error(Errc::corrupt, "a team result says released but has no values (or the reverse)");
  return t;
}

}  // namespace

ResultsRequest make_results_request(const std::string& plan_id, const crypto::SignKeyPair& device, std::int64_t now) {
  ResultsRequest r;
  r.plan_id = plan_id;
  r.device_key = device.public_key;
  r.time = now;
  r.sig = crypto::sign_detached(device, crypto::as_bytes(results_message(plan_id, now)));
  return r;
}

std::string encode_results_request(const ResultsRequest& r) {
  return Json{{"v", 1},
              {"plan", r.plan_id},
              {"device_key", crypto::to_base64(r.device_key)},
              {"time", r.time},
              {"sig", crypto::to_base64(r.sig)}}
      .dump();
}

Result<ResultsRequest> parse_results_request(std::string_view body) {
  constexpr const char* what = "results request";
  if (body.size() > kMaxResultsRequestBytes) return make_error(Errc::too_large, "results request: larger than 4096 bytes");
  auto j = CAIRN_TRY(json::parse_object(body, what));
  if (CAIRN_TRY(json::get_uint(j, "v", what)) != 1) return make_error(Errc::corrupt, "results request: version is not 1");
  ResultsRequest r;
  r.plan_id = CAIRN_TRY(json::get_str(j, "plan", what, 64));
  if (!valid_plan_id(r.plan_id)) return make_error(Errc::corrupt, "results request: not a plan id");
  r.device_key = CAIRN_TRY(json_key<crypto::kSignPublicKeyBytes>(j, "device_key", what));
  r.time = CAIRN_TRY(json::get_int(j, "time", what));
  r.sig = CAIRN_TRY(json_key<crypto::kSignatureBytes>(j, "sig", what));
  if (!crypto::verify_detached(r.device_key, crypto::as_bytes(results_message(r.plan_id, r.time)), r.sig).ok())
    return make_error(Errc::corrupt, "results request: the device signature does not verify");
  return r;
}

std::string encode_results_answer(const std::vector<TeamRelease>& releases) {
  Json arr = Json::array();
  for (const auto& r : releases) {
    Json values = Json::array();
    for (const auto& v : r.values)
      values.push_back({{"metric", v.metric}, {"coordinate", v.coordinate}, {"unit", v.unit}, {"mean", v.mean},
                        {"ci95_lo", v.lo}, {"ci95_hi", v.hi}, {"se", v.se}, {"clip_lo", v.clip_lo}, {"clip_hi", v.clip_hi},
                        {"verdict", v.verdict}, {"verdict_sentence", v.verdict_sentence},
                        {"out_of_range", v.out_of_range}, {"clamped_mean", v.clamped_mean}});
    arr.push_back({{"plan", r.plan_id}, {"team", r.team}, {"period", r.period}, {"n", r.n}, {"k", r.k},
                   {"dropped", r.dropped}, {"released", r.released}, {"values", values}});
  }
  return Json{{"results", arr}}.dump();
}

Result<std::vector<TeamRelease>> parse_results_answer(std::string_view body) {
  constexpr const char* what = "the leader's team results";
  if (body.size() > kMaxResultsAnswerBytes) return make_error(Errc::corrupt, "the leader's team results are larger than 4 MiB");
  auto j = CAIRN_TRY(json::parse_object(body, what));
  const Json* list = CAIRN_TRY(json::get_array(j, "results", what));
  if (list->size() > kMaxTeamReleases) return make_error(Errc::corrupt, "the leader's team results list more than 400 periods");
  std::vector<TeamRelease> out;
  for (const auto& r : *list) {
    auto one = CAIRN_TRY(release_from(r));
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace cairn::wire

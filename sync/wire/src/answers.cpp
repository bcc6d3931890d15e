// The aggregators' upload and enrollment answers: see answers.hpp.
#include "cairn/wire/answers.hpp"

#include "cairn/base/json.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/wire/plan.hpp"

namespace cairn::wire {
namespace {

using json::Json;

Json cost_json(const dp::ReleaseCost& cost) {
  Json out = Json::array();
  for (const auto& t : cost)
    out.push_back({{"mechanism", std::string(dp::mechanism_name(t.mechanism))},
                   {"variance", t.variance.to_string()},
                   {"l1", t.l1},
                   {"l2_squared", t.l2_squared}});
  return out;
}

Result<dp::ReleaseCost> cost_from(const Json& arr, const char* what) {
  if (!arr.is_array() || arr.empty() || arr.size() > 64) return make_error(Errc::corrupt, std::string(what) + ": a cost is not a list of 1-64 terms");
  dp::ReleaseCost cost;
  for (const auto& tj : arr) {
    if (!tj.is_object()) return make_error(Errc::corrupt, std::string(what) + ": a cost term is not an object");
    dp::NoiseTerm t;
    const auto mech = CAIRN_TRY(json::get_str(tj, "mechanism", what, 16));
    // Aggregators record one discrete Gaussian layer per release; nothing else is charged.
    if (mech != "gaussian") return make_error(Errc::corrupt, std::string(what) + ": unknown mechanism");
    t.mechanism = dp::Mechanism::discrete_gaussian;
    auto v = dp::Rational::parse(CAIRN_TRY(json::get_str(tj, "variance", what, 64)));
    if (!v.ok() || v->is_zero()) return make_error(Errc::corrupt, std::string(what) + ": a cost variance is not a positive rational");
    t.variance = *v;
    t.l1 = CAIRN_TRY(json::get_uint(tj, "l1", what));
    t.l2_squared = CAIRN_TRY(json::get_uint(tj, "l2_squared", what));
    cost.push_back(t);
  }
  return cost;
}

}  // namespace

std::string encode_upload_answer(const UploadAnswer& a) {
  Json held = Json::array();
  if (a.leader_holds) held.push_back("leader");
  if (a.helper_holds) held.push_back("helper");
  return Json{{"status", a.status}, {"report", a.report}, {"held_by", held}}.dump();
}

Result<UploadAnswer> parse_upload_answer(std::string_view body) {
  constexpr const char* what = "upload answer";
  auto j = CAIRN_TRY(json::parse_object(body, what));
  UploadAnswer a;
  a.status = CAIRN_TRY(json::get_str(j, "status", what, 64));
  if (j.contains("report")) a.report = CAIRN_TRY(json::get_str(j, "report", what, 64));
  const Json* held = CAIRN_TRY(json::get_array(j, "held_by", what));
  auto names = json::str_items(*held, "held_by", what, std::string::npos);
  if (!names.ok()) return make_error(Errc::corrupt, "upload answer: 'held_by' holds something other than names");
  for (const auto& name : *names) {
    if (name == "leader") a.leader_holds = true;
    else if (name == "helper") a.helper_holds = true;
    else return make_error(Errc::corrupt, "upload answer: unknown holder in 'held_by'");
  }
  return a;
}

std::string encode_enroll_answer(const EnrollAnswer& a) {
  Json rep = Json::array();
  for (const auto& r : a.reported)
    rep.push_back({{"plan", r.plan_id}, {"period", r.period}, {"time", r.time}, {"cost", cost_json(r.cost)}});
  return Json{{"status", "enrolled"}, {"replaced", a.replaced}, {"reported", rep}}.dump();
}

Result<EnrollAnswer> parse_enroll_answer(std::string_view body) {
  constexpr const char* what = "enrollment answer";
  EnrollAnswer a;
  if (body.empty()) return a;
  auto j = CAIRN_TRY(json::parse_object(body, what));
  auto replaced = json::opt_bool(j, "replaced", a.replaced, what);
  if (!replaced.ok()) return make_error(Errc::corrupt, "enrollment answer: 'replaced' is not true or false");
  a.replaced = *replaced;
  if (!j.contains("reported")) return a;
  const Json* rep = CAIRN_TRY(json::get_array(j, "reported", what));
  if (rep->size() > kMaxPriorReleases) return make_error(Errc::corrupt, "enrollment answer: too many earlier reports");
  for (const auto& rj : *rep) {
    if (!rj.is_object()) return make_error(Errc::corrupt, "enrollment answer: an earlier report is not an object");
    PriorRelease r;
    r.plan_id = CAIRN_TRY(json::get_str(rj, "plan", what, 64));
    if (!valid_plan_id(r.plan_id)) return make_error(Errc::corrupt, "enrollment answer: bad plan id");
    r.period = CAIRN_TRY(json::get_str(rj, "period", what, dp::kMaxLedgerLabelBytes));
    if (r.period.empty()) return make_error(Errc::corrupt, "enrollment answer: empty period");
    r.time = CAIRN_TRY(json::get_int(rj, "time", what));
    auto c = rj.find("cost");
    if (c == rj.end()) return make_error(Errc::corrupt, "enrollment answer: an earlier report has no cost");
    r.cost = CAIRN_TRY(cost_from(*c, what));
    a.reported.push_back(std::move(r));
  }
  return a;
}

}  // namespace cairn::wire

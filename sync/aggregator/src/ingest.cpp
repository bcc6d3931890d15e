// The request handlers devices and the leader reach, besides reports (reports.cpp): enrollment,
// plan listing, plan registration at the helper. Every check runs before the one transaction that
// records anything, so a refused request leaves the state exactly as it was.
#include <algorithm>
#include <cstring>

#include "cairn/base/json.hpp"
#include "cairn/dp/ledger.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/plan_check.hpp"
#include "cairn/wire/envelope.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

using Json = nlohmann::json;

}  // namespace

Result<std::optional<wire::Plan>> published_plan_locked(Aggregator::Impl& impl, const std::string& plan_id) {
  if (auto it = impl.published_plans.find(plan_id); it != impl.published_plans.end()) return std::optional<wire::Plan>(it->second);
  auto st = CAIRN_TRY(impl.db.prepare("SELECT body FROM plans WHERE plan_id = ? AND published = 1"));
  st.bind(1, plan_id);
  if (!CAIRN_TRY(st.step())) return std::optional<wire::Plan>();
  auto sp = CAIRN_TRY(wire::parse_signed_plan(st.text(0)));
  impl.published_plans.emplace(plan_id, sp.plan);
  return std::optional<wire::Plan>(std::move(sp.plan));
}

std::shared_ptr<const PlanPrep> cached_plan_prep(Aggregator::Impl& impl, const std::string& plan_id) {
  std::lock_guard lock(impl.prep_mu);
  auto it = impl.plan_preps.find(plan_id);
  return it == impl.plan_preps.end() ? nullptr : it->second;
}

Result<std::shared_ptr<const PlanPrep>> plan_prep_locked(Aggregator::Impl& impl, const std::string& plan_id) {
  if (auto cached = cached_plan_prep(impl, plan_id)) return cached;
  auto plan = CAIRN_TRY(published_plan_locked(impl, plan_id));
  if (!plan) return std::shared_ptr<const PlanPrep>();
  auto st = CAIRN_TRY(impl.db.prepare("SELECT verify_key FROM plans WHERE plan_id = ?"));
  st.bind(1, plan_id);
  if (!CAIRN_TRY(st.step()) || st.type(0) != SQLITE_BLOB || st.blob(0).size() != kVerifyKeyBytes)
    return make_error(Errc::corrupt, "published plan " + plan_id + " has no verify key");
  auto scheme = CAIRN_TRY(wire::prio3_for(*plan));
  auto prep = std::make_shared<const PlanPrep>(PlanPrep{*plan, std::move(scheme), st.blob(0)});
  std::lock_guard lock(impl.prep_mu);
  impl.plan_preps.emplace(plan_id, prep);
  return prep;
}

namespace {

// What the employee behind a token already reported in the rolling year, from every device that
// held the token: plan, period, the charge time (the period's end) and one layer's cost.
Result<std::vector<wire::PriorRelease>> reported_by_token_locked(Aggregator::Impl& impl, const std::string& hash) {
  auto st = CAIRN_TRY(impl.db.prepare(
      "SELECT r.plan_id, r.period FROM reports r JOIN devices d ON d.device_key = r.device_key WHERE d.token = ?"
      " ORDER BY r.plan_id, r.period"));
  st.bind(1, hash);
  std::vector<wire::PriorRelease> out;
  const std::int64_t now = now_of(impl);
  while (CAIRN_TRY(st.step())) {
    auto plan = CAIRN_TRY(published_plan_locked(impl, st.text(0)));
    if (!plan) continue;
    auto cadence = dp::parse_cadence(plan->cadence);
    if (!cadence.ok()) continue;
    auto period = metrics::parse_period(*cadence, st.text(1));
    if (!period.ok()) continue;
    const std::int64_t time = wire::period_end_time(*period);
    if (time <= now - dp::kBudgetWindowSeconds) continue;
    auto noise = CAIRN_TRY(wire::check_plan(*plan));
    out.push_back({plan->id, period->label, time, noise.cost});
  }
  return out;
}

}  // namespace

// One token is one employee: enrolling again with the same token from another device replaces the
// first device (its key is refused from then on) and the answer lists what the employee already
// reported in the rolling year, so the new device carries it into its ledger (docs/sharing.md).
Response handle_enroll(Aggregator::Impl& impl, const Request& r) {
  auto req = wire::parse_enroll(r.body);
  if (!req.ok()) return error_response(req.error().code == Errc::too_large ? 413 : (req.error().message.find("signature") != std::string::npos ? 401 : 400), req.error().message);
  const auto hash = wire::token_hash(req->secret);
  std::lock_guard lock(impl.mu);
  auto st = impl.db.prepare("SELECT team, used_by FROM tokens WHERE hash = ?");
  if (!st.ok()) return error_response(500, st.error().message);
  st->bind(1, hash);
  auto row = st->step();
  if (!row.ok()) return error_response(500, row.error().message);
  if (!*row) return error_response(403, "enrollment token not recognised by this aggregator");
  if (st->text(0) != req->team) return error_response(403, "enrollment token belongs to another team");
  auto used = st->blob(1);
  const bool same = used.size() == 32 && std::memcmp(used.data(), req->device_key.data(), 32) == 0;
  auto reported = reported_by_token_locked(impl, hash);
  if (!reported.ok()) return error_response(500, reported.error().message);
  wire::EnrollAnswer answer{!used.empty() && !same, *reported};
  if (same) {
    log_event(impl, "enrolment: an enrolled device of team " + req->team + " enrolled again (nothing changed)");
    return Response{200, wire::encode_enroll_answer(answer)};
  }
  auto other = impl.db.prepare("SELECT token FROM devices WHERE device_key = ?");
  if (!other.ok()) return error_response(500, other.error().message);
  other->bind_blob(1, req->device_key);
  auto known = other->step();
  if (!known.ok()) return error_response(500, known.error().message);
  if (*known) return error_response(409, "this device is already enrolled with another token");
  auto tx = sql::transaction(impl.db, [&]() -> Status {
    if (!used.empty()) {
      auto old = CAIRN_TRY(impl.db.prepare("UPDATE devices SET replaced = 1 WHERE device_key = ?"));
      CAIRN_TRY(old.bind_blob(1, used).run());
    }
    auto u = CAIRN_TRY(impl.db.prepare("UPDATE tokens SET used_by = ? WHERE hash = ?"));
    CAIRN_TRY(u.bind_blob(1, req->device_key).bind(2, hash).run());
    auto d = CAIRN_TRY(impl.db.prepare("INSERT INTO devices(device_key, team, enrolled, token) VALUES (?, ?, ?, ?)"));
    return d.bind_blob(1, req->device_key).bind(2, req->team).bind(3, now_of(impl)).bind(4, hash).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  log_event(impl, "enrolment: a device joined team " + req->team +
                      (used.empty() ? std::string() : " (its token's earlier device is replaced and refused from now on)"));
  return Response{201, wire::encode_enroll_answer(answer)};
}

Response handle_plans(Aggregator::Impl& impl, const Request& r) {
  std::lock_guard lock(impl.mu);
  auto st = impl.db.prepare("SELECT body FROM plans WHERE published = 1 ORDER BY plan_id");
  if (!st.ok()) return error_response(500, st.error().message);
  Json plans = Json::array();
  std::vector<std::string> listed;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return error_response(500, row.error().message);
    if (!*row) break;
    auto body = st->text(0);
    auto sp = wire::parse_signed_plan(body);
    if (sp.ok() && (r.team.empty() || sp->plan.team == r.team)) {
      plans.push_back(body);
      listed.push_back(sp->plan.id);
    }
  }
  // The periods of these plans that no longer take reports (closing or released), so a device
  // neither prepares nor charges a report the leader would answer with 410.
  Json closed = Json::array();
  auto cs = impl.db.prepare("SELECT plan_id, period FROM periods ORDER BY plan_id, period");
  if (!cs.ok()) return error_response(500, cs.error().message);
  while (true) {
    auto row = cs->step();
    if (!row.ok()) return error_response(500, row.error().message);
    if (!*row) break;
    auto plan_id = cs->text(0);
    if (std::find(listed.begin(), listed.end(), plan_id) != listed.end()) closed.push_back({{"plan", plan_id}, {"period", cs->text(1)}});
  }
  return json_response(200, Json{{"plans", plans}, {"closed", closed}});
}

Response handle_helper_plan(Aggregator::Impl& impl, const Request& r) {
  if (!org_verify_request(impl.org_key, r.path, r.body, r.org_signature))
    return error_response(401, "plan registration is not signed by the organization this helper serves");
  constexpr const char* kWhat = "plan registration";
  auto j = json::parse_object(r.body, kWhat);
  if (!j.ok()) return error_response(400, j.error().message);
  auto text = json::get_str(*j, "plan", kWhat, std::string::npos);
  auto sealed_b64 = json::get_str(*j, "verify_key", kWhat, 4096);
  if (!text.ok() || !sealed_b64.ok()) return error_response(400, "plan registration is malformed");
  auto sp = wire::parse_signed_plan(*text);
  if (!sp.ok()) return error_response(status_for_parse(sp.error()), sp.error().message);
  if (sp->plan.org_key != impl.org_key) return error_response(401, "plan is not signed by the organization this helper serves");
  if (sp->plan.helper.box_key != impl.box.public_key) return error_response(400, "plan names another helper key");
  // The helper's own check that the organisation cannot under-noise: sigma2 recomputed from the
  // catalog, cadence and budget, and samplable.
  if (auto n = check_plan_noise(sp->plan); !n.ok()) return error_response(400, n.error().message);
  auto sealed = crypto::from_base64(*sealed_b64);
  if (!sealed.ok()) return error_response(400, "plan registration: verify key is not base64");
  auto vk = crypto::seal_open(impl.box, *sealed);
  if (!vk.ok() || vk->size() != kVerifyKeyBytes) return error_response(400, "plan registration: verify key does not open for this helper");
  std::lock_guard lock(impl.mu);
  // The leader's box key comes with the org's signature on the plan; forwarded batches are
  // authenticated with a key exchanged with it (forward_batch.hpp). One leader per helper.
  const std::string leader_key = crypto::to_base64(sp->plan.leader.box_key);
  auto known = config_get_locked(impl.db, "leader_box_key");
  if (known.ok() && *known != leader_key) return error_response(409, "plan names another leader key than earlier plans");
  if (!known.ok() && known.error().code != Errc::not_found) return error_response(500, known.error().message);
  auto st = impl.db.prepare("SELECT body, verify_key FROM plans WHERE plan_id = ?");
  if (!st.ok()) return error_response(500, st.error().message);
  st->bind(1, sp->plan.id);
  auto row = st->step();
  if (!row.ok()) return error_response(500, row.error().message);
  if (*row) {
    if (st->text(0) == *text && st->blob(1) == *vk) return json_response(200, Json{{"plan", sp->plan.id}});
    return error_response(409, "a different plan with this id is already registered");
  }
  auto tx = sql::transaction(impl.db, [&]() -> Status {
    auto ins = CAIRN_TRY(impl.db.prepare("INSERT INTO plans(plan_id, body, published, verify_key) VALUES (?, ?, 1, ?)"));
    CAIRN_TRY(ins.bind(1, sp->plan.id).bind(2, *text).bind_blob(3, *vk).run());
    return known.ok() ? Status{} : config_set_locked(impl.db, "leader_box_key", leader_key);
  });
  crypto::wipe(*vk);
  if (!tx.ok()) return error_response(500, tx.error().message);
  return json_response(201, Json{{"plan", sp->plan.id}});
}

}  // namespace cairn::aggregator

// Plan creation (with the utility preview first) and publication: see aggregator.hpp.
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/plan_check.hpp"
#include "impl.hpp"

namespace cairn::aggregator {

Result<dp::UtilityPreview> Aggregator::preview_plan(const PlanRequest& req, std::string* text) {
  if (req.metrics.empty()) return make_error(Errc::usage, "name at least one --metric from the catalog");
  std::vector<dp::MetricSpec> specs;
  for (const auto& name : req.metrics) {
    const auto* m = metrics::find(name);
    if (!m) {
      std::string known;
      for (const auto& c : metrics::catalog()) known += (known.empty() ? "" : ", ") + c.name;
      return make_error(Errc::usage, "unknown metric \"" + name.substr(0, 64) + "\" (the catalog has: " + known + ")");
    }
    specs.push_back(m->spec);
  }
  auto cadence = dp::parse_cadence(req.cadence);
  if (!cadence.ok()) return make_error(Errc::usage, "--cadence is week, month or quarter");
  // The same calibration the plan's sigma2 comes from (wire::plan_noise), so the preview shows the
  // noise each aggregator will add and the organisation will see.
  dp::UtilityPlan up;
  up.metrics = std::move(specs);
  up.cadence = *cadence;
  up.budget = req.budget;
  up.k = req.k;
  up.expected_reports = req.expected_reports;
  auto prev = CAIRN_TRY(dp::utility_preview(up));
  if (text) *text = dp::render_utility_preview(up, prev);
  return prev;
}

Result<wire::SignedPlan> Aggregator::create_plan(const PlanRequest& req, std::int64_t now) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "plans are created by the leader");
  if (!wire::valid_plan_id(req.id)) return make_error(Errc::usage, "--id must be 1-64 letters, digits, '.', '_' or '-'");
  if (req.team.empty() || req.team.size() > 200) return make_error(Errc::usage, "--team must be 1-200 characters");
  if (req.purpose.empty() || req.purpose.size() > 4000) return make_error(Errc::usage, "--purpose must say in plain words why (up to 4000 characters)");
  if (req.k < 2) return make_error(Errc::usage, "--k must be at least 2");
  auto prev = CAIRN_TRY(preview_plan(req, nullptr));
  auto inf = CAIRN_TRY(info());
  if (inf.url.empty() || inf.helper_url.empty() || !inf.helper_box_key)
    return make_error(Errc::usage, "configure the leader's --url, --helper-url and --helper-key first (cairn-aggregator configure)");
  wire::Plan p;
  p.id = req.id;
  p.org = impl_->org;
  p.team = req.team;
  p.purpose = req.purpose;
  p.cadence = req.cadence;
  p.k = req.k;
  p.budget = req.budget;
  for (std::size_t i = 0; i < req.metrics.size(); ++i) {
    const auto* m = metrics::find(req.metrics[i]);
    wire::PlanMetric pm;
    pm.name = m->name;
    pm.coordinates = m->spec.coordinates;
    pm.scale = m->spec.scale;
    p.metrics.push_back(pm);
  }
  // Each aggregator's sigma2, from the one calibration devices and the helper recompute.
  const auto noise = CAIRN_TRY(wire::plan_noise(p));
  for (std::size_t i = 0; i < p.metrics.size(); ++i) p.metrics[i].sigma2 = noise.required.sigma2[i];
  p.leader = {inf.url, impl_->box.public_key};
  p.helper = {inf.helper_url, *inf.helper_box_key};
  p.created = now;
  auto sp = wire::sign_plan(p, *impl_->org_sign);
  std::lock_guard lock(impl_->mu);
  CAIRN_TRY(sql::transaction(impl_->db, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare("INSERT INTO plans(plan_id, body, published) VALUES (?, ?, 0)"));
    auto r = st.bind(1, p.id).bind(2, sp.text).run();
    if (!r.ok() && r.error().code == Errc::exists) return make_error(Errc::exists, "a plan with id " + p.id + " exists");
    return r;
  }));
  return sp;
}

// The plan registration the helper receives (org-signed request): the signed plan and the plan's
// Prio3 verify key sealed to the helper's box key. The verify key is made here, once per plan, and
// kept so a retried publish sends the same one.
Status Aggregator::publish_plan(const std::string& plan_id) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "plans are published by the leader");
  std::string body;
  HelperLink* link = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    auto st = CAIRN_TRY(impl_->db.prepare("SELECT body, verify_key FROM plans WHERE plan_id = ?"));
    st.bind(1, plan_id);
    if (!CAIRN_TRY(st.step())) return make_error(Errc::not_found, "no plan " + plan_id + " (see plan create)");
    const std::string text = st.text(0);
    crypto::Bytes vk = st.type(1) == SQLITE_BLOB ? st.blob(1) : crypto::Bytes{};
    if (vk.size() != kVerifyKeyBytes) {
      vk.assign(kVerifyKeyBytes, 0);
      crypto::random_bytes(vk);
      CAIRN_TRY(sql::transaction(impl_->db, [&]() -> Status {
        auto up = CAIRN_TRY(impl_->db.prepare("UPDATE plans SET verify_key = ? WHERE plan_id = ?"));
        return up.bind_blob(1, vk).bind(2, plan_id).run();
      }));
    }
    auto sp = CAIRN_TRY(wire::parse_signed_plan(text));
    body = nlohmann::json{{"plan", text}, {"verify_key", crypto::to_base64(crypto::seal(sp.plan.helper.box_key, vk))}}.dump();
    crypto::wipe(vk);
    link = helper_link_locked(*impl_);
  }
  if (!link) return make_error(Errc::usage, "configure the helper first (cairn-aggregator configure --helper-url)");
  const std::string path = "/v1/helper/plans";
  auto r = link->post(path, body, org_sign_request(*impl_->org_sign, path, body));
  if (r.status != 200 && r.status != 201)
    return make_error(Errc::network, "the helper did not register the plan (HTTP " + std::to_string(r.status) + "): " + r.body.substr(0, 200));
  std::lock_guard lock(impl_->mu);
  return sql::transaction(impl_->db, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare("UPDATE plans SET published = 1 WHERE plan_id = ?"));
    return st.bind(1, plan_id).run();
  });
}

}  // namespace cairn::aggregator

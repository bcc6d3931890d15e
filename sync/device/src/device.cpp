// DeviceShare: enrollment, plans and the approval queue. Sync (fetch, prepare, upload) is in
// device_sync.cpp. See device.hpp.
#include <algorithm>
#include <cstdio>

#include "cairn/base/files.hpp"
#include "cairn/device/device.hpp"
#include "cairn/base/json.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/uploader/spool.hpp"
#include "cairn/wire/json_key.hpp"
#include "detail.hpp"
#include "cairn/wire/plan_check.hpp"

namespace cairn::device {

using namespace wire;
namespace {

using json::Json;

Json endpoint_json(const Endpoint& e) { return Json{{"url", e.url}, {"box_key", crypto::to_base64(e.box_key)}}; }

Result<EnrollAnswer> enroll_at(Transport& t, const std::string& url, const std::string& body, const char* who) {
  auto r = t.post(url, "/v1/enroll", body, "application/json");
  if (!r.ok()) return r.error();
  if (r->status == 200 || r->status == 201) {
    auto a = parse_enroll_answer(r->body);
    if (!a.ok()) return make_error(Errc::corrupt, std::string("the ") + who + "'s answer: " + a.error().message);
    return a;
  }
  const Errc code = (r->status == 403 || r->status == 409) ? Errc::refused : Errc::network;
  return make_error(code, std::string("the ") + who + " refused the enrollment (HTTP " + std::to_string(r->status) + "): " + reply_error(*r));
}

}  // namespace

Result<std::optional<Enrollment>> load_enrollment(const store::Store& store) {
  auto text = CAIRN_TRY(store.setting(kEnrollmentSetting));
  if (!text) return std::optional<Enrollment>();
  auto j = CAIRN_TRY(json::parse_object(*text, "enrollment setting"));
  const char* what = "enrollment setting";
  Enrollment e;
  e.org = CAIRN_TRY(json::get_str(j, "org", what));
  e.team = CAIRN_TRY(json::get_str(j, "team", what));
  e.org_key = CAIRN_TRY(json_key<crypto::kSignPublicKeyBytes>(j, "org_key", what));
  for (auto [key, ep] : {std::pair{"leader", &e.leader}, std::pair{"helper", &e.helper}}) {
    auto ep_json = json::get_object(j, key, what);
    if (!ep_json.ok()) return make_error(Errc::corrupt, "enrollment setting: missing endpoint");
    ep->url = CAIRN_TRY(json::get_str(**ep_json, "url", what));
    ep->box_key = CAIRN_TRY(json_key<crypto::kBoxPublicKeyBytes>(**ep_json, "box_key", what));
  }
  e.enrolled = CAIRN_TRY(json::opt_int(j, "enrolled", 0, what));
  return std::optional<Enrollment>(e);
}

Result<std::size_t> carry_over(dp::Ledger& ledger, const std::vector<PriorRelease>& reported) {
  std::vector<const PriorRelease*> todo;
  for (const auto& r : reported) {
    bool have = false;
    for (const auto& e : ledger.entries())
      if (e.plan_id == r.plan_id && e.period == r.period) have = true;
    for (const auto* t : todo)
      if (t->plan_id == r.plan_id && t->period == r.period) have = true;
    if (!have) todo.push_back(&r);
  }
  std::sort(todo.begin(), todo.end(), [](const PriorRelease* a, const PriorRelease* b) { return a->time < b->time; });
  for (const auto* r : todo) {
    std::int64_t t = r->time;
    if (!ledger.entries().empty()) t = std::max(t, ledger.entries().back().time);
    auto c = ledger.charge(r->plan_id, r->period, r->cost, t);
    if (!c.ok())
      return make_error(c.error().code, "carrying your earlier reports (" + r->plan_id + " " + r->period +
                                            ") into this device's budget failed: " + c.error().message);
  }
  return todo.size();
}

Result<EnrollResult> enroll(store::Store& store, const crypto::SignKeyPair& device, const EnrollToken& token, Transport& transport,
                            dp::Ledger& ledger, std::int64_t now) {
  if (auto existing = CAIRN_TRY(load_enrollment(store)); existing && existing->org_key != token.org_key)
    return make_error(Errc::exists, "this device is enrolled with " + existing->org + "; one organization per device");
  const auto body = encode_enroll(make_enroll(token.secret, token.team, device));
  const auto leader = CAIRN_TRY(enroll_at(transport, token.leader.url, body, "leader"));
  const auto helper = CAIRN_TRY(enroll_at(transport, token.helper.url, body, "helper"));
  Json j{{"org", token.org},      {"team", token.team},      {"org_key", crypto::to_base64(token.org_key)},
         {"leader", endpoint_json(token.leader)}, {"helper", endpoint_json(token.helper)}, {"enrolled", now}};
  CAIRN_TRY(store.set_setting(kEnrollmentSetting, j.dump()));
  // The helper's list is the one the guarantee rests on (it holds every report it verified); the
  // leader's is taken too, and the union is carried: a cost charged twice is only conservative.
  std::vector<PriorRelease> all = helper.reported;
  all.insert(all.end(), leader.reported.begin(), leader.reported.end());
  EnrollResult out;
  out.replaced = leader.replaced || helper.replaced;
  out.carried = CAIRN_TRY(carry_over(ledger, all));
  return out;
}

namespace {

std::string eps(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string left_part(double left, double cap, std::string_view e) {
  return std::string(e) + " " + eps(std::max(left, 0.0)) + " of your " + eps(cap) + " left this year";
}

}  // namespace

std::string cost_line(const ReportDetail& d, std::string_view e) {
  const std::string per = std::string(e) + " " + eps(d.epsilon_release) + " for this report";
  if (d.charged) return per + " (charged); " + left_part(d.budget_left, d.cap_epsilon, e);
  if (d.report.state == "pending") return per + " if you approve it; " + left_part(d.budget_left, d.cap_epsilon, e) + " after it";
  return "nothing for this report (" + d.report.state + ": nothing left this device); " + left_part(d.budget_left, d.cap_epsilon, e);
}

Result<double> report_epsilon(const Plan& plan, const dp::Ledger& ledger) {
  const auto checked = CAIRN_TRY(check_plan(plan));
  return dp::epsilon_for_delta(dp::rdp_curve(checked.cost), ledger.cap().delta);
}

std::string plan_cost_line(const Plan& plan, const dp::Ledger& ledger, std::int64_t now, std::string_view e) {
  const double left = ledger.cap().epsilon - ledger.spent_epsilon(now);
  auto per = report_epsilon(plan, ledger);
  if (!per.ok()) return "this device refuses the plan: " + per.error().message;
  std::string line = std::string(e) + " " + eps(*per) + " per report";
  if (plan.budget.scope == dp::BudgetScope::per_year) {
    if (auto c = dp::parse_cadence(plan.cadence); c.ok())
      line += " (the plan's " + std::string(e) + " " + eps(plan.budget.epsilon) + " is per year, over " +
              std::to_string(dp::releases_per_year(*c)) + " " + plan.cadence + "ly reports)";
  }
  return line + "; " + left_part(left, ledger.cap().epsilon, e);
}

std::string guarantee_line(const ReportDetail& d) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "Your values are protected by noise each aggregator adds: ε = %.2f for this year as long as at least "
                "one of the two aggregators follows the protocol.",
                d.spent_after);
  return buf;
}

DeviceShare::DeviceShare(store::Store& store, const crypto::SignKeyPair& device, dp::Ledger& ledger, Transport& transport,
                         const Clock& clock, std::filesystem::path outbox)
    : store_(store), device_(device), ledger_(ledger), transport_(transport), clock_(clock), outbox_(std::move(outbox)) {}

Result<Enrollment> DeviceShare::enrollment() {
  auto e = CAIRN_TRY(load_enrollment(store_));
  if (!e) return make_error(Errc::not_found, "this device is not enrolled (run `cairn enroll TOKEN` with the token from your organization)");
  return *e;
}

Result<std::vector<PlanView>> DeviceShare::plans() {
  std::vector<PlanView> out;
  for (const auto& row : CAIRN_TRY(store_.plans())) {
    auto sp = parse_signed_plan(row.body);
    if (!sp.ok()) continue;  // stored plans were verified on arrival; a damaged one is skipped
    out.push_back({std::move(sp->plan), row.state, row.updated});
  }
  return out;
}

Result<std::optional<PlanView>> DeviceShare::find_plan(const std::string& plan_id) {
  for (auto& p : CAIRN_TRY(plans()))
    if (p.plan.id == plan_id) return std::optional<PlanView>(std::move(p));
  return std::optional<PlanView>();
}

Status DeviceShare::join(const std::string& plan_id) {
  auto p = CAIRN_TRY(find_plan(plan_id));
  if (!p) return make_error(Errc::not_found, "no plan " + plan_id + " (run `cairn share sync` to fetch plans)");
  for (const auto& row : CAIRN_TRY(store_.plans())) {
    if (row.plan_id != plan_id) continue;
    if (row.state == "joined") return {};  // joining again keeps the time it was joined
    return store_.put_plan({plan_id, "joined", row.body, clock_.now()});
  }
  return {};
}

Status DeviceShare::leave(const std::string& plan_id) {
  for (const auto& row : CAIRN_TRY(store_.plans()))
    if (row.plan_id == plan_id) return store_.put_plan({plan_id, "declined", row.body, clock_.now()});
  return make_error(Errc::not_found, "no plan " + plan_id);
}

Result<std::vector<store::SharedReport>> DeviceShare::pending_reports() {
  std::vector<store::SharedReport> out;
  for (auto& r : CAIRN_TRY(store_.shared_reports()))
    if (r.state == "pending") out.push_back(std::move(r));
  return out;
}

Result<std::vector<store::SharedReport>> DeviceShare::history() { return store_.shared_reports(); }

Result<ReportDetail> DeviceShare::report_detail(const std::string& report_id) {
  auto r = CAIRN_TRY(store_.shared_report(report_id));
  if (!r) return make_error(Errc::not_found, "no report " + report_id + " (see `cairn share list`)");
  ReportDetail d;
  d.report = *r;
  CAIRN_TRY(read_detail(r->detail, d));
  const json::Json j = detail_object(r->detail);
  // Reports prepared before charges moved to approval carry no "charged": they were charged when
  // prepared, whatever happened to them since.
  d.charged = CAIRN_TRY(detail_charged(j));
  // The year as it is now, and, for a pending report, as it would be with it.
  const auto now = clock_.now();
  d.cap_epsilon = ledger_.cap().epsilon;
  d.spent_after = ledger_.spent_epsilon(now);
  if (r->state == "pending" && !d.charged) {
    const auto at = CAIRN_TRY(detail_charged_at(j, now));
    if (auto pv = find_plan(r->plan_id); pv.ok() && *pv)
      if (auto checked = check_plan((*pv)->plan); checked.ok())
        d.spent_after = ledger_.check(checked->cost, std::max(now, at)).after_epsilon;
  }
  d.budget_left = d.cap_epsilon - d.spent_after;
  d.envelope.assign(r->envelope.begin(), r->envelope.end());
  d.bytes = d.envelope.size();
  return d;
}

Status DeviceShare::approve(const std::string& report_id) {
  auto r = CAIRN_TRY(store_.shared_report(report_id));
  if (!r) return make_error(Errc::not_found, "no report " + report_id + " (see `cairn share list`)");
  if (r->state != "pending") return make_error(Errc::usage, "report " + report_id + " is " + r->state + ", not pending");
  Json detail = detail_object(r->detail);
  std::string envelope = r->envelope;
  // Prepared for a charge at approval ("charged": false): the period must still be open, then the
  // ledger is charged (refused over the cap) and the envelope carries the chain's new head. A
  // report prepared before that (no "charged") was charged when it was prepared.
  if (!CAIRN_TRY(detail_charged(detail))) {
    auto pv = CAIRN_TRY(find_plan(r->plan_id));
    if (!pv) return make_error(Errc::not_found, "plan " + r->plan_id + " of report " + report_id + " is no longer on this device");
    if (auto open = period_open(pv->plan, r->period); !open.ok()) {
      if (open.error().code != Errc::refused) return open.error();
      r->state = "refused";
      r->decided = clock_.now();
      r->envelope.clear();  // nothing was charged and nothing will leave
      detail["upload"] = {{"attempts", 0}, {"last_error", open.error().message}};
      r->detail = detail.dump();
      CAIRN_TRY(store_.put_shared_report(*r));
      return make_error(Errc::refused, open.error().message + "; nothing was charged or sent");
    }
    const std::int64_t at = CAIRN_TRY(detail_charged_at(detail, clock_.now()));
    auto c = CAIRN_TRY(charge_report(pv->plan, r->period, crypto::as_bytes(r->envelope), ledger_, device_, at));
    envelope.assign(c.envelope.begin(), c.envelope.end());
    detail["charged"] = true;
    detail["ledger_length"] = c.entry.seq + 1;
    detail["spent_after"] = ledger_.spent_epsilon(clock_.now());
  }
  // Into the spool first: once the store says approved, the bytes are already queued. The leader's
  // address goes beside them for the keyless uploader.
  if (auto e = load_enrollment(store_); e.ok() && *e) CAIRN_TRY(uploader::write_destination(outbox_, {(*e)->leader.url}));
  CAIRN_TRY(uploader::spool_envelope(outbox_, report_id, crypto::as_bytes(envelope)));
  r->state = "approved";
  r->decided = clock_.now();
  r->envelope = envelope;
  r->detail = detail.dump();
  return store_.put_shared_report(*r);
}

Status DeviceShare::decline(const std::string& report_id) {
  auto r = CAIRN_TRY(store_.shared_report(report_id));
  if (!r) return make_error(Errc::not_found, "no report " + report_id + " (see `cairn share list`)");
  if (r->state != "pending") return make_error(Errc::usage, "report " + report_id + " is " + r->state + ", not pending");
  r->state = "declined";
  r->decided = clock_.now();
  r->envelope.clear();  // the bytes can never leave now; nothing was charged for them
  CAIRN_TRY(store_.put_shared_report(*r));
  return uploader::drop_waiting(outbox_, report_id);
}

}  // namespace cairn::device

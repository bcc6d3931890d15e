// DeviceShare::sync: fetch plans (organization signature, pinned keys, the leader's closed
// periods), prepare due reports (values -> cap check -> shares -> envelope, held as pending and
// uncharged), reconcile the spool with the store and send it with the keyless uploader's run.
// See device.hpp.
#include <algorithm>
#include <cctype>
#include <optional>

#include "cairn/base/files.hpp"
#include "cairn/device/compute.hpp"
#include "cairn/uploader/spool.hpp"
#include "cairn/uploader/upload.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/device/device.hpp"
#include "cairn/device/report.hpp"
#include "cairn/wire/plan_check.hpp"
#include "detail.hpp"

namespace cairn::device {

using namespace wire;
namespace {

using json::Json;

std::optional<metrics::Cadence> cadence_of(const Plan& p) { return metrics::cadence_from_name(p.cadence); }

// Percent-encoding of a query value (the team name is chosen by the organization).
std::string query_escape(const std::string& v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

constexpr std::size_t kMaxClosedPeriods = 4096;

// The leader's "closed" list in its plan answer: [{"plan": "...", "period": "..."}, ...] for the
// listed plans (absent from leaders before it was added: then only the report window counts).
std::optional<Json> closed_from_answer(const Json& answer, const std::vector<std::string>& plan_ids) {
  if (!answer.contains("closed") || !answer["closed"].is_array()) return std::nullopt;
  Json out = Json::object();
  std::size_t n = 0;
  for (const auto& c : answer["closed"]) {
    if (!c.is_object() || !c.contains("plan") || !c.contains("period") || !c["plan"].is_string() || !c["period"].is_string()) continue;
    const auto plan = c["plan"].get<std::string>(), period = c["period"].get<std::string>();
    if (period.empty() || period.size() > 32 || std::find(plan_ids.begin(), plan_ids.end(), plan) == plan_ids.end()) continue;
    if (++n > kMaxClosedPeriods) break;
    out[plan].push_back(period);
  }
  return out;
}

}  // namespace

Result<SyncSummary> DeviceShare::fetch_plans() {
  auto e = CAIRN_TRY(enrollment());
  SyncSummary s;
  auto r = CAIRN_TRY(transport_.get(e.leader.url, "/v1/plans?team=" + query_escape(e.team)));
  if (r.status != 200) return make_error(Errc::network, "the leader did not list plans (HTTP " + std::to_string(r.status) + "): " + reply_error(r));
  auto j = json::parse_object(r.body, "the leader's plan list");
  const auto list = j.ok() ? json::get_array(*j, "plans", "the leader's plan list") : Result<const Json*>(j.error());
  if (!list.ok()) return make_error(Errc::corrupt, "the leader's plan list is malformed");
  auto stored = CAIRN_TRY(store_.plans());
  std::vector<std::string> team_plans;
  for (const auto& item : **list) {
    auto as_text = json::as_str(item, "a listed plan", std::string::npos);
    if (!as_text.ok()) continue;  // not a plan: skipped, as before
    const auto text = std::move(as_text).value();
    auto sp = parse_signed_plan(text);
    if (!sp.ok()) {
      ++s.plans_refused;
      s.notes.push_back("refused a plan: " + sp.error().message);
      continue;
    }
    const auto& p = sp->plan;
    if (p.org_key != e.org_key || p.leader.box_key != e.leader.box_key || p.helper.box_key != e.helper.box_key ||
        p.leader.url != e.leader.url) {
      ++s.plans_refused;
      s.notes.push_back("refused plan " + p.id + ": it is not signed by " + e.org + "'s pinned key or names other aggregators");
      continue;
    }
    if (p.team != e.team) continue;
    team_plans.push_back(p.id);
    bool known = false;
    for (const auto& row : stored)
      if (row.plan_id == p.id) {
        known = true;
        if (row.body != text) s.notes.push_back("plan " + p.id + " was changed after you saw it; the change is ignored");
      }
    if (known) continue;
    CAIRN_TRY(store_.put_plan({p.id, "offered", text, clock_.now()}));
    ++s.plans_new;
    s.notes.push_back("new plan " + p.id + ": " + p.purpose + " (join with `cairn share join " + p.id + "`)");
  }
  if (auto closed = closed_from_answer(*j, team_plans)) CAIRN_TRY(store_.set_setting(kClosedPeriodsSetting, closed->dump()));
  return s;
}

Result<std::vector<std::string>> DeviceShare::closed_periods() {
  std::vector<std::string> out;
  auto text = CAIRN_TRY(store_.setting(kClosedPeriodsSetting));
  if (!text) return out;
  auto j = json::parse_object(*text, "the closed periods");
  if (!j.ok()) return out;  // unreadable: the next plan fetch writes it again
  for (const auto& [plan, periods] : j->items()) {
    if (!periods.is_array()) continue;
    for (const auto& p : periods)
      if (p.is_string()) out.push_back(plan + "\n" + p.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status DeviceShare::period_open(const Plan& plan, const std::string& label) {
  CAIRN_TRY(report_period(plan, label, clock_.now()));
  const auto closed = CAIRN_TRY(closed_periods());
  if (std::binary_search(closed.begin(), closed.end(), plan.id + "\n" + label))
    return make_error(Errc::refused, "the organisation has closed period " + label + " of plan " + plan.id);
  return ok_status();
}

Status DeviceShare::prepare_one(const Plan& plan, const std::string& label, SyncSummary& s) {
  auto cadence = cadence_of(plan);
  if (!cadence) return make_error(Errc::corrupt, "plan " + plan.id + " has an unknown cadence");
  auto period = CAIRN_TRY(report_period(plan, label, clock_.now()));
  std::vector<const metrics::Metric*> ms;
  std::vector<std::int64_t> values;
  for (const auto& pm : plan.metrics) {
    const auto* m = metrics::find(pm.name);
    if (!m) return make_error(Errc::refused, "plan " + plan.id + " asks for " + pm.name + ", which is not in this device's catalog");
    ms.push_back(m);
    auto v = CAIRN_TRY(compute_encoded(store_, *m, period));
    values.insert(values.end(), v.begin(), v.end());
  }
  auto rep = CAIRN_TRY(prepare_report(plan, period.label, values, ledger_, device_, clock_.now()));
  Json lines = Json::array();
  std::size_t c = 0;
  for (const auto* m : ms)
    for (std::uint32_t j = 0; j < m->spec.coordinates; ++j, ++c) {
      const double scale = static_cast<double>(m->spec.scale);
      lines.push_back({{"metric", m->name},
                       {"coordinate", j < m->coordinate_names.size() ? m->coordinate_names[j] : m->name},
                       {"unit", m->spec.unit},
                       {"encoded", rep.values[c]},
                       {"value", static_cast<double>(rep.values[c]) / scale}});
    }
  Json noise = Json::array();
  for (const auto& n : rep.noise)
    noise.push_back({{"metric", n.metric}, {"unit", n.unit}, {"sigma2", n.sigma2_per_layer.to_string()},
                     {"sum_sd", n.sum_sd_units}, {"mean_se", n.mean_se_units}});
  Json detail{{"purpose", plan.purpose},
              {"team", plan.team},
              {"values", lines},
              {"noise", noise},
              {"k", plan.k},
              {"charged_at", rep.charged_at},
              {"epsilon_release", rep.epsilon_release},
              {"spent_after", rep.spent_after},
              {"cap_epsilon", rep.cap_epsilon},
              {"ledger_length", rep.ledger.length},
              {"charged", false},
              {"upload", {{"attempts", 0}, {"last_error", ""}}}};
  store::SharedReport sr;
  sr.report_id = rep.report_id;
  sr.plan_id = plan.id;
  sr.period = period.label;
  sr.state = "pending";
  sr.created = clock_.now();
  sr.detail = detail.dump();
  sr.envelope.assign(rep.envelope.begin(), rep.envelope.end());
  CAIRN_TRY(store_.put_shared_report(sr));
  ++s.prepared;
  s.notes.push_back("report " + sr.report_id + " for " + plan.id + " " + period.label +
                    " is waiting for you: `cairn share show " + sr.report_id + "`");
  return {};
}

Result<SyncSummary> DeviceShare::prepare_due(const std::optional<std::string>& period) {
  SyncSummary s;
  auto reports = CAIRN_TRY(store_.shared_reports());
  const auto closed = CAIRN_TRY(closed_periods());
  for (const auto& pv : CAIRN_TRY(plans())) {
    if (pv.state != "joined") continue;
    auto cadence = cadence_of(pv.plan);
    if (!cadence) continue;
    std::string label;
    if (period) {
      label = *period;
    } else {
      const auto now = clock_.now();
      auto current = metrics::period_containing(*cadence, local_day(now, clock_.utc_offset(now)));
      label = metrics::period_containing(*cadence, current.first_day - 1).label;  // the last complete one
    }
    bool done = false;
    for (const auto& r : reports)
      if (r.plan_id == pv.plan.id && r.period == label) done = true;
    for (const auto& e : ledger_.entries())  // reported already, here or (carried over) on another device
      if (e.plan_id == pv.plan.id && e.period == label) done = true;
    if (done) continue;
    // Only periods the employee could approve: none that ended before the plan was joined, none
    // the organisation has closed, and (unless asked for) not the one the plan was joined in.
    if (auto parsed = metrics::parse_period(*cadence, label); parsed.ok()) {
      const std::int64_t start = parsed->first_day * 86400, end = period_end_time(*parsed);
      if (end <= pv.since) {
        if (period) {
          ++s.refused;
          s.notes.push_back("plan " + pv.plan.id + " " + label + " ended before you joined the plan; no report");
        }
        continue;
      }
      if (!period && start < pv.since) {
        s.notes.push_back("plan " + pv.plan.id + ": you joined during " + label +
                          ", so your first report is for the period after it");
        continue;
      }
      if (std::binary_search(closed.begin(), closed.end(), pv.plan.id + "\n" + label)) {
        ++s.refused;
        s.notes.push_back("plan " + pv.plan.id + " " + label + " is closed by the organisation; no report");
        continue;
      }
    }
    if (auto st = prepare_one(pv.plan, label, s); !st.ok()) {
      if (st.error().code == Errc::refused) {
        ++s.refused;
        s.notes.push_back(st.error().message);
        continue;
      }
      return st.error();
    }
  }
  return s;
}

Result<ReconcileSummary> DeviceShare::reconcile_outbox() {
  ReconcileSummary s;
  // Waiting first, then the receipts: an envelope the uploader moves meanwhile is then seen in
  // both lists (recorded as sent), never in neither (which would queue it again).
  const auto waiting = CAIRN_TRY(uploader::waiting_ids(outbox_));
  const auto sent = CAIRN_TRY(uploader::sent_receipts(outbox_));
  const auto refused = CAIRN_TRY(uploader::refused_receipts(outbox_));
  const auto closed = CAIRN_TRY(closed_periods());
  std::vector<std::string> handled;
  for (const auto& rc : sent) {
    if (auto r = CAIRN_TRY(store_.shared_report(rc.report_id)); r && (r->state == "approved" || r->state == "pending")) {
      Json detail = detail_object(r->detail);
      detail["upload"] = {{"last_error", ""}};
      r->detail = detail.dump();
      r->state = "uploaded";
      r->uploaded = clock_.now();
      CAIRN_TRY(store_.put_shared_report(*r));
      ++s.uploaded;
    }
    CAIRN_TRY(uploader::forget_receipt(outbox_, rc.report_id));
    handled.push_back(rc.report_id);
  }
  for (const auto& rc : refused) {
    if (auto r = CAIRN_TRY(store_.shared_report(rc.report_id)); r && (r->state == "approved" || r->state == "pending")) {
      Json detail = detail_object(r->detail);
      detail["upload"] = {{"last_error", rc.reason}};
      r->detail = detail.dump();
      r->state = "refused";
      CAIRN_TRY(store_.put_shared_report(*r));
      ++s.refused;
      s.notes.push_back("report " + rc.report_id + " was refused: " + rc.reason);
    }
    CAIRN_TRY(uploader::forget_receipt(outbox_, rc.report_id));
    handled.push_back(rc.report_id);
  }
  auto has = [](const std::vector<std::string>& v, const std::string& id) { return std::find(v.begin(), v.end(), id) != v.end(); };
  bool any_approved = false;
  for (auto& r : CAIRN_TRY(store_.shared_reports())) {
    if (r.state == "approved" && !has(waiting, r.report_id) && !has(handled, r.report_id) && !r.envelope.empty()) {
      // An approval that crashed between the spool and the store, or a spool lost: the store's
      // "approved" is the promise, the file is made again from the stored bytes.
      CAIRN_TRY(uploader::spool_envelope(outbox_, r.report_id, crypto::as_bytes(r.envelope)));
      ++s.respooled;
    }
    any_approved = any_approved || r.state == "approved";
    // A pending report (uncharged) whose period the organisation closed before the employee decided.
    if (r.state == "pending") {
      const Json detail_read = detail_object(r.detail);
      if (CAIRN_TRY(detail_charged(detail_read))) continue;
      Json detail = detail_read;
      // Only the leader's word expires it here; the report window is checked at approval.
      if (!std::binary_search(closed.begin(), closed.end(), r.plan_id + "\n" + r.period)) continue;
      const std::string why = "the organisation has closed period " + r.period + " of plan " + r.plan_id;
      detail["upload"] = {{"attempts", 0}, {"last_error", why}};
      r.detail = detail.dump();
      r.state = "refused";
      r.decided = clock_.now();
      r.envelope.clear();
      CAIRN_TRY(store_.put_shared_report(r));
      ++s.refused;
      s.notes.push_back("report " + r.report_id + " expired before you decided (" + why + "); nothing was charged or sent");
    }
  }
  for (const auto& id : waiting) {
    auto r = CAIRN_TRY(store_.shared_report(id));
    // Pending: an approval may be between its spool write and its store write; leave it.
    if (r && (r->state == "approved" || r->state == "pending")) continue;
    CAIRN_TRY(uploader::drop_waiting(outbox_, id));  // nothing approved to send under this name
    ++s.dropped;
  }
  if (any_approved)
    if (auto e = load_enrollment(store_); e.ok() && *e) CAIRN_TRY(uploader::write_destination(outbox_, {(*e)->leader.url}));
  return s;
}

Result<SyncSummary> DeviceShare::upload_outbox() {
  auto e = CAIRN_TRY(enrollment());
  SyncSummary s;
  CAIRN_TRY(fs::ensure_private_dir(outbox_));
  CAIRN_TRY(uploader::write_destination(outbox_, {e.leader.url}));
  auto before = CAIRN_TRY(reconcile_outbox());
  // The same run as the keyless `cairn-upload`, under the same lock: the two never send at once.
  auto run = CAIRN_TRY(uploader::upload_spool(outbox_, transport_, clock_, {retry_.attempts, retry_.first_delay_ms}));
  auto after = CAIRN_TRY(reconcile_outbox());
  s.uploaded = before.uploaded + after.uploaded;
  s.refused = before.refused + after.refused;
  s.queued = run.waiting;
  // The run's own notes name this run's refusals; `after` would repeat them.
  for (const auto* n : {&before.notes, &run.notes}) s.notes.insert(s.notes.end(), n->begin(), n->end());
  return s;
}

Result<SyncSummary> DeviceShare::sync(const std::optional<std::string>& period) {
  SyncSummary total;
  auto merge = [&](const SyncSummary& s) {
    total.plans_new += s.plans_new;
    total.plans_refused += s.plans_refused;
    total.prepared += s.prepared;
    total.uploaded += s.uploaded;
    total.queued += s.queued;
    total.refused += s.refused;
    total.notes.insert(total.notes.end(), s.notes.begin(), s.notes.end());
  };
  // Offline: plans cannot be fetched, but reports can still be prepared and stay queued.
  auto f = fetch_plans();
  if (f.ok()) merge(*f);
  else if (f.error().code == Errc::network) total.notes.push_back("offline: " + f.error().message);
  else return f.error();
  merge(CAIRN_TRY(prepare_due(period)));
  merge(CAIRN_TRY(upload_outbox()));
  // Last, and never fatal: the team results of the plans reported to (nothing to send for them).
  if (f.ok()) merge(CAIRN_TRY(fetch_team_results()));
  return total;
}

}  // namespace cairn::device

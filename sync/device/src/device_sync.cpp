// DeviceShare::sync: fetch plans (organization signature, pinned keys), prepare due reports
// (values -> ledger charge -> noise -> shares -> envelope, held as pending), upload the outbox
// with retry and backoff. See device.hpp.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>

#include "cairn/base/files.hpp"
#include "cairn/device/compute.hpp"
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

bool transient(int status) { return status == 0 || status == 408 || status == 429 || status >= 500; }

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
  return s;
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

Result<SyncSummary> DeviceShare::upload_outbox() {
  auto e = CAIRN_TRY(enrollment());
  SyncSummary s;
  CAIRN_TRY(fs::ensure_private_dir(outbox_));
  // An approval that crashed between the outbox and the store, or an outbox lost: the store's
  // "approved" state is the promise, the file is re-made from the stored bytes.
  for (const auto& r : CAIRN_TRY(store_.shared_reports()))
    if (r.state == "approved" && !std::filesystem::exists(outbox_ / (r.report_id + ".env")))
      CAIRN_TRY(fs::write_file_atomic(outbox_ / (r.report_id + ".env"), crypto::as_bytes(r.envelope)));
  // The earliest report still awaiting the employee's decision: a later one must wait for it, or
  // approving it afterwards would be refused by the aggregators' ledger witness.
  std::optional<std::uint64_t> first_undecided;
  for (const auto& r : CAIRN_TRY(store_.shared_reports())) {
    if (r.state != "pending") continue;
    const auto len = CAIRN_TRY(detail_ledger_length(r.detail));
    if (!first_undecided || len < *first_undecided) first_undecided = len;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(outbox_))
    if (f.path().extension() == ".env") files.push_back(f.path());
  // Upload in ledger order: the helper witnesses that each device's chain only grows, so a report
  // prepared later (longer chain) must not reach it before one prepared earlier.
  std::vector<std::pair<std::uint64_t, std::filesystem::path>> ordered;
  for (const auto& f : files) {
    auto rep = CAIRN_TRY(store_.shared_report(f.stem().string()));
    std::uint64_t len = 0;
    if (rep) len = CAIRN_TRY(detail_ledger_length(rep->detail));
    ordered.push_back({len, f});
  }
  std::sort(ordered.begin(), ordered.end());
  bool earlier_queued = false;  // an earlier report could not be sent: later ones wait behind it
  for (const auto& [len, f] : ordered) {
    const auto id = f.stem().string();
    auto rep = CAIRN_TRY(store_.shared_report(id));
    if (!rep || rep->state != "approved") {
      (void)fs::shred_file(f);  // nothing approved to send under this name
      continue;
    }
    if (earlier_queued || (first_undecided && *first_undecided < len)) {
      ++s.queued;
      s.notes.push_back("report " + id + " waits: " +
                        (earlier_queued ? std::string("an earlier report is still queued")
                                        : std::string("an earlier report awaits your decision (approve or decline it first)")));
      continue;
    }
    auto body = CAIRN_TRY(fs::read_file(f, kMaxEnvelopeBytes));
    const std::string text(body.begin(), body.end());
    std::string last_error, last_answer;
    int status = 0;
    int delay = retry_.first_delay_ms;
    for (int attempt = 0; attempt < retry_.attempts; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        delay *= 4;
      }
      auto r = transport_.post(e.leader.url, "/v1/reports", text, "application/octet-stream");
      if (!r.ok()) {
        status = 0;
        last_error = r.error().message;
        continue;
      }
      status = r->status;
      last_error = reply_error(*r);
      last_answer = r->body;
      if (!transient(status)) break;
    }
    Json detail = detail_object(rep->detail);
    const int attempts = CAIRN_TRY(detail_upload_attempts(detail));
    // Uploaded only when the leader's answer says BOTH aggregators hold the report ("held_by");
    // a retry of a report one side already holds gets the same answer (200 or 201).
    bool accepted = false;
    if (status == 200 || status == 201) {
      auto a = parse_upload_answer(last_answer);
      accepted = a.ok() && a->both_hold();
      if (!accepted) {
        status = 503;  // stored by one side only, or an answer we cannot read: retry later
        last_error = a.ok() ? "the leader holds it but not yet the helper" : a.error().message;
      }
    }
    if (accepted) {
      rep->state = "uploaded";
      rep->uploaded = clock_.now();
      detail["upload"] = {{"attempts", attempts + 1}, {"last_error", ""}};
      ++s.uploaded;
    } else if (transient(status)) {
      detail["upload"] = {{"attempts", attempts + 1}, {"last_error", last_error}};
      earlier_queued = true;
      ++s.queued;
      s.notes.push_back("report " + id + " stays queued: " + last_error);
    } else {
      rep->state = "refused";
      detail["upload"] = {{"attempts", attempts + 1}, {"last_error", last_error}, {"status", status}};
      ++s.refused;
      s.notes.push_back("report " + id + " was refused (HTTP " + std::to_string(status) + "): " + last_error);
    }
    rep->detail = detail.dump();
    CAIRN_TRY(store_.put_shared_report(*rep));
    if (rep->state != "approved") (void)fs::shred_file(f);
  }
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
  return total;
}

}  // namespace cairn::device

// What an operator reads about the aggregator's state without any value in it: `plan list` (each
// plan and the periods released), `status` (enrolled devices per team, reports received per open
// period: counts only), and when a period ends (`release` refuses one that has not).
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/plan_check.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

Result<metrics::Period> period_of(const wire::Plan& plan, const std::string& label) {
  auto cadence = metrics::cadence_from_name(plan.cadence);
  if (!cadence) return make_error(Errc::corrupt, "plan " + plan.id + " has an unknown cadence");
  auto p = metrics::parse_period(*cadence, label);
  if (!p.ok() || !valid_period(plan.cadence, label))
    return make_error(Errc::usage, "period " + label + " does not fit the plan's cadence " + plan.cadence);
  return p;
}

}  // namespace

Result<std::int64_t> Aggregator::period_end(const std::string& plan_id, const std::string& period) {
  std::lock_guard lock(impl_->mu);
  auto plan = CAIRN_TRY(published_plan_locked(*impl_, plan_id));
  if (!plan) return make_error(Errc::not_found, "no published plan " + plan_id);
  const auto p = CAIRN_TRY(period_of(*plan, period));
  return wire::period_end_time(p);
}

Result<std::vector<Aggregator::PlanSummary>> Aggregator::list_plans() {
  std::lock_guard lock(impl_->mu);
  std::vector<PlanSummary> out;
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT plan_id, body, published FROM plans ORDER BY plan_id"));
  while (CAIRN_TRY(st.step())) {
    PlanSummary s;
    s.id = st.text(0);
    s.published = st.i64(2) != 0;
    auto sp = wire::parse_signed_plan(st.text(1));
    if (!sp.ok()) return make_error(Errc::corrupt, "stored plan " + s.id + " does not parse: " + sp.error().message);
    s.team = sp->plan.team;
    s.purpose = sp->plan.purpose;
    s.cadence = sp->plan.cadence;
    s.k = sp->plan.k;
    out.push_back(std::move(s));
  }
  auto rel = CAIRN_TRY(impl_->db.prepare("SELECT period FROM periods WHERE plan_id = ? AND state = 'released' ORDER BY period"));
  for (auto& s : out) {
    rel.reset();
    rel.bind(1, s.id);
    while (CAIRN_TRY(rel.step())) s.released.push_back(rel.text(0));
  }
  return out;
}

Result<Aggregator::Overview> Aggregator::overview() {
  std::lock_guard lock(impl_->mu);
  Overview o;
  auto dev = CAIRN_TRY(impl_->db.prepare("SELECT team, count(*) FROM devices WHERE replaced = 0 GROUP BY team ORDER BY team"));
  while (CAIRN_TRY(dev.step())) o.devices_by_team.emplace_back(dev.text(0), static_cast<std::uint32_t>(dev.i64(1)));
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT r.plan_id, r.period, count(*), p.state FROM reports r LEFT JOIN periods p ON p.plan_id = r.plan_id AND"
      " p.period = r.period WHERE p.state IS NULL OR p.state != 'released' GROUP BY r.plan_id, r.period ORDER BY 1, 2"));
  while (CAIRN_TRY(st.step())) {
    OpenPeriod op;
    op.plan_id = st.text(0);
    op.period = st.text(1);
    op.reports = static_cast<std::uint32_t>(st.i64(2));
    op.closing = st.type(3) != SQLITE_NULL;
    if (auto plan = CAIRN_TRY(published_plan_locked(*impl_, op.plan_id))) {
      op.k = plan->k;
      if (auto p = period_of(*plan, op.period); p.ok()) op.ends = wire::period_end_time(*p);
    }
    o.open.push_back(std::move(op));
  }
  return o;
}

}  // namespace cairn::aggregator

// The leader's release schedule (Aggregator::release_due): which periods are over, and releasing
// them one by one with the same release() an operator runs by hand.

#include "cairn/metrics/catalog.hpp"
#include "impl.hpp"

namespace cairn::aggregator {

Result<std::vector<Aggregator::DueRelease>> Aggregator::release_due(std::int64_t now, std::int64_t grace_seconds) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "the leader releases results");
  std::vector<std::pair<std::string, std::string>> due;
  {
    std::lock_guard lock(impl_->mu);
    auto st = CAIRN_TRY(impl_->db.prepare(
        "SELECT DISTINCT r.plan_id, r.period FROM reports r WHERE NOT EXISTS (SELECT 1 FROM periods p WHERE"
        " p.plan_id = r.plan_id AND p.period = r.period AND p.state = 'released') ORDER BY 1, 2"));
    while (CAIRN_TRY(st.step())) {
      const std::string plan_id = st.text(0), label = st.text(1);
      auto plan = CAIRN_TRY(published_plan_locked(*impl_, plan_id));
      if (!plan) continue;
      auto cadence = metrics::cadence_from_name(plan->cadence);
      if (!cadence) continue;
      auto period = metrics::parse_period(*cadence, label);
      if (!period.ok()) continue;
      const std::int64_t ends = (period->last_day + 1) * 86400;
      if (ends + grace_seconds <= now) due.emplace_back(plan_id, label);
    }
  }
  std::vector<DueRelease> out;
  for (const auto& [plan_id, label] : due) {
    auto r = release(plan_id, label);
    if (r.ok()) out.push_back({plan_id, label, true, "n = " + std::to_string(r->n)});
    else out.push_back({plan_id, label, false, r.error().message});
  }
  return out;
}

}  // namespace cairn::aggregator

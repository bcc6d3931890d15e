// The plan checks both sides share: see plan_check.hpp.
#include "cairn/wire/plan_check.hpp"

#include "cairn/metrics/catalog.hpp"

namespace cairn::wire {
namespace {

// a < b for two exact rationals (a.num * b.den < b.num * a.den in 128 bits).
bool less(const dp::Rational& a, const dp::Rational& b) {
  using u128 = unsigned __int128;
  return static_cast<u128>(a.num) * b.den < static_cast<u128>(b.num) * a.den;
}

}  // namespace

Result<PlanNoise> plan_noise(const Plan& plan) {
  PlanNoise out;
  auto cadence = dp::parse_cadence(plan.cadence);
  if (!cadence.ok()) return make_error(Errc::refused, "plan " + plan.id + ": " + cadence.error().message);
  out.cadence = *cadence;
  for (const auto& pm : plan.metrics) {
    const auto* m = metrics::find(pm.name);
    if (!m) return make_error(Errc::refused, "plan " + plan.id + " asks for " + pm.name + ", which is not in this device's catalog");
    if (m->spec.scale != pm.scale || m->spec.coordinates != pm.coordinates)
      return make_error(Errc::refused, "plan " + plan.id + ": metric " + pm.name +
                                           " is encoded differently from this device's catalog; update Cairn or ask the organization");
    out.specs.push_back(m->spec);
  }
  auto noise = dp::calibrate_aggregator_noise(out.specs, dp::releases_per_year(out.cadence), plan.budget);
  if (!noise.ok()) return make_error(Errc::refused, "plan " + plan.id + ": " + noise.error().message);
  out.required = std::move(*noise);
  return out;
}

Result<PlanNoise> check_plan(const Plan& plan) {
  auto out = CAIRN_TRY(plan_noise(plan));
  std::vector<dp::Rational> stated;
  for (std::size_t i = 0; i < plan.metrics.size(); ++i) {
    if (less(plan.metrics[i].sigma2, out.required.sigma2[i]))
      return make_error(Errc::refused, "plan " + plan.id + ": the noise it states for " + plan.metrics[i].name +
                                           " is below what its privacy budget needs; refusing it");
    stated.push_back(plan.metrics[i].sigma2);
  }
  out.cost = dp::aggregator_layer_cost(out.specs, stated);
  return out;
}

std::int64_t period_end_time(const metrics::Period& p) { return (p.last_day + 1) * 86400; }

Result<metrics::Period> report_period(const Plan& plan, const std::string& label, std::int64_t now) {
  auto cadence = metrics::cadence_from_name(plan.cadence);
  if (!cadence) return make_error(Errc::refused, "plan " + plan.id + " has an unknown cadence");
  auto p = CAIRN_TRY(metrics::parse_period(*cadence, label));
  constexpr std::int64_t kSlack = 14 * 3600;
  if (now < p.first_day * 86400 - kSlack)
    return make_error(Errc::refused, "period " + p.label + " of plan " + plan.id + " has not started yet");
  if (now > period_end_time(p) + kSlack + kReportGraceSeconds)
    return make_error(Errc::refused, "period " + p.label + " of plan " + plan.id +
                                         " is closed (reports are taken until 3 days after a period ends)");
  return p;
}

}  // namespace cairn::wire

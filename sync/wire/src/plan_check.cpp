// The plan checks both sides share: see plan_check.hpp.
#include "cairn/wire/plan_check.hpp"

namespace cairn::wire {

std::uint32_t releases_per_year(const std::string& cadence) {
  if (cadence == "week") return 52;
  if (cadence == "month") return 12;
  return 4;
}

Result<dp::Calibration> check_plan_calibration(const Plan& plan, std::span<const dp::MetricSpec> specs) {
  if (specs.size() != plan.metrics.size()) return make_error(Errc::internal, "plan and catalog specs differ in length");
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].scale != plan.metrics[i].scale || specs[i].coordinates != plan.metrics[i].coordinates)
      return make_error(Errc::refused, "plan " + plan.id + ": metric " + plan.metrics[i].name +
                                           " is encoded differently from this device's catalog; update Cairn or ask the organization");
  }
  auto cal = dp::calibrate_skellam(specs, releases_per_year(plan.cadence), plan.budget);
  if (!cal.ok()) return make_error(Errc::refused, "plan " + plan.id + ": " + cal.error().message);
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (!(cal->mu[i] == plan.metrics[i].mu))
      return make_error(Errc::refused, "plan " + plan.id + ": the noise it states for " + plan.metrics[i].name +
                                           " does not match its privacy budget; refusing it");
  return cal;
}

}  // namespace cairn::wire

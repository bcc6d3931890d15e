// Budget checks, cadences and the releases-per-year rule (see plan_budget.hpp).
#include "cairn/dp/plan_budget.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "cairn/dp/ledger.hpp"

namespace cairn::dp {

Status validate(const Budget& budget) {
  if (!(budget.epsilon > 0) || !std::isfinite(budget.epsilon)) {
    return make_error(Errc::usage, "the privacy budget epsilon must be a positive number");
  }
  if (!(budget.delta > 0 && budget.delta < 1)) return make_error(Errc::usage, "delta must be strictly between 0 and 1");
  return ok_status();
}

Status validate_plan(std::span<const MetricSpec> metrics, std::uint32_t releases_per_year, const Budget& budget) {
  if (metrics.empty()) return make_error(Errc::usage, "a plan needs at least one metric");
  if (releases_per_year == 0) return make_error(Errc::usage, "a plan needs at least one release per year");
  if (releases_per_year > 366) return make_error(Errc::usage, "more than one release a day is not supported");
  CAIRN_TRY(validate(budget));
  for (const auto& m : metrics) CAIRN_TRY(validate(m));
  return ok_status();
}

std::string_view cadence_name(Cadence c) {
  switch (c) {
    case Cadence::week: return "week";
    case Cadence::month: return "month";
    case Cadence::quarter: return "quarter";
  }
  std::abort();
}

Result<Cadence> parse_cadence(std::string_view name) {
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    if (name == cadence_name(c)) return c;
  }
  return make_error(Errc::usage, "cadence \"" + std::string(name.substr(0, 32)) + "\" is not week, month or quarter");
}

std::uint32_t releases_per_year(Cadence c) {
  switch (c) {
    case Cadence::week: return 53;
    case Cadence::month: return 13;
    case Cadence::quarter: return 5;
  }
  std::abort();
}

std::int64_t charge_time_tolerance_seconds(Cadence c) {
  // Shortest span of releases_per_year(c) + 1 consecutive period ends, minus the ledger's window:
  // 54 weeks end 371 days apart, 14 months at least 393 (one non-leap year and a February of 28),
  // 6 quarters at least 455 (one non-leap year and a Q1 of 90 days).
  constexpr std::int64_t kDay = 24 * 3600;
  switch (c) {
    case Cadence::week: return 371 * kDay - kBudgetWindowSeconds;
    case Cadence::month: return 393 * kDay - kBudgetWindowSeconds;
    case Cadence::quarter: return 455 * kDay - kBudgetWindowSeconds;
  }
  std::abort();
}

}  // namespace cairn::dp

// Computing a catalog metric for a period from the store: sums of day rollups (fast over years of
// data) and, for contributions by kind, the contributions themselves (rollups do not keep kinds).
#include <cmath>

#include "cairn/base/clock.hpp"
#include "cairn/device/compute.hpp"
#include "cairn/store/summary.hpp"

namespace cairn::device {
using namespace metrics;
namespace {

struct Totals {
  std::int64_t active = 0, focus = 0, meeting = 0, after_hours = 0, switches = 0;
  std::int64_t commits = 0, ai_commits = 0, contributions = 0, ai_contributions = 0;
};

Result<Totals> totals(const store::Store& store, const Period& p) {
  Totals t;
  for (const auto& r : CAIRN_TRY(store.rollups(p.first_day, p.last_day))) {
    t.active += r.active_seconds;
    t.focus += r.focus_seconds;
    t.meeting += r.meeting_seconds;
    t.after_hours += r.after_hours_seconds;
    t.switches += r.context_switches;
    t.commits += r.commits;
    t.ai_commits += r.ai_commits;
    t.contributions += r.contributions;
    t.ai_contributions += r.ai_contributions;
  }
  return t;
}

double ratio(std::int64_t num, std::int64_t den) { return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0; }

Result<std::vector<double>> by_kind(const store::Store& store, const Period& p) {
  // Offsets are within ±14 h, so contributions of the period's local days lie in this UTC window;
  // the local-day test then keeps exactly those the rollups would count.
  const records::Instant lo = p.first_day * 86400 - 14 * 3600, hi = (p.last_day + 1) * 86400 + 14 * 3600;
  std::vector<double> counts(4, 0.0);
  for (const auto& c : CAIRN_TRY(store.contributions(lo, hi))) {
    const std::int64_t day = local_day(c.time, c.utc_offset);
    if (day < p.first_day || day > p.last_day) continue;
    counts.at(static_cast<std::size_t>(c.kind)) += 1;
  }
  for (auto& v : counts) v /= weeks_in(p);
  return counts;
}

bool same_spec(const dp::MetricSpec& a, const dp::MetricSpec& b) {
  return a.name == b.name && a.unit == b.unit && a.scale == b.scale && a.clip_lo == b.clip_lo &&
         a.clip_hi == b.clip_hi && a.coordinates == b.coordinates;
}

// The catalog's own entry for `metric`, refusing look-alikes whose spec was changed: encoding with
// one range and calibrating with another would understate the sensitivity.
Result<const Metric*> own(const Metric& metric) {
  const Metric* m = CAIRN_TRY(lookup(metric.name));
  if (!same_spec(m->spec, metric.spec))
    return make_error(Errc::usage, "metric \"" + metric.name + "\" does not match the catalog's definition");
  return m;
}

Status check_period(const Period& p) {
  if (p.last_day < p.first_day || p.last_day - p.first_day > 92)
    return make_error(Errc::usage, "period \"" + p.label.substr(0, 32) + "\" has no valid day range");
  return ok_status();
}

}  // namespace

Result<std::vector<double>> compute(const store::Store& store, const Metric& metric, const Period& period) {
  const Metric* m = CAIRN_TRY(own(metric));
  CAIRN_TRY(check_period(period));
  if (m->name == "contributions_by_kind") return by_kind(store, period);
  const Totals t = CAIRN_TRY(totals(store, period));
  const double weeks = weeks_in(period);
  double v = 0;
  if (m->name == "focus_hours") {
    v = static_cast<double>(t.focus) / 3600.0 / weeks;
  } else if (m->name == "meeting_hours") {
    v = static_cast<double>(t.meeting) / 3600.0 / weeks;
  } else if (m->name == "context_switches_per_active_hour") {
    v = t.active > 0 ? static_cast<double>(t.switches) * 3600.0 / static_cast<double>(t.active) : 0.0;
  } else if (m->name == "ai_assisted_share") {
    v = ratio(t.ai_commits + t.ai_contributions, t.commits + t.contributions);
  } else if (m->name == "after_hours_share") {
    v = ratio(t.after_hours, t.active);
  } else {
    std::abort();  // a catalog entry without a computation: a bug caught by the catalog tests
  }
  return std::vector<double>{v};
}

Result<std::vector<std::int64_t>> compute_encoded(const store::Store& store, const Metric& metric,
                                                  const Period& period) {
  const auto values = CAIRN_TRY(compute(store, metric, period));
  std::vector<std::int64_t> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(metric.spec.encode(v));
  return out;
}

}  // namespace cairn::device

// The catalog's entries: meaning, unit, encoding and clip range of every metric a plan may request.
// Clip ranges are per week or cadence-free (see catalog.hpp); why each range: docs/privacy.md §10.
#include "cairn/metrics/catalog.hpp"

namespace cairn::metrics {
namespace {

Metric make(std::string name, std::string meaning, std::string unit, std::int64_t scale, double lo, double hi,
            std::vector<std::string> coordinates = {}) {
  Metric m;
  m.name = name;
  m.meaning = std::move(meaning);
  m.spec.name = std::move(name);
  m.spec.unit = std::move(unit);
  m.spec.scale = scale;
  m.spec.clip_lo = lo;
  m.spec.clip_hi = hi;
  m.coordinate_names = coordinates.empty() ? std::vector<std::string>{m.name} : std::move(coordinates);
  m.spec.coordinates = static_cast<std::uint32_t>(m.coordinate_names.size());
  return m;
}

std::vector<Metric> build() {
  std::vector<Metric> c;
  c.push_back(make("focus_hours",
                   "Hours per week spent in focus blocks: at least 25 minutes of active work with no break "
                   "(no idle time, no gap over 2 minutes, no chat or meeting application, no calendar meeting), "
                   "averaged over the weeks of the period.",
                   "hours per week", 60, 0, 40));
  c.push_back(make("meeting_hours", "Hours per week in calendar meetings, averaged over the weeks of the period.",
                   "hours per week", 60, 0, 40));
  c.push_back(make("context_switches_per_active_hour",
                   "How often the active application changed (between spans less than 2 minutes apart), per hour "
                   "of active desktop time over the period.",
                   "switches per active hour", 10, 0, 60));
  c.push_back(make("ai_assisted_share",
                   "Share of commits and logged contributions marked as AI-assisted (an AI co-author trailer on a "
                   "commit, or the AI-assisted flag on a contribution); 0 when there were none.",
                   "share", 1000, 0, 1));
  c.push_back(make("contributions_by_kind",
                   "Contributions logged per week, averaged over the weeks of the period, one number per impact "
                   "kind: impact, long-term value, system contribution, judgment.",
                   "contributions per week", 100, 0, 5, {"impact", "long-term", "system", "judgment"}));
  c.push_back(make("after_hours_share",
                   "Share of active desktop time before 08:00 or from 18:00 local time, or on a weekend; 0 when "
                   "there was no active time.",
                   "share", 1000, 0, 1));
  return c;
}

}  // namespace

const std::vector<Metric>& catalog() {
  static const std::vector<Metric> metrics = build();
  return metrics;
}

const Metric* find(const std::string& name) {
  for (const auto& m : catalog())
    if (m.name == name) return &m;
  return nullptr;
}

Result<const Metric*> lookup(const std::string& name) {
  if (const Metric* m = find(name)) return m;
  std::string known;
  for (const auto& m : catalog()) known += (known.empty() ? "" : ", ") + m.name;
  // Names come from a plan or a flag, not from the record: safe to echo (cut to stay one line).
  return make_error(Errc::usage, "unknown metric \"" + name.substr(0, 64) + "\" (the catalog has: " + known + ")");
}

Result<std::vector<dp::MetricSpec>> specs_for(const std::vector<std::string>& names) {
  std::vector<dp::MetricSpec> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) return make_error(Errc::usage, "metric \"" + names[i].substr(0, 64) + "\" is named twice");
    const Metric* m = CAIRN_TRY(lookup(names[i]));
    out.push_back(m->spec);
  }
  return out;
}

}  // namespace cairn::metrics

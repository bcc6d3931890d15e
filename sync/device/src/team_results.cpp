// DeviceShare::fetch_team_results and team_results: the released team figures of the plans this
// device reported to, beside what it sent (see team_results.hpp and device.hpp).
#include <algorithm>
#include <cstdio>
#include <map>

#include "cairn/base/json.hpp"
#include "cairn/base/text.hpp"
#include "cairn/device/device.hpp"
#include "cairn/wire/results.hpp"
#include "detail.hpp"

namespace cairn::device {
namespace {

using json::Json;

// The kept results: plan id -> the leader's answer for it, as parsed (unreadable: nothing kept).
std::map<std::string, std::vector<wire::TeamRelease>> kept_results(const std::optional<std::string>& text) {
  std::map<std::string, std::vector<wire::TeamRelease>> out;
  if (!text) return out;
  auto j = json::parse_object(*text, "the kept team results");
  if (!j.ok()) return out;  // the next sync writes it again
  for (const auto& [plan, answer] : j->items()) {
    if (!answer.is_string()) continue;
    auto parsed = wire::parse_results_answer(answer.get<std::string>());
    if (parsed.ok()) out.emplace(plan, std::move(*parsed));
  }
  return out;
}

}  // namespace

Result<SyncSummary> DeviceShare::fetch_team_results() {
  auto e = CAIRN_TRY(enrollment());
  SyncSummary s;
  std::vector<std::string> plans;  // those this device has a report uploaded to
  for (const auto& r : CAIRN_TRY(store_.shared_reports()))
    if (r.state == "uploaded" && std::find(plans.begin(), plans.end(), r.plan_id) == plans.end()) plans.push_back(r.plan_id);
  std::sort(plans.begin(), plans.end());
  auto kept = kept_results(CAIRN_TRY(store_.setting(kTeamResultsSetting)));
  bool changed = false;
  for (const auto& plan_id : plans) {
    const auto body = wire::encode_results_request(wire::make_results_request(plan_id, device_, clock_.now()));
    auto r = transport_.post(e.leader.url, "/v1/results", body, "application/json");
    if (!r.ok()) {
      s.notes.push_back("team results not fetched (offline): " + r.error().message);
      break;
    }
    if (r->status != 200) {
      s.notes.push_back("the leader did not give the team results of plan " + plan_id + " (HTTP " + std::to_string(r->status) +
                        "): " + wire::reply_error(*r));
      continue;
    }
    auto parsed = wire::parse_results_answer(r->body);
    if (!parsed.ok()) {
      s.notes.push_back("the leader's team results for plan " + plan_id + " are malformed: " + parsed.error().message);
      continue;
    }
    // Only this plan's periods (the leader answers for the plan asked; anything else is dropped).
    std::vector<wire::TeamRelease> mine;
    for (auto& t : *parsed)
      if (t.plan_id == plan_id) mine.push_back(std::move(t));
    const std::size_t before = kept.count(plan_id) ? kept[plan_id].size() : 0;
    if (mine.size() > before) s.notes.push_back("plan " + plan_id + ": " + count_text(mine.size() - before, "new team result", "new team results") +
                                                " (`cairn share results`)");
    kept[plan_id] = std::move(mine);
    changed = true;
  }
  if (changed) {
    Json out = Json::object();
    for (const auto& [plan, releases] : kept) out[plan] = wire::encode_results_answer(releases);
    CAIRN_TRY(store_.set_setting(kTeamResultsSetting, out.dump()));
  }
  return s;
}

Result<std::vector<TeamPeriodView>> DeviceShare::team_results() {
  const auto kept = kept_results(CAIRN_TRY(store_.setting(kTeamResultsSetting)));
  const auto reports = CAIRN_TRY(store_.shared_reports());
  std::map<std::string, std::string> purposes;
  for (const auto& pv : CAIRN_TRY(plans())) purposes[pv.plan.id] = pv.plan.purpose;
  std::vector<TeamPeriodView> out;
  for (const auto& [plan_id, releases] : kept) {
    std::vector<const wire::TeamRelease*> ordered;
    for (const auto& t : releases) ordered.push_back(&t);
    std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->period < b->period; });
    for (const auto* t : ordered) {
      TeamPeriodView v;
      v.plan_id = plan_id;
      v.purpose = purposes.count(plan_id) ? purposes[plan_id] : "";
      v.period = t->period;
      v.n = t->n;
      v.k = t->k;
      v.dropped = t->dropped;
      v.released = t->released;
      // This device's own report for the period, as sent: the clipped values, before any noise.
      ReportDetail own;
      for (const auto& r : reports)
        if (r.plan_id == plan_id && r.period == t->period && r.state == "uploaded") {
          CAIRN_TRY(read_detail(r.detail, own));
          v.reported = true;
        }
      for (const auto& tv : t->values) {
        TeamFigure f{tv, std::nullopt};
        for (const auto& line : own.values)
          if (line.metric == tv.metric && line.coordinate == tv.coordinate) f.own = line.value;
        v.figures.push_back(std::move(f));
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

TeamPeriodText team_period_text(const TeamPeriodView& v) {
  TeamPeriodText t;
  const std::string count = wire::release_count_text(v.n, v.k, v.dropped, v.released);
  t.count = v.released ? "team of " + count : count;
  if (v.released && !v.reported) t.note = "you did not report for this period";
  for (const auto& f : v.figures) {
    TeamFigureText line{wire::team_value_text(f.team), {}};
    if (f.own) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3f", *f.own);
      line.own = std::string("you sent ") + buf + " " + f.team.unit + " (what this device sent, before the aggregators' noise)";
    }
    t.figures.push_back(std::move(line));
  }
  return t;
}

std::string team_results_note() {
  return "The team figures carry both aggregators' noise; the interval covers that noise only, not who chose to report "
         "or ordinary variation from one period to the next. Your own values never left this device in the clear: each "
         "aggregator held one secret share of them.";
}

}  // namespace cairn::device

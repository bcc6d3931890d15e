// Reading released results: the annotations `results` adds (the preview's verdict for the released
// interval, the metric's clip range, a mean outside it flagged with the clamped estimate beside
// it), the human rendering `results` prints by default, and the leader's team results for the
// employees' devices (POST /v1/results, wire/results.hpp).
#include <algorithm>

#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/results.hpp"
#include "cairn/wire/results_text.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

constexpr double kZ95 = 1.96;  // the interval release() stores: mean ± 1.96 se

wire::TeamRelease team_release(const Release& r) {
  wire::TeamRelease t{r.plan_id, r.team, r.period, r.n, r.k, r.dropped, !r.values.empty(), {}};
  for (const auto& v : r.values)
    t.values.push_back({v.metric, v.coordinate, v.unit, v.mean, v.lo, v.hi, v.se, v.clip_lo, v.clip_hi,
                        std::string(dp::verdict_words(v.verdict)), v.verdict_sentence, v.out_of_range, v.clamped_mean});
  return t;
}

}  // namespace

void annotate_release(Release& r) {
  for (auto& v : r.values) {
    const auto* m = metrics::find(v.metric);
    if (m) {
      v.clip_lo = m->spec.clip_lo;
      v.clip_hi = m->spec.clip_hi;
    } else {  // a metric no longer in the catalog: no range to judge against
      v.clip_lo = v.lo;
      v.clip_hi = v.hi;
    }
    const double range = v.clip_hi - v.clip_lo;
    const double half = kZ95 * v.se;
    v.verdict = range > 0 ? dp::verdict_for(half, range) : dp::Verdict::too_noisy;
    v.verdict_sentence = dp::verdict_sentence(v.verdict, half, v.unit);
    v.out_of_range = m && (v.mean < v.clip_lo || v.mean > v.clip_hi);
    v.clamped_mean = std::clamp(v.mean, v.clip_lo, v.clip_hi);
  }
}

// The words are wire/results_text.hpp's: the employees' `share results` and panel say the same.
std::string render_results_text(const std::vector<Release>& releases) {
  if (releases.empty()) return "No released period for this plan yet.\n";
  std::string s;
  bool any_values = false, any_outside = false;
  for (const auto& r : releases) {
    const auto t = team_release(r);
    s += r.plan_id + ", team " + r.team + ", " + r.period + ": " + wire::release_count_text(t.n, t.k, t.dropped, t.released) + "\n";
    any_values = any_values || t.released;
    for (const auto& v : t.values) {
      const auto text = wire::team_value_text(v);
      s += "  " + text.figure + "\n    " + text.verdict + "\n";
      if (!text.outside.empty()) {
        any_outside = true;
        s += "    " + text.outside + "\n";
      }
    }
  }
  if (any_values) s += wire::noise_note() + "\n";
  if (any_outside) s += wire::outside_note() + "\n";
  return s;
}

// A device of the plan's team asks for the plan's released periods: signed by its enrolled key,
// within kResultsRequestSkewSeconds of the leader's clock. Only what `results` publishes.
Response handle_results(Aggregator::Impl& impl, const Request& r) {
  auto req = wire::parse_results_request(r.body);
  if (!req.ok()) {
    const int status = req.error().code == Errc::too_large ? 413 : req.error().message.find("signature") != std::string::npos ? 401 : 400;
    return error_response(status, req.error().message);
  }
  const std::int64_t now = now_of(impl);
  if (req->time < now - wire::kResultsRequestSkewSeconds || req->time > now + wire::kResultsRequestSkewSeconds)
    return error_response(401, "results request is not from the last 10 minutes (check the device's clock)");
  std::lock_guard lock(impl.mu);
  auto dev = impl.db.prepare("SELECT team, replaced FROM devices WHERE device_key = ?");
  if (!dev.ok()) return error_response(500, dev.error().message);
  dev->bind_blob(1, req->device_key);
  auto row = dev->step();
  if (!row.ok()) return error_response(500, row.error().message);
  if (!*row) return error_response(403, "device is not enrolled here");
  if (dev->i64(1)) return error_response(403, "device was replaced: its enrollment token was used again on another device");
  const std::string team = dev->text(0);
  auto plan = published_plan_locked(impl, req->plan_id);
  if (!plan.ok()) return error_response(500, plan.error().message);
  if (!*plan) return error_response(404, "no published plan " + req->plan_id);
  if ((*plan)->team != team) return error_response(403, "device is not enrolled in the plan's team");
  auto released = released_periods_locked(impl, req->plan_id, std::nullopt);
  if (!released.ok()) return error_response(500, released.error().message);
  std::vector<wire::TeamRelease> out;
  for (const auto& rel : *released) out.push_back(team_release(rel));
  return Response{200, wire::encode_results_answer(out)};
}

}  // namespace cairn::aggregator

// Closing a period: the leader's release (close at both sides, reconcile the two sets of reports,
// get the helper's noisy aggregate share, add its own, decode) and the helper's side of it;
// results and their renderings.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cairn/base/json.hpp"
#include "cairn/base/text.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/wire/envelope.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

using Json = nlohmann::json;

Json release_json(const Release& r) {
  Json values = Json::array();
  for (const auto& v : r.values)
    values.push_back({{"metric", v.metric}, {"coordinate", v.coordinate}, {"unit", v.unit}, {"noisy_sum", v.noisy_sum},
                      {"mean", v.mean}, {"noise_variance", v.noise_variance}, {"se", v.se}, {"ci95_lo", v.lo},
                      {"ci95_hi", v.hi}});
  return Json{{"plan", r.plan_id}, {"team", r.team}, {"period", r.period}, {"n", r.n}, {"k", r.k},
              {"dropped", r.dropped}, {"released", !r.values.empty()}, {"values", values}};
}

// A release as stored by release_json; Errc::corrupt when the stored text is not one.
Result<Release> release_from_text(const std::string& text) {
  constexpr const char* kWhat = "stored release";
  constexpr std::size_t kAny = std::string::npos;
  const auto j = CAIRN_TRY(json::parse_object(text, kWhat));
  Release r;
  r.plan_id = CAIRN_TRY(json::get_str(j, "plan", kWhat, kAny));
  r.team = CAIRN_TRY(json::get_str(j, "team", kWhat, kAny));
  r.period = CAIRN_TRY(json::get_str(j, "period", kWhat, kAny));
  r.n = static_cast<std::uint32_t>(CAIRN_TRY(json::get_uint(j, "n", kWhat)));
  r.k = static_cast<std::uint32_t>(CAIRN_TRY(json::get_uint(j, "k", kWhat)));
  r.dropped = static_cast<std::uint32_t>(CAIRN_TRY(json::get_uint(j, "dropped", kWhat)));
  for (const auto& v : *CAIRN_TRY(json::get_array(j, "values", kWhat))) {
    if (!v.is_object()) return make_error(Errc::corrupt, "stored release: a value is not an object");
    // One field per statement: a CAIRN_TRY that returns from inside a braced list would skip the
    // destructors of the strings already built (statement expressions; found by LeakSanitizer).
    auto metric = CAIRN_TRY(json::get_str(v, "metric", kWhat, kAny));
    auto coordinate = CAIRN_TRY(json::get_str(v, "coordinate", kWhat, kAny));
    auto unit = CAIRN_TRY(json::get_str(v, "unit", kWhat, kAny));
    const double noisy_sum = CAIRN_TRY(json::get_double(v, "noisy_sum", kWhat));
    const double mean = CAIRN_TRY(json::get_double(v, "mean", kWhat));
    const double noise_variance = CAIRN_TRY(json::get_double(v, "noise_variance", kWhat));
    const double se = CAIRN_TRY(json::get_double(v, "se", kWhat));
    const double lo = CAIRN_TRY(json::get_double(v, "ci95_lo", kWhat));
    const double hi = CAIRN_TRY(json::get_double(v, "ci95_hi", kWhat));
    r.values.push_back({std::move(metric), std::move(coordinate), std::move(unit), noisy_sum, mean, noise_variance, se, lo, hi});
  }
  return r;
}

Release decode_release(const wire::Plan& plan, const std::string& period, std::uint32_t n, const std::vector<std::int64_t>& sums) {
  Release r;
  r.plan_id = plan.id;
  r.team = plan.team;
  r.period = period;
  r.n = n;
  r.k = plan.k;
  std::size_t c = 0;
  for (const auto& m : plan.metrics) {
    const auto* cat = metrics::find(m.name);
    const double scale = static_cast<double>(m.scale);
    const double var = dp::released_noise_variance(m.sigma2);  // both layers (plan v2)
    for (std::uint32_t j = 0; j < m.coordinates; ++j, ++c) {
      CoordinateResult v;
      v.metric = m.name;
      v.coordinate = cat && j < cat->coordinate_names.size() ? cat->coordinate_names[j] : m.name + "[" + std::to_string(j) + "]";
      v.unit = cat ? cat->spec.unit : "";
      v.noisy_sum = static_cast<double>(sums[c]) / scale;
      v.mean = v.noisy_sum / n;
      v.noise_variance = var;
      v.se = std::sqrt(var) / (scale * n);
      v.lo = v.mean - 1.96 * v.se;
      v.hi = v.mean + 1.96 * v.se;
      r.values.push_back(v);
    }
  }
  return r;
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  if (s.size() < from + n) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

}  // namespace

bool valid_period(const std::string& cadence, const std::string& p) {
  if (!digits(p, 0, 4) || p.size() < 6 || p[4] != '-') return false;
  if (cadence == "week") {
    if (p.size() != 8 || p[5] != 'W' || !digits(p, 6, 2)) return false;
    const int w = std::stoi(p.substr(6));
    return w >= 1 && w <= 53;
  }
  if (cadence == "month") {
    if (p.size() != 7 || !digits(p, 5, 2)) return false;
    const int m = std::stoi(p.substr(5));
    return m >= 1 && m <= 12;
  }
  if (cadence == "quarter") return p.size() == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4';
  return false;
}

std::string batch_checksum(const std::string& plan_id, const std::string& period, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  std::string m = "cairn-batch-v1\n" + plan_id + "\n" + period + "\n";
  for (const auto& id : ids) m += id + "\n";
  return crypto::to_hex(crypto::generichash(crypto::as_bytes(m)));
}

namespace {

// The helper's answer as JSON, or a one-line error (Errc::refused for 403, else network).
Result<Json> ask_helper(Aggregator::Impl& impl, HelperLink& link, const std::string& path, const Json& request) {
  const std::string body = request.dump();
  auto resp = link.post(path, body, org_sign_request(*impl.org_sign, path, body));
  auto j = json::parse_object(resp.body, "the helper's answer");
  if (resp.status != 200) {
    auto err = j.ok() ? json::get_str(*j, "error", "", std::string::npos) : Result<std::string>(j.error());
    std::string msg = err.ok() ? *err : resp.body.substr(0, 200);
    return make_error(resp.status == 403 ? Errc::refused : Errc::network,
                      "the helper refused (HTTP " + std::to_string(resp.status) + "): " + msg);
  }
  if (!j.ok()) return make_error(Errc::network, "the helper's answer is malformed");
  return *j;
}

Status store_release_locked(Aggregator::Impl& impl, const Release& rel) {
  return sql::transaction(impl.db, [&]() -> Status {
    auto up = CAIRN_TRY(impl.db.prepare("UPDATE periods SET state = 'released', n = ?, result = ? WHERE plan_id = ? AND period = ?"));
    return up.bind(1, static_cast<std::int64_t>(rel.n)).bind(2, release_json(rel).dump()).bind(3, rel.plan_id).bind(4, rel.period).run();
  });
}

}  // namespace

Result<Release> Aggregator::release(const std::string& plan_id, const std::string& period) {
  if (impl_->role != Role::leader) return make_error(Errc::usage, "the leader releases results");
  std::shared_ptr<const PlanPrep> pp;
  std::map<std::string, crypto::Bytes> mine;  // hex id -> output share
  HelperLink* link = nullptr;
  {
    std::lock_guard lock(impl_->mu);
    pp = CAIRN_TRY(plan_prep_locked(*impl_, plan_id));
    if (!pp) return make_error(Errc::not_found, "no published plan " + plan_id);
    const auto& plan = pp->plan;
    if (!valid_period(plan.cadence, period)) return make_error(Errc::usage, "period " + period + " does not fit the plan's cadence " + plan.cadence);
    auto done = CAIRN_TRY(impl_->db.prepare("SELECT state, result FROM periods WHERE plan_id = ? AND period = ?"));
    done.bind(1, plan_id).bind(2, period);
    const bool known = CAIRN_TRY(done.step());
    if (known && done.text(0) == "released") return release_from_text(done.text(1));
    auto st = CAIRN_TRY(impl_->db.prepare("SELECT report_id, share FROM reports WHERE plan_id = ? AND period = ?"));
    st.bind(1, plan_id).bind(2, period);
    while (CAIRN_TRY(st.step())) mine.emplace(crypto::to_hex(st.blob(0)), st.blob(1));
    if (!known && mine.size() < plan.k)
      return make_error(Errc::refused, "only " + count_text(mine.size(), "report", "reports") + " for " + plan_id + " " + period +
                                           ", below the plan's minimum group size k = " + std::to_string(plan.k) + "; nothing released");
    if (!known) {
      // Close the period before asking the helper: a report arriving now gets 410.
      std::vector<std::string> ids;
      for (const auto& [id, _] : mine) ids.push_back(id);
      const auto checksum = batch_checksum(plan_id, period, ids);
      CAIRN_TRY(sql::transaction(impl_->db, [&]() -> Status {
        auto ins = CAIRN_TRY(impl_->db.prepare("INSERT INTO periods(plan_id, period, state, n, checksum) VALUES (?, ?, 'closing', ?, ?)"));
        return ins.bind(1, plan_id).bind(2, period).bind(3, static_cast<std::int64_t>(ids.size())).bind(4, checksum).run();
      }));
    }
    link = helper_link_locked(*impl_);
  }
  if (!link) return make_error(Errc::usage, "configure the helper first (cairn-aggregator configure --helper-url)");
  const auto& plan = pp->plan;

  // 1. The helper closes the period too and names every report it holds (complete batches).
  auto closed = CAIRN_TRY(ask_helper(*impl_, *link, "/v1/helper/close", Json{{"plan", plan_id}, {"period", period}}));
  auto held = json::get_array(closed, "reports", "the helper's answer");
  if (!held.ok()) return make_error(Errc::network, "the helper's answer to close is malformed");
  std::set<std::string> theirs;
  for (const auto& id : **held) {
    auto s = json::as_str(id, "a report id in the helper's answer", std::string::npos);
    if (!s.ok()) return make_error(Errc::network, "the helper's answer to close is malformed");
    theirs.insert(std::move(*s));
  }
  // 2. Recovery: a report the helper holds and we lack (its answer to our forward was lost and the
  // device never retried) is rebuilt from the envelope and prep message the helper kept. The helper
  // aggregates every report it holds, so the leader cannot leave one out by claiming to lack it.
  std::vector<std::string> lacked;
  for (const auto& id : theirs)
    if (!mine.count(id)) lacked.push_back(id);
  for (std::size_t from = 0; from < lacked.size(); from += kMaxRecoverReports) {
    const std::vector<std::string> ask_ids(lacked.begin() + static_cast<std::ptrdiff_t>(from),
                                           lacked.begin() + static_cast<std::ptrdiff_t>(std::min(lacked.size(), from + kMaxRecoverReports)));
    auto rec = CAIRN_TRY(ask_helper(*impl_, *link, "/v1/helper/recover", Json{{"plan", plan_id}, {"period", period}, {"ids", ask_ids}}));
    auto items = json::get_array(rec, "reports", "the helper's answer to recover");
    if (!items.ok()) return make_error(Errc::network, "the helper's answer to recover is malformed");
    const std::set<std::string> asked(ask_ids.begin(), ask_ids.end());
    for (const auto& item : **items) {
      auto id = item.is_object() ? json::get_str(item, "id", "", 64) : Result<std::string>(make_error(Errc::corrupt, ""));
      auto env = id.ok() ? json::get_str(item, "envelope", "", std::string::npos) : Result<std::string>(id.error());
      auto prep = env.ok() ? json::get_str(item, "prep", "", std::string::npos) : Result<std::string>(env.error());
      auto env_b = prep.ok() ? crypto::from_base64(*env) : Result<crypto::Bytes>(prep.error());
      auto prep_b = env_b.ok() ? crypto::from_base64(*prep) : Result<crypto::Bytes>(env_b.error());
      if (!prep_b.ok() || !asked.count(*id) || mine.count(*id)) return make_error(Errc::network, "the helper's answer to recover is malformed");
      std::lock_guard lock(impl_->mu);
      auto out = CAIRN_TRY(recover_report_locked(*impl_, *pp, period, *id, *env_b, *prep_b));
      std::cerr << "cairn-aggregator: release " << plan_id << " " << period << ": recovered report " << *id
                << " from the helper (its answer to the forward was lost)\n";
      mine.emplace(*id, std::move(out));
    }
  }
  // 3. Reconciliation: a report only we hold (a helper restored from an older copy) is dropped on
  // our side; one only the helper holds and cannot give back (stored before it kept envelopes) is
  // named to it to drop, which it accepts for exactly those. Explicit and logged.
  std::vector<std::string> kept, drop, helper_drop;
  for (const auto& [id, _] : mine) (theirs.count(id) ? kept : drop).push_back(id);
  for (const auto& id : theirs)
    if (!mine.count(id)) {
      drop.push_back(id);
      helper_drop.push_back(id);
    }
  std::sort(drop.begin(), drop.end());
  for (const auto& id : drop)
    std::cerr << "cairn-aggregator: release " << plan_id << " " << period << ": dropping report " << id << " (held by the "
              << (mine.count(id) ? "leader only" : "helper only, which kept no envelope to recover it from") << ")\n";
  Release rel;
  rel.plan_id = plan_id;
  rel.team = plan.team;
  rel.period = period;
  rel.n = static_cast<std::uint32_t>(kept.size());
  rel.k = plan.k;
  rel.dropped = static_cast<std::uint32_t>(drop.size());
  if (kept.size() < plan.k) {
    // Nothing can arrive any more: release the period empty rather than leave it closing.
    std::cerr << "cairn-aggregator: release " << plan_id << " " << period << ": "
              << count_text(kept.size(), "report", "reports") << " held by both, below k = " << plan.k << "; nothing released\n";
    std::lock_guard lock(impl_->mu);
    CAIRN_TRY(store_release_locked(*impl_, rel));
    return rel;
  }
  // 4. The helper's noisy aggregate share over exactly the kept set; ours, noised; decode.
  const Json ask{{"plan", plan_id}, {"period", period}, {"drop", helper_drop}, {"count", kept.size()},
                 {"checksum", batch_checksum(plan_id, period, kept)}};
  auto agg = CAIRN_TRY(ask_helper(*impl_, *link, "/v1/helper/aggregate", ask));
  auto share = json::get_str(agg, "share", "", std::string::npos);
  auto hb = share.ok() ? crypto::from_base64(*share) : Result<crypto::Bytes>(share.error());
  const auto& scheme = pp->scheme;
  if (!hb.ok() || hb->size() != scheme.length * 8) return make_error(Errc::network, "the helper's aggregate share has the wrong size");
  auto helper_sum = field_words(*hb);
  std::vector<crypto::Bytes> outs;
  for (const auto& id : kept) outs.push_back(mine.at(id));
  auto total = CAIRN_TRY(sum_out_shares(scheme, outs));
  CAIRN_TRY(add_noise_layer(plan, total));
  for (std::size_t c = 0; c < total.size(); ++c) {
    if (helper_sum[c] >= kField64Modulus) return make_error(Errc::network, "the helper's aggregate share is not in the field");
    total[c] = field_add(total[c], helper_sum[c]);
  }
  auto sums = wire::decode_sum(scheme, total, kept.size());
  auto decoded = decode_release(plan, period, rel.n, sums);
  decoded.dropped = rel.dropped;
  std::lock_guard lock(impl_->mu);
  CAIRN_TRY(store_release_locked(*impl_, decoded));
  annotate_release(decoded);
  return decoded;
}

Result<std::vector<Release>> Aggregator::results(const std::string& plan_id, const std::optional<std::string>& period) {
  std::lock_guard lock(impl_->mu);
  return released_periods_locked(*impl_, plan_id, period);
}

Result<std::vector<Release>> released_periods_locked(Aggregator::Impl& impl, const std::string& plan_id,
                                                     const std::optional<std::string>& period) {
  auto st = CAIRN_TRY(impl.db.prepare("SELECT period, result FROM periods WHERE plan_id = ? AND state = 'released' ORDER BY period"));
  st.bind(1, plan_id);
  std::vector<Release> out;
  while (CAIRN_TRY(st.step())) {
    if (period && st.text(0) != *period) continue;
    auto r = CAIRN_TRY(release_from_text(st.text(1)));
    annotate_release(r);
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// Every report the helper holds for (plan, period): hex id -> (output share, device key, whether
// its envelope was kept for the leader's recovery).
struct HeldReport {
  crypto::Bytes share, device_key;
  bool recoverable = false;
};
Result<std::map<std::string, HeldReport>> held_reports_locked(Aggregator::Impl& impl, const std::string& plan_id, const std::string& period) {
  auto st = CAIRN_TRY(impl.db.prepare(
      "SELECT report_id, share, device_key, length(envelope) > 0 FROM reports WHERE plan_id = ? AND period = ?"));
  st.bind(1, plan_id).bind(2, period);
  std::map<std::string, HeldReport> out;
  while (CAIRN_TRY(st.step())) out.emplace(crypto::to_hex(st.blob(0)), HeldReport{st.blob(1), st.blob(2), st.i64(3) != 0});
  return out;
}

// The plan and period of a signed leader request, or the error response.
struct PeriodRequest {
  Json body;
  std::string plan_id, period;
};
Result<PeriodRequest> parse_period_request(Aggregator::Impl& impl, const Request& r, const char* what) {
  if (!org_verify_request(impl.org_key, r.path, r.body, r.org_signature))
    return make_error(Errc::wrong_secret, std::string(what) + " is not signed by the leader");
  auto j = json::parse_object(r.body, what);
  if (!j.ok()) return make_error(Errc::corrupt, std::string(what) + " is malformed");
  auto plan = json::get_str(*j, "plan", what, 64);
  auto period = json::get_str(*j, "period", what, wire::kMaxLabelBytes);
  if (!plan.ok() || !period.ok()) return make_error(Errc::corrupt, std::string(what) + " is malformed");
  return PeriodRequest{*j, *plan, *period};
}

Response period_request_error(const Error& e) { return error_response(e.code == Errc::wrong_secret ? 401 : 400, e.message); }

}  // namespace

// Closes (plan, period) for new reports and names every report held for it; the same answer
// every time after (nothing can be added once closed).
Response handle_helper_close(Aggregator::Impl& impl, const Request& r) {
  auto req = parse_period_request(impl, r, "close request");
  if (!req.ok()) return period_request_error(req.error());
  std::lock_guard lock(impl.mu);
  auto plan = published_plan_locked(impl, req->plan_id);
  if (!plan.ok()) return error_response(500, plan.error().message);
  if (!*plan) return error_response(404, "no published plan " + req->plan_id);
  if (!valid_period((*plan)->cadence, req->period)) return error_response(400, "period does not fit the plan's cadence");
  auto held = held_reports_locked(impl, req->plan_id, req->period);
  if (!held.ok()) return error_response(500, held.error().message);
  std::vector<std::string> ids;
  for (const auto& [id, _] : *held) ids.push_back(id);
  const auto checksum = batch_checksum(req->plan_id, req->period, ids);
  auto tx = sql::transaction(impl.db, [&]() -> Status {
    auto ins = CAIRN_TRY(impl.db.prepare("INSERT OR IGNORE INTO periods(plan_id, period, state, n, checksum) VALUES (?, ?, 'closed', ?, ?)"));
    return ins.bind(1, req->plan_id).bind(2, req->period).bind(3, static_cast<std::int64_t>(ids.size())).bind(4, checksum).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  return json_response(200, Json{{"reports", ids}, {"count", ids.size()}, {"checksum", checksum}});
}

// The helper's noisy aggregate share over EVERY report it holds for a closed period, minus the
// ones the leader lacks (named in "drop", logged); answered once per period, the same answer when
// asked again for the same set.
Response handle_helper_aggregate(Aggregator::Impl& impl, const Request& r) {
  constexpr const char* kWhat = "aggregate request";
  auto req = parse_period_request(impl, r, kWhat);
  if (!req.ok()) return period_request_error(req.error());
  const std::string& plan_id = req->plan_id;
  const std::string& period = req->period;
  auto sent_checksum = json::get_str(req->body, "checksum", kWhat, 128);
  auto count = json::get_uint(req->body, "count", kWhat);
  auto drop_j = json::get_array(req->body, "drop", kWhat);
  if (!sent_checksum.ok() || !count.ok() || !drop_j.ok()) return error_response(400, "aggregate request is malformed");
  std::set<std::string> drop;
  for (const auto& id : **drop_j) {
    auto s = json::as_str(id, "aggregate request: a dropped report id", 2 * wire::kReportIdBytes);
    if (!s.ok() || s->size() != 2 * wire::kReportIdBytes) return error_response(400, "aggregate request: bad report id");
    drop.insert(std::move(*s));
  }

  std::lock_guard lock(impl.mu);
  auto pp = plan_prep_locked(impl, plan_id);
  if (!pp.ok()) return error_response(500, pp.error().message);
  if (!*pp) return error_response(404, "no published plan " + plan_id);
  const auto& plan = (*pp)->plan;
  auto done = impl.db.prepare("SELECT state, checksum, result FROM periods WHERE plan_id = ? AND period = ?");
  if (!done.ok()) return error_response(500, done.error().message);
  done->bind(1, plan_id).bind(2, period);
  auto has = done->step();
  if (!has.ok()) return error_response(500, has.error().message);
  if (!*has) return error_response(409, "period " + period + " of plan " + plan_id + " is not closed yet (close it first)");
  if (done->text(0) == "released") {
    // The same batch asked again (the leader lost our answer): the same answer. Anything else: refused.
    if (done->text(1) == *sent_checksum) return json_response(200, Json{{"share", done->text(2)}});
    return error_response(410, "period " + period + " of plan " + plan_id + " is already released with another batch");
  }
  auto held = held_reports_locked(impl, plan_id, period);
  if (!held.ok()) return error_response(500, held.error().message);
  // Complete batches: the leader can recover any report it lacks (/v1/helper/recover), so it may
  // name only those the helper cannot give back (stored before envelopes were kept). Anything else
  // would let it choose the batch.
  for (const auto& id : drop)
    if (auto it = held->find(id); it != held->end() && it->second.recoverable)
      return error_response(403, "the helper aggregates every report it holds: report " + id +
                                     " can be recovered by the leader (/v1/helper/recover), not dropped");
  std::vector<std::string> kept;
  std::vector<crypto::Bytes> outs;
  std::set<crypto::Bytes> devices;
  for (const auto& [id, rep] : *held) {
    if (drop.count(id)) continue;
    kept.push_back(id);
    outs.push_back(rep.share);
    devices.insert(rep.device_key);
  }
  const auto checksum = batch_checksum(plan_id, period, kept);
  if (*count != kept.size() || checksum != *sent_checksum)
    return error_response(409, "batch disagrees: the helper holds " + count_text(kept.size(), "report", "reports") + " after the drops");
  if (kept.size() < plan.k || devices.size() < plan.k)
    return error_response(403, "batch of " + std::to_string(kept.size()) + " is below the plan's minimum group size k = " + std::to_string(plan.k));
  for (const auto& id : drop)
    if (held->count(id))
      std::cerr << "cairn-aggregator: aggregate " << plan_id << " " << period << ": dropping report " << id
                << " (the leader lacks it and no envelope was kept to recover it)\n";
  auto sum = sum_out_shares((*pp)->scheme, outs);
  if (!sum.ok()) return error_response(500, sum.error().message);
  if (auto n = add_noise_layer(plan, *sum); !n.ok()) return error_response(500, n.error().message);
  const auto share_b64 = crypto::to_base64(field_bytes(*sum));
  auto tx = sql::transaction(impl.db, [&]() -> Status {
    auto up = CAIRN_TRY(impl.db.prepare("UPDATE periods SET state = 'released', n = ?, checksum = ?, result = ? WHERE plan_id = ? AND period = ?"));
    return up.bind(1, static_cast<std::int64_t>(kept.size())).bind(2, checksum).bind(3, share_b64).bind(4, plan_id).bind(5, period).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  log_event(impl, "release " + plan_id + " " + period + ": aggregated n = " + std::to_string(kept.size()) +
                      " with this helper's noise layer");
  return json_response(200, Json{{"share", share_b64}});
}

// Gives back, for a closed period not yet released, the envelope and prep message of each named
// report the helper holds, so the leader can rebuild its output share of a report it lacks. Nothing
// secret from the leader: the envelope is what the leader forwarded, its own share sealed to it.
Response handle_helper_recover(Aggregator::Impl& impl, const Request& r) {
  constexpr const char* kWhat = "recover request";
  auto req = parse_period_request(impl, r, kWhat);
  if (!req.ok()) return period_request_error(req.error());
  auto ids_j = json::get_array(req->body, "ids", kWhat);
  if (!ids_j.ok() || (*ids_j)->size() > kMaxRecoverReports) return error_response(400, "recover request is malformed");
  std::lock_guard lock(impl.mu);
  auto state = impl.db.prepare("SELECT state FROM periods WHERE plan_id = ? AND period = ?");
  if (!state.ok()) return error_response(500, state.error().message);
  state->bind(1, req->plan_id).bind(2, req->period);
  auto has = state->step();
  if (!has.ok()) return error_response(500, has.error().message);
  if (!*has || state->text(0) != "closed")
    return error_response(409, "period " + req->period + " of plan " + req->plan_id + " is not closed (or already released)");
  Json items = Json::array();
  for (const auto& id : **ids_j) {
    auto raw = id.is_string() ? crypto::from_hex(id.get<std::string>()) : Result<crypto::Bytes>(make_error(Errc::corrupt, ""));
    if (!raw.ok() || raw->size() != wire::kReportIdBytes) return error_response(400, "recover request: bad report id");
    auto st = impl.db.prepare("SELECT envelope, prep FROM reports WHERE report_id = ? AND plan_id = ? AND period = ?");
    if (!st.ok()) return error_response(500, st.error().message);
    st->bind_blob(1, *raw).bind(2, req->plan_id).bind(3, req->period);
    auto row = st->step();
    if (!row.ok()) return error_response(500, row.error().message);
    if (!*row) continue;
    const auto env = st->blob(0);
    if (env.empty()) continue;  // stored before envelopes were kept
    items.push_back({{"id", id.get<std::string>()}, {"envelope", crypto::to_base64(env)}, {"prep", crypto::to_base64(st->blob(1))}});
  }
  return json_response(200, Json{{"reports", items}});
}

std::string render_results_json(const std::vector<Release>& releases) {
  Json arr = Json::array();
  for (const auto& r : releases) {
    // What is stored, plus what results() reads beside it (never stored): the clip range, the
    // verdict, and the clamped estimate of a mean outside the range.
    Json j = release_json(r);
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      const auto& v = r.values[i];
      auto& jv = j["values"][i];
      jv["clip_lo"] = v.clip_lo;
      jv["clip_hi"] = v.clip_hi;
      jv["verdict"] = std::string(dp::verdict_words(v.verdict));
      jv["verdict_sentence"] = v.verdict_sentence;
      jv["out_of_range"] = v.out_of_range;
      jv["clamped_mean"] = v.clamped_mean;
    }
    arr.push_back(std::move(j));
  }
  return Json{{"results", arr}}.dump(2);
}

std::string render_results_csv(const std::vector<Release>& releases) {
  std::ostringstream out;
  out.precision(10);
  out << "plan,team,period,n,metric,coordinate,unit,noisy_sum,mean,se,ci95_lo,ci95_hi,noise_variance,clip_lo,clip_hi,"
         "verdict,out_of_range,clamped_mean\n";
  for (const auto& r : releases)
    for (const auto& v : r.values)
      out << r.plan_id << ',' << r.team << ',' << r.period << ',' << r.n << ',' << v.metric << ',' << v.coordinate << ",\""
          << v.unit << "\"," << v.noisy_sum << ',' << v.mean << ',' << v.se << ',' << v.lo << ',' << v.hi << ','
          << v.noise_variance << ',' << v.clip_lo << ',' << v.clip_hi << ",\"" << dp::verdict_words(v.verdict) << "\","
          << (v.out_of_range ? "yes" : "no") << ',' << v.clamped_mean << '\n';
  return out.str();
}

}  // namespace cairn::aggregator

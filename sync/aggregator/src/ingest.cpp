// The request handlers devices and the leader reach: enrollment, plan listing, plan registration
// at the helper, and report ingestion for both roles. Every check runs before the one transaction
// that records anything, so a refused request leaves the state exactly as it was.
#include <cstring>

#include "cairn/share/envelope.hpp"
#include "impl.hpp"

namespace cairn::aggregator {
namespace {

using Json = nlohmann::json;

struct Verdict {
  int status = 0;  // 0 = accepted so far
  std::string message;
};

int status_for_parse(const Error& e) { return e.code == Errc::too_large ? 413 : 400; }

std::vector<std::uint8_t> words_le(const std::vector<std::uint64_t>& v) {
  std::vector<std::uint8_t> out(v.size() * 8);
  for (std::size_t i = 0; i < v.size(); ++i)
    for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<std::uint8_t>(v[i] >> (8 * b));
  return out;
}

// Every condition a report must meet, given the state as it is now.
Result<Verdict> check_report_locked(Aggregator::Impl& impl, const share::Envelope& e, std::size_t coordinates) {
  const auto& c = e.ctx;
  db::CachedScope scope(impl.db);
  auto& dev = *CAIRN_TRY(impl.db.cached("SELECT team, ledger_length FROM devices WHERE device_key = ?"));
  dev.bind_blob(1, c.device_key);
  if (!CAIRN_TRY(dev.step())) return Verdict{403, "device is not enrolled here"};
  const std::string team = dev.text(0);
  const std::int64_t last_length = dev.i64(1);

  auto plan = CAIRN_TRY(published_plan_locked(impl, c.plan_id));
  if (!plan) return Verdict{404, "no published plan " + c.plan_id};
  if (plan->team != team) return Verdict{403, "device is not enrolled in the plan's team"};
  if (!valid_period(plan->cadence, c.period)) return Verdict{400, "period does not fit the plan's cadence"};
  if (coordinates != plan->coordinates()) return Verdict{400, "share has the wrong number of coordinates for the plan"};

  auto& closed = *CAIRN_TRY(impl.db.cached("SELECT state FROM periods WHERE plan_id = ? AND period = ?"));
  closed.bind(1, c.plan_id).bind(2, c.period);
  if (CAIRN_TRY(closed.step())) return Verdict{410, "period " + c.period + " of plan " + c.plan_id + " is closed"};

  auto& seen = *CAIRN_TRY(impl.db.cached("SELECT 1 FROM reports WHERE report_id = ?"));
  seen.bind_blob(1, c.report_id);
  if (CAIRN_TRY(seen.step())) return Verdict{409, "report already received (replay)"};
  auto& twice = *CAIRN_TRY(impl.db.cached("SELECT 1 FROM reports WHERE plan_id = ? AND period = ? AND device_key = ?"));
  twice.bind(1, c.plan_id).bind(2, c.period).bind_blob(3, c.device_key);
  if (CAIRN_TRY(twice.step())) return Verdict{409, "this device already reported for this plan and period"};
  if (static_cast<std::int64_t>(e.ledger.length) <= last_length)
    return Verdict{409, "the device's privacy ledger went backwards (length " + std::to_string(e.ledger.length) +
                            " after " + std::to_string(last_length) + ")"};
  return Verdict{};
}

Status insert_report_locked(Aggregator::Impl& impl, const share::Envelope& e, const std::vector<std::uint8_t>& share) {
  const auto& c = e.ctx;
  db::CachedScope scope(impl.db);
  auto& ins = *CAIRN_TRY(impl.db.cached(
      "INSERT INTO reports(report_id, plan_id, period, device_key, ledger_length, ledger_head, share, received)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.bind_blob(1, c.report_id).bind(2, c.plan_id).bind(3, c.period).bind_blob(4, c.device_key);
  ins.bind(5, static_cast<std::int64_t>(e.ledger.length)).bind_blob(6, e.ledger.head).bind_blob(7, share).bind(8, now_seconds());
  CAIRN_TRY(ins.run());
  auto& upd = *CAIRN_TRY(impl.db.cached("UPDATE devices SET ledger_length = ?, ledger_head = ? WHERE device_key = ?"));
  upd.bind(1, static_cast<std::int64_t>(e.ledger.length)).bind_blob(2, e.ledger.head).bind_blob(3, c.device_key);
  return upd.run();
}

}  // namespace

Result<std::optional<share::Plan>> published_plan_locked(Aggregator::Impl& impl, const std::string& plan_id) {
  if (auto it = impl.published_plans.find(plan_id); it != impl.published_plans.end()) return std::optional<share::Plan>(it->second);
  auto st = CAIRN_TRY(impl.db.prepare("SELECT body FROM plans WHERE plan_id = ? AND published = 1"));
  st.bind(1, plan_id);
  if (!CAIRN_TRY(st.step())) return std::optional<share::Plan>();
  auto sp = CAIRN_TRY(share::parse_signed_plan(st.text(0)));
  impl.published_plans.emplace(plan_id, sp.plan);
  return std::optional<share::Plan>(std::move(sp.plan));
}

Response handle_enroll(Aggregator::Impl& impl, const Request& r) {
  auto req = share::parse_enroll(r.body);
  if (!req.ok()) return error_response(req.error().code == Errc::too_large ? 413 : (req.error().message.find("signature") != std::string::npos ? 401 : 400), req.error().message);
  const auto hash = share::token_hash(req->secret);
  std::lock_guard lock(impl.mu);
  auto st = impl.db.prepare("SELECT team, used_by FROM tokens WHERE hash = ?");
  if (!st.ok()) return error_response(500, st.error().message);
  st->bind(1, hash);
  auto row = st->step();
  if (!row.ok()) return error_response(500, row.error().message);
  if (!*row) return error_response(403, "enrollment token not recognised by this aggregator");
  if (st->text(0) != req->team) return error_response(403, "enrollment token belongs to another team");
  auto used = st->blob(1);
  const bool same = used.size() == 32 && std::memcmp(used.data(), req->device_key.data(), 32) == 0;
  if (!used.empty() && !same) return error_response(409, "enrollment token already used");
  if (same) return json_response(200, Json{{"enrolled", true}, {"team", req->team}});
  auto tx = db::transaction(impl.db, [&]() -> Status {
    auto u = CAIRN_TRY(impl.db.prepare("UPDATE tokens SET used_by = ? WHERE hash = ?"));
    CAIRN_TRY(u.bind_blob(1, req->device_key).bind(2, hash).run());
    auto d = CAIRN_TRY(impl.db.prepare("INSERT OR IGNORE INTO devices(device_key, team, enrolled) VALUES (?, ?, ?)"));
    return d.bind_blob(1, req->device_key).bind(2, req->team).bind(3, now_seconds()).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  return json_response(201, Json{{"enrolled", true}, {"team", req->team}});
}

Response handle_plans(Aggregator::Impl& impl, const Request& r) {
  std::lock_guard lock(impl.mu);
  auto st = impl.db.prepare("SELECT body FROM plans WHERE published = 1 ORDER BY plan_id");
  if (!st.ok()) return error_response(500, st.error().message);
  Json plans = Json::array();
  while (true) {
    auto row = st->step();
    if (!row.ok()) return error_response(500, row.error().message);
    if (!*row) break;
    auto body = st->text(0);
    auto sp = share::parse_signed_plan(body);
    if (sp.ok() && (r.team.empty() || sp->plan.team == r.team)) plans.push_back(body);
  }
  return json_response(200, Json{{"plans", plans}});
}

Response handle_helper_plan(Aggregator::Impl& impl, const Request& r) {
  auto sp = share::parse_signed_plan(r.body);
  if (!sp.ok()) return error_response(status_for_parse(sp.error()), sp.error().message);
  if (sp->plan.org_key != impl.org_key) return error_response(401, "plan is not signed by the organization this helper serves");
  if (sp->plan.helper.box_key != impl.box.public_key) return error_response(400, "plan names another helper key");
  std::lock_guard lock(impl.mu);
  auto st = impl.db.prepare("SELECT body FROM plans WHERE plan_id = ?");
  if (!st.ok()) return error_response(500, st.error().message);
  st->bind(1, sp->plan.id);
  auto row = st->step();
  if (!row.ok()) return error_response(500, row.error().message);
  if (*row) {
    if (st->text(0) == r.body) return json_response(200, Json{{"plan", sp->plan.id}});
    return error_response(409, "a different plan with this id is already registered");
  }
  auto tx = db::transaction(impl.db, [&]() -> Status {
    auto ins = CAIRN_TRY(impl.db.prepare("INSERT INTO plans(plan_id, body, published) VALUES (?, ?, 1)"));
    return ins.bind(1, sp->plan.id).bind(2, r.body).run();
  });
  if (!tx.ok()) return error_response(500, tx.error().message);
  return json_response(201, Json{{"plan", sp->plan.id}});
}

Response handle_report(Aggregator::Impl& impl, const Request& r) {
  const bool leader = impl.role == Role::leader;
  if (!leader && !org_verify_request(impl.org_key, r.path, r.body, r.org_signature))
    return error_response(401, "forwarded report is not signed by the leader");
  auto env = share::parse_envelope(crypto::as_bytes(r.body));
  if (!env.ok()) return error_response(status_for_parse(env.error()), env.error().message);
  if (!share::verify_envelope(*env).ok()) return error_response(401, "report signature does not verify");

  std::vector<std::uint8_t> stored;
  std::size_t coordinates = 0;
  if (leader) {
    auto s = share::open_leader_share(*env, impl.box);
    if (!s.ok()) return error_response(400, s.error().message);
    coordinates = s->values.size();
    stored = words_le(s->values);
  } else {
    auto s = share::open_helper_share(*env, impl.box);
    if (!s.ok()) return error_response(400, s.error().message);
    coordinates = s->n;
    stored.assign(s->seed.begin(), s->seed.end());
    crypto::wipe(s->seed);
  }

  if (leader) {
    HelperLink* link = nullptr;
    {
      std::lock_guard lock(impl.mu);
      auto v = check_report_locked(impl, *env, coordinates);
      if (!v.ok()) return error_response(500, v.error().message);
      if (v->status) return error_response(v->status, v->message);
      link = helper_link_locked(impl);
    }
    if (!link) return error_response(503, "the leader has no helper configured");
    // Forward outside the lock: the helper's answer is the slow part. The helper enforces the same
    // one-report-per-device rule, and the insert below re-checks under the lock.
    const std::string path = "/v1/helper/reports";
    auto fwd = link->post(path, r.body, org_sign_request(*impl.org_sign, path, r.body));
    if (fwd.status != 201) {
      std::string msg = "helper refused the report";
      auto j = Json::parse(fwd.body, nullptr, false);
      if (j.is_object() && j.contains("error") && j["error"].is_string()) msg = "helper: " + j["error"].get<std::string>();
      return error_response(fwd.status == 0 ? 502 : fwd.status, msg);
    }
  }

  std::lock_guard lock(impl.mu);
  Verdict verdict;
  auto tx = db::transaction(impl.db, [&]() -> Status {
    auto v = CAIRN_TRY(check_report_locked(impl, *env, coordinates));
    if (v.status) {
      verdict = v;
      return make_error(Errc::refused, v.message);
    }
    return insert_report_locked(impl, *env, stored);
  });
  if (verdict.status) return error_response(verdict.status, verdict.message);
  if (!tx.ok()) return error_response(tx.error().code == Errc::exists ? 409 : 500, tx.error().message);
  return json_response(201, Json{{"report", share::report_id_hex(env->ctx.report_id)}});
}

}  // namespace cairn::aggregator

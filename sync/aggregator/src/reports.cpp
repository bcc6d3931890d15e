// Report ingestion for both roles, with one round of Prio3 preparation inside the forward
// (docs/sharing.md, "Validity").
//
// Leader, per request (in parallel on the server's threads): parse, verify the device signature,
// open the leader's share, Prio3 prep_init as aggregator 0. Then the report joins a group commit
// (group_commit.hpp): one caller at a time takes every report waiting, checks each against the
// state plus the reports before it in the batch, forwards the survivors with the leader's prep
// shares to the helper in one authenticated request, runs prep_next with the prep message of each
// report the helper accepted (or already held) and stores those output shares in one transaction,
// re-checking each.
//
// Helper, per forwarded batch: check the link MAC once; parse, verify, open and prep_init as
// aggregator 1, combine both prep shares into the prep message (the proof check: an invalid report
// is refused here and nothing of it is stored), prep_next (two threads for larger batches); then
// one transaction that checks and stores each output share in order.
//
// A refused report writes nothing; a failed transaction writes nothing for the whole batch, and
// every report in it is answered 500, so a device retries it. A retry of a report already held is
// answered "already held" with the stored prep message, so the side that lacked it stores it.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <thread>

#include "cairn/base/json.hpp"
#include "cairn/wire/answers.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan_check.hpp"
#include "forward_batch.hpp"
#include "impl.hpp"

namespace cairn::aggregator {

struct PendingReport {
  std::string_view body;               // the envelope as received, forwarded unchanged
  std::string_view leader_prep_share;  // helper: the leader's prep share from the forward
  wire::Envelope env;
  std::shared_ptr<const PlanPrep> plan;
  crypto::Bytes ctx;         // the Prio3 application context
  vdaf::PrepState state;     // this aggregator's, between prep_init and prep_next
  crypto::Bytes prep_share;  // leader: its own, forwarded
  crypto::Bytes out_share;   // what is stored
  Verdict verdict;           // verdict.prep: the prep message; verdict.held: this side already holds it
};

namespace {

std::string key_of(std::span<const std::uint8_t> b) { return std::string(b.begin(), b.end()); }

// Reports that passed their checks earlier in the same batch but are not stored yet, so a batch
// cannot hold a replay, two reports of one device for one period, or a ledger going backwards.
struct BatchSoFar {
  std::set<std::string> ids, slots;
  std::map<std::string, std::uint64_t> ledger;  // device key -> longest chain in the batch

  static std::string slot(const wire::ReportContext& c) { return c.plan_id + '\n' + c.period + '\n' + key_of(c.device_key); }
  void add(const wire::Envelope& e) {
    ids.insert(key_of(e.ctx.report_id));
    slots.insert(slot(e.ctx));
    auto& l = ledger[key_of(e.ctx.device_key)];
    l = std::max(l, e.ledger.length);
  }
};

// Every condition a report must meet, given the state as it is now (and the batch so far). A
// report already held here with the same plan, period and device (a retry) gets verdict.held and
// the stored prep message.
Result<Verdict> check_report_locked(Aggregator::Impl& impl, const wire::Envelope& e, const BatchSoFar* batch) {
  const auto& c = e.ctx;
  sql::CachedScope scope(impl.db);
  auto& seen = *CAIRN_TRY(impl.db.cached("SELECT plan_id, period, device_key, prep FROM reports WHERE report_id = ?"));
  seen.bind_blob(1, c.report_id);
  if (CAIRN_TRY(seen.step())) {
    const auto dk = seen.blob(2);
    if (seen.text(0) == c.plan_id && seen.text(1) == c.period && std::equal(dk.begin(), dk.end(), c.device_key.begin(), c.device_key.end())) {
      Verdict held;
      held.held = true;
      held.prep = seen.blob(3);
      return held;
    }
    return Verdict{409, "report already received (replay)"};
  }
  if (batch && batch->ids.count(key_of(c.report_id))) return Verdict{409, "report already received (replay)"};

  auto& dev = *CAIRN_TRY(impl.db.cached("SELECT team, ledger_length, token, replaced FROM devices WHERE device_key = ?"));
  dev.bind_blob(1, c.device_key);
  if (!CAIRN_TRY(dev.step())) return Verdict{403, "device is not enrolled here"};
  if (dev.i64(3)) return Verdict{403, "device was replaced: its enrollment token was used again on another device"};
  const std::string team = dev.text(0);
  const std::string token = dev.text(2);
  std::int64_t last_length = dev.i64(1);

  auto plan = CAIRN_TRY(published_plan_locked(impl, c.plan_id));
  if (!plan) return Verdict{404, "no published plan " + c.plan_id};
  if (plan->team != team) return Verdict{403, "device is not enrolled in the plan's team"};
  if (auto w = wire::report_period(*plan, c.period, now_of(impl)); !w.ok())
    return Verdict{w.error().code == Errc::refused ? 410 : 400, w.error().message};

  auto& closed = *CAIRN_TRY(impl.db.cached("SELECT state FROM periods WHERE plan_id = ? AND period = ?"));
  closed.bind(1, c.plan_id).bind(2, c.period);
  if (CAIRN_TRY(closed.step())) return Verdict{410, "period " + c.period + " of plan " + c.plan_id + " is closed"};

  // One report per employee (token) and period, whichever of the employee's devices sent it: this
  // device and every device enrolled with its token, each looked up in the (plan, period, device)
  // index. (An OR over a join here made SQLite scan every report of the period, for each report,
  // under the lock: quadratic in the period's size.)
  auto& twice = *CAIRN_TRY(impl.db.cached(
      "SELECT 1 FROM reports WHERE plan_id = ? AND period = ? AND device_key IN"
      " (SELECT ? UNION ALL SELECT device_key FROM devices WHERE token = ? AND token != '')"));
  twice.bind(1, c.plan_id).bind(2, c.period).bind_blob(3, c.device_key).bind(4, token);
  if (CAIRN_TRY(twice.step()) || (batch && batch->slots.count(BatchSoFar::slot(c))))
    return Verdict{409, "this employee already reported for this plan and period"};
  if (batch)
    if (auto it = batch->ledger.find(key_of(c.device_key)); it != batch->ledger.end())
      last_length = std::max(last_length, static_cast<std::int64_t>(it->second));
  if (static_cast<std::int64_t>(e.ledger.length) <= last_length)
    return Verdict{409, "the device's privacy ledger went backwards (length " + std::to_string(e.ledger.length) +
                            " after " + std::to_string(last_length) + ")"};
  return Verdict{};
}

// OR ROLLBACK: the checks above make a constraint failure impossible, and if one happened the
// whole batch must go anyway. It also spares SQLite a statement journal, which SQLCipher would
// encrypt page by page for every statement of a multi-statement transaction (measured: about a
// third of the store's cost per report).
Status insert_report_locked(Aggregator::Impl& impl, const PendingReport& p) {
  const auto& e = p.env;
  const auto& c = e.ctx;
  sql::CachedScope scope(impl.db);
  auto& ins = *CAIRN_TRY(impl.db.cached(
      "INSERT OR ROLLBACK INTO reports(report_id, plan_id, period, device_key, ledger_length, ledger_head, share, prep, received,"
      " envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.bind_blob(1, c.report_id).bind(2, c.plan_id).bind(3, c.period).bind_blob(4, c.device_key);
  ins.bind(5, static_cast<std::int64_t>(e.ledger.length)).bind_blob(6, e.ledger.head).bind_blob(7, p.out_share);
  ins.bind_blob(8, p.verdict.prep).bind(9, now_seconds());
  // The helper keeps the envelope as received, for the leader's recovery at release
  // (handle_helper_recover); the leader keeps none (a zero-length blob, not NULL).
  static const std::uint8_t kNone = 0;
  ins.bind_blob(10, impl.role == Role::helper ? crypto::as_bytes(p.body) : crypto::ByteView(&kNone, 0));
  CAIRN_TRY(ins.run());
  auto& upd = *CAIRN_TRY(impl.db.cached("UPDATE OR ROLLBACK devices SET ledger_length = ?, ledger_head = ? WHERE device_key = ?"));
  upd.bind(1, static_cast<std::int64_t>(e.ledger.length)).bind_blob(2, e.ledger.head).bind_blob(3, c.device_key);
  return upd.run();
}

// Checks and stores, in order, the reports whose verdict is still 0, in one transaction; refused
// ones get their verdict. When the transaction fails, nothing is stored and all of them get 500.
void store_batch_locked(Aggregator::Impl& impl, const std::vector<PendingReport*>& batch) {
  std::vector<PendingReport*> stored;
  auto tx = sql::transaction(impl.db, [&]() -> Status {
    for (PendingReport* p : batch) {
      if (p->verdict.status) continue;
      auto v = CAIRN_TRY(check_report_locked(impl, p->env, nullptr));
      if (v.status || v.held) {
        p->verdict = v;
        continue;
      }
      p->verdict.held = false;
      CAIRN_TRY(insert_report_locked(impl, *p));
      stored.push_back(p);
    }
    return {};
  });
  if (!tx.ok())
    for (PendingReport* p : stored) p->verdict = {500, "could not store the report: " + tx.error().message};
}

// Parse, verify the device signature, open this aggregator's share, Prio3 prep_init; the helper
// also combines the prep shares (the proof check) and runs prep_next. The per-report work that
// needs no lock (but a moment of it to find the plan).
void prepare_report(Aggregator::Impl& impl, PendingReport& p) {
  auto env = wire::parse_envelope(crypto::as_bytes(p.body));
  if (!env.ok()) {
    p.verdict = {status_for_parse(env.error()), env.error().message};
    return;
  }
  if (!wire::verify_envelope(*env).ok()) {
    p.verdict = {401, "report signature does not verify"};
    return;
  }
  p.plan = cached_plan_prep(impl, env->ctx.plan_id);
  if (!p.plan) {
    std::lock_guard lock(impl.mu);
    auto plan = plan_prep_locked(impl, env->ctx.plan_id);
    if (!plan.ok()) {
      p.verdict = {500, plan.error().message};
      return;
    }
    p.plan = *plan;
  }
  if (!p.plan) {
    p.verdict = {404, "no published plan " + env->ctx.plan_id};
    return;
  }
  const auto role = impl.role == Role::leader ? wire::Role::leader : wire::Role::helper;
  auto s = wire::open_share(*env, role, impl.box);
  if (!s.ok()) {
    p.verdict = {400, s.error().message};
    return;
  }
  const auto& vdaf = p.plan->scheme.vdaf;
  p.ctx = wire::prio3_context(env->ctx.plan_id, env->ctx.period);
  auto init = vdaf.prep_init(p.plan->verify_key, p.ctx, wire::agg_id(role), env->ctx.report_id, env->public_share, s->prio3);
  crypto::wipe(s->prio3);
  if (!init.ok()) {
    p.verdict = {400, "report's Prio3 shares do not fit the plan: " + init.error().message};
    return;
  }
  p.env = std::move(*env);
  p.state = std::move(init->state);
  if (impl.role == Role::leader) {
    p.prep_share = std::move(init->prep_share);
    return;
  }
  const std::array<crypto::Bytes, 2> shares{crypto::Bytes(p.leader_prep_share.begin(), p.leader_prep_share.end()),
                                            std::move(init->prep_share)};
  auto msg = vdaf.prep_shares_to_prep(p.ctx, shares);
  if (!msg.ok()) {
    p.verdict = {400, msg.error().code == Errc::refused ? "report refused: its Prio3 validity proof does not verify"
                                                        : "the leader's prep share does not decode"};
    return;
  }
  auto out = vdaf.prep_next(p.ctx, p.state, *msg);
  if (!out.ok()) {
    p.verdict = {400, "report refused: its Prio3 joint randomness does not check"};
    return;
  }
  p.out_share = std::move(*out);
  p.verdict.prep = std::move(*msg);
}

// The leader's batch: check, forward what passes, store what the helper accepted.
void run_leader_batch(Aggregator::Impl& impl, std::vector<PendingReport*>& batch) {
  std::vector<PendingReport*> forward;
  HelperLink* link = nullptr;
  std::shared_ptr<const crypto::SecretBytes> key;
  {
    std::lock_guard lock(impl.mu);
    BatchSoFar so_far;
    for (PendingReport* p : batch) {
      auto v = check_report_locked(impl, p->env, &so_far);
      if (!v.ok()) p->verdict = {500, v.error().message};
      else if (v->status || v->held) p->verdict = *v;  // held: both sides hold it, nothing to do
      else {
        so_far.add(p->env);
        forward.push_back(p);
      }
    }
    link = helper_link_locked(impl);
    if (auto k = link_key_locked(impl); k.ok()) key = *k;
  }
  if (forward.empty()) return;
  if (!link || !key) {
    for (PendingReport* p : forward) p->verdict = {503, "the leader has no helper configured"};
    return;
  }
  // Forward outside the lock: the helper's answer is the slow part. Another batch may be in flight
  // meanwhile, so the insert below re-checks under the lock; the leader stores only what the helper
  // accepted, so the leader's reports are always a subset of the helper's.
  std::vector<ForwardItem> items;
  for (PendingReport* p : forward) items.push_back({p->body, std::string_view(reinterpret_cast<const char*>(p->prep_share.data()), p->prep_share.size())});
  const std::string path = "/v1/helper/reports";
  const std::string body = encode_forward(items, *key);
  auto fwd = link->post(path, body, "");
  if (fwd.status != 200) {
    // 502 is the link's own "could not be reached"; any other status is the helper's answer.
    std::string msg = fwd.status == 502 ? "the helper could not be reached" : "helper refused the batch";
    if (auto j = json::parse_object(fwd.body, "the helper's answer"); j.ok())
      if (auto why = json::get_str(*j, "error", "the helper's answer", std::string::npos); why.ok())
        msg = (fwd.status == 502 ? "" : "helper: ") + *why;
    for (PendingReport* p : forward) p->verdict = {fwd.status == 0 ? 502 : fwd.status, msg};
    return;
  }
  auto verdicts = decode_verdicts(fwd.body, forward.size());
  if (!verdicts.ok()) {
    for (PendingReport* p : forward) p->verdict = {502, verdicts.error().message};
    return;
  }
  for (std::size_t i = 0; i < forward.size(); ++i) {
    PendingReport& p = *forward[i];
    auto& v = (*verdicts)[i];
    if (v.status) {
      p.verdict = {v.status, "helper: " + v.message};
      continue;
    }
    // The helper holds it (accepted now or earlier): our output share from its prep message.
    auto out = p.plan->scheme.vdaf.prep_next(p.ctx, p.state, v.prep);
    if (!out.ok()) {
      p.verdict = {502, "the helper's prep message does not fit this report"};
      continue;
    }
    p.out_share = std::move(*out);
    p.verdict.prep = std::move(v.prep);
  }
  std::lock_guard lock(impl.mu);
  store_batch_locked(impl, forward);
}

// serve's one line per report: plan, period and the outcome; never a value or the device's key.
void log_outcome(const Aggregator::Impl& impl, const PendingReport& p) {
  if (!impl.log) return;
  const auto& c = p.env.ctx;
  // The plan and period come from the envelope, signed or not yet checked: printed only when they
  // look like a plan id and a period, so a forged report cannot write into the log.
  const bool plain = wire::valid_plan_id(c.plan_id) && !c.period.empty() && c.period.size() <= 16 &&
                     std::all_of(c.period.begin(), c.period.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-'; });
  std::string what = plain ? "report for " + c.plan_id + " " + c.period : std::string("report (unreadable)");
  if (!p.verdict.status) what += p.verdict.held ? ": already held (a retry)" : ": accepted";
  else what += " refused (HTTP " + std::to_string(p.verdict.status) + "): " + p.verdict.message.substr(0, 200);
  for (auto& ch : what)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  impl.log(what);
}

}  // namespace

Result<crypto::Bytes> recover_report_locked(Aggregator::Impl& impl, const PlanPrep& plan, const std::string& period,
                                            const std::string& id_hex, crypto::ByteView envelope, crypto::ByteView prep) {
  auto refused = [&](const std::string& why) { return make_error(Errc::refused, "report " + id_hex + " cannot be recovered: " + why); };
  auto env = wire::parse_envelope(envelope);
  if (!env.ok()) return refused(env.error().message);
  if (!wire::verify_envelope(*env).ok()) return refused("its device signature does not verify");
  const auto& c = env->ctx;
  if (c.plan_id != plan.plan.id || c.period != period || wire::report_id_hex(c.report_id) != id_hex)
    return refused("the envelope is for another report");
  auto share = wire::open_share(*env, wire::Role::leader, impl.box);
  if (!share.ok()) return refused(share.error().message);
  const auto ctx = wire::prio3_context(c.plan_id, c.period);
  auto init = plan.scheme.vdaf.prep_init(plan.verify_key, ctx, 0, c.report_id, env->public_share, share->prio3);
  crypto::wipe(share->prio3);
  if (!init.ok()) return refused("its Prio3 share does not fit the plan");
  auto out = plan.scheme.vdaf.prep_next(ctx, init->state, prep);
  if (!out.ok()) return refused("the helper's prep message does not fit it");
  // Stored like any report; the device's witnessed ledger only ever moves forward (a recovered
  // report may be older than the device's latest).
  static const std::uint8_t kNone = 0;
  CAIRN_TRY(sql::transaction(impl.db, [&]() -> Status {
    auto ins = CAIRN_TRY(impl.db.prepare(
        "INSERT INTO reports(report_id, plan_id, period, device_key, ledger_length, ledger_head, share, prep, received, envelope)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ins.bind_blob(1, c.report_id).bind(2, c.plan_id).bind(3, c.period).bind_blob(4, c.device_key);
    ins.bind(5, static_cast<std::int64_t>(env->ledger.length)).bind_blob(6, env->ledger.head).bind_blob(7, *out);
    ins.bind_blob(8, prep).bind(9, now_seconds()).bind_blob(10, crypto::ByteView(&kNone, 0));
    CAIRN_TRY(ins.run());
    auto upd = CAIRN_TRY(impl.db.prepare(
        "UPDATE devices SET ledger_length = ?, ledger_head = ? WHERE device_key = ? AND ledger_length < ?"));
    upd.bind(1, static_cast<std::int64_t>(env->ledger.length)).bind_blob(2, env->ledger.head).bind_blob(3, c.device_key);
    return upd.bind(4, static_cast<std::int64_t>(env->ledger.length)).run();
  }));
  return std::move(*out);
}

Response handle_report(Aggregator::Impl& impl, const Request& r) {
  PendingReport p;
  p.body = r.body;
  prepare_report(impl, p);
  if (p.verdict.status) {
    log_outcome(impl, p);
    return error_response(p.verdict.status, p.verdict.message);
  }
  impl.forwards.submit(
      p, [](const PendingReport& q) { return q.body.size() + q.prep_share.size() + kForwardItemOverhead; },
      [&impl](std::vector<PendingReport*>& batch) { run_leader_batch(impl, batch); });
  log_outcome(impl, p);
  if (p.verdict.status) return error_response(p.verdict.status, p.verdict.message);
  // Both hold it now: the leader stores only what the helper holds (docs/formats.md, "Upload answer").
  wire::UploadAnswer a{p.verdict.held ? "already held" : "stored", wire::report_id_hex(p.env.ctx.report_id), true, true};
  return Response{p.verdict.held ? 200 : 201, wire::encode_upload_answer(a)};
}

Response handle_helper_reports(Aggregator::Impl& impl, const Request& r) {
  std::shared_ptr<const crypto::SecretBytes> key;
  {
    std::lock_guard lock(impl.mu);
    auto k = link_key_locked(impl);
    if (!k.ok() && k.error().code == Errc::not_found) return error_response(401, "no plan registered yet, so no leader is known");
    if (!k.ok()) return error_response(500, k.error().message);
    key = *k;
  }
  auto items_in = decode_forward(r.body, *key);
  if (!items_in.ok()) return error_response(items_in.error().code == Errc::wrong_secret ? 401 : 400, items_in.error().message);
  std::vector<PendingReport> items(items_in->size());
  std::vector<PendingReport*> batch;
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i].body = (*items_in)[i].envelope;
    items[i].leader_prep_share = (*items_in)[i].prep_share;
    batch.push_back(&items[i]);
  }
  // Signature checks, opens and preparation are most of the work: split larger batches over two threads.
  auto prepare_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) prepare_report(impl, items[i]);
  };
  const std::size_t half = items.size() >= 8 ? items.size() / 2 : 0;
  if (half) {
    std::thread second(prepare_range, half, items.size());
    prepare_range(0, half);
    second.join();
  } else {
    prepare_range(0, items.size());
  }
  {
    std::lock_guard lock(impl.mu);
    store_batch_locked(impl, batch);
  }
  std::vector<Verdict> verdicts;
  for (const auto& p : items) {
    log_outcome(impl, p);
    verdicts.push_back(p.verdict);
  }
  return Response{200, encode_verdicts(verdicts)};
}

}  // namespace cairn::aggregator

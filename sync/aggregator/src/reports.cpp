// Report ingestion for both roles.
//
// Leader, per request (in parallel on the server's threads): parse, verify the device signature,
// open the leader's share. Then the report joins a group commit (group_commit.hpp): one caller at
// a time takes every report waiting, checks each against the state plus the reports before it in
// the batch, forwards the survivors to the helper in one authenticated request, and stores the ones the
// helper accepted in one transaction, re-checking each.
//
// Helper, per forwarded batch: check the link MAC once; parse, verify and open each report
// (two threads for larger batches); then one transaction that checks and stores each in order.
//
// A refused report writes nothing; a failed transaction writes nothing for the whole batch, and
// every report in it is answered 500, so a device retries it.
#include <array>
#include <map>
#include <set>
#include <thread>

#include "cairn/wire/envelope.hpp"
#include "forward_batch.hpp"
#include "impl.hpp"

namespace cairn::aggregator {

struct PendingReport {
  const std::string* body = nullptr;  // the envelope as received, forwarded unchanged
  wire::Envelope env;
  std::vector<std::uint8_t> stored;  // leader: share words; helper: the seed
  std::size_t coordinates = 0;
  Verdict verdict;
};

namespace {

using Json = nlohmann::json;

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

// Every condition a report must meet, given the state as it is now (and the batch so far).
Result<Verdict> check_report_locked(Aggregator::Impl& impl, const wire::Envelope& e, std::size_t coordinates,
                                    const BatchSoFar* batch) {
  const auto& c = e.ctx;
  db::CachedScope scope(impl.db);
  auto& dev = *CAIRN_TRY(impl.db.cached("SELECT team, ledger_length FROM devices WHERE device_key = ?"));
  dev.bind_blob(1, c.device_key);
  if (!CAIRN_TRY(dev.step())) return Verdict{403, "device is not enrolled here"};
  const std::string team = dev.text(0);
  std::int64_t last_length = dev.i64(1);

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
  if (CAIRN_TRY(seen.step()) || (batch && batch->ids.count(key_of(c.report_id))))
    return Verdict{409, "report already received (replay)"};
  auto& twice = *CAIRN_TRY(impl.db.cached("SELECT 1 FROM reports WHERE plan_id = ? AND period = ? AND device_key = ?"));
  twice.bind(1, c.plan_id).bind(2, c.period).bind_blob(3, c.device_key);
  if (CAIRN_TRY(twice.step()) || (batch && batch->slots.count(BatchSoFar::slot(c))))
    return Verdict{409, "this device already reported for this plan and period"};
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
Status insert_report_locked(Aggregator::Impl& impl, const wire::Envelope& e, const std::vector<std::uint8_t>& share) {
  const auto& c = e.ctx;
  db::CachedScope scope(impl.db);
  auto& ins = *CAIRN_TRY(impl.db.cached(
      "INSERT OR ROLLBACK INTO reports(report_id, plan_id, period, device_key, ledger_length, ledger_head, share, received)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.bind_blob(1, c.report_id).bind(2, c.plan_id).bind(3, c.period).bind_blob(4, c.device_key);
  ins.bind(5, static_cast<std::int64_t>(e.ledger.length)).bind_blob(6, e.ledger.head).bind_blob(7, share).bind(8, now_seconds());
  CAIRN_TRY(ins.run());
  auto& upd = *CAIRN_TRY(impl.db.cached("UPDATE OR ROLLBACK devices SET ledger_length = ?, ledger_head = ? WHERE device_key = ?"));
  upd.bind(1, static_cast<std::int64_t>(e.ledger.length)).bind_blob(2, e.ledger.head).bind_blob(3, c.device_key);
  return upd.run();
}

// Checks and stores, in order, the reports whose verdict is still 0, in one transaction; refused
// ones get their verdict. When the transaction fails, nothing is stored and all of them get 500.
void store_batch_locked(Aggregator::Impl& impl, const std::vector<PendingReport*>& batch) {
  std::vector<PendingReport*> stored;
  auto tx = db::transaction(impl.db, [&]() -> Status {
    for (PendingReport* p : batch) {
      if (p->verdict.status) continue;
      auto v = CAIRN_TRY(check_report_locked(impl, p->env, p->coordinates, nullptr));
      if (v.status) {
        p->verdict = v;
        continue;
      }
      CAIRN_TRY(insert_report_locked(impl, p->env, p->stored));
      stored.push_back(p);
    }
    return {};
  });
  if (!tx.ok())
    for (PendingReport* p : stored) p->verdict = {500, "could not store the report: " + tx.error().message};
}

// Parse, verify the device signature, open this aggregator's share: the per-report work that
// needs no lock.
void prepare_report(Aggregator::Impl& impl, std::string_view body, PendingReport& p) {
  auto env = wire::parse_envelope(crypto::as_bytes(body));
  if (!env.ok()) {
    p.verdict = {status_for_parse(env.error()), env.error().message};
    return;
  }
  if (!wire::verify_envelope(*env).ok()) {
    p.verdict = {401, "report signature does not verify"};
    return;
  }
  // Envelope v2 (P1's smallest edit to keep this compiling): the share is a Prio3 input share now;
  // P2 replaces this with Prio3 preparation. Until then coordinates stay 0 and every v2 report is
  // refused by check_report_locked.
  auto s = wire::open_share(*env, impl.role == Role::leader ? wire::Role::leader : wire::Role::helper, impl.box);
  if (!s.ok()) {
    p.verdict = {400, s.error().message};
    return;
  }
  p.coordinates = 0;
  p.stored = std::move(s->prio3);
  p.env = std::move(*env);
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
      auto v = check_report_locked(impl, p->env, p->coordinates, &so_far);
      if (!v.ok()) p->verdict = {500, v.error().message};
      else if (v->status) p->verdict = *v;
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
  std::vector<std::string_view> bodies;
  for (PendingReport* p : forward) bodies.emplace_back(*p->body);
  const std::string path = "/v1/helper/reports";
  const std::string body = encode_forward(bodies, *key);
  auto fwd = link->post(path, body, "");
  if (fwd.status != 200) {
    // 502 is the link's own "could not be reached"; any other status is the helper's answer.
    std::string msg = fwd.status == 502 ? "the helper could not be reached" : "helper refused the batch";
    auto j = Json::parse(fwd.body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_string())
      msg = (fwd.status == 502 ? "" : "helper: ") + j["error"].get<std::string>();
    for (PendingReport* p : forward) p->verdict = {fwd.status == 0 ? 502 : fwd.status, msg};
    return;
  }
  auto verdicts = decode_verdicts(fwd.body, forward.size());
  if (!verdicts.ok()) {
    for (PendingReport* p : forward) p->verdict = {502, verdicts.error().message};
    return;
  }
  for (std::size_t i = 0; i < forward.size(); ++i)
    if ((*verdicts)[i].status) forward[i]->verdict = {(*verdicts)[i].status, "helper: " + (*verdicts)[i].message};
  std::lock_guard lock(impl.mu);
  store_batch_locked(impl, forward);
}

}  // namespace

Response handle_report(Aggregator::Impl& impl, const Request& r) {
  PendingReport p;
  p.body = &r.body;
  prepare_report(impl, r.body, p);
  if (p.verdict.status) return error_response(p.verdict.status, p.verdict.message);
  impl.forwards.submit(
      p, [](const PendingReport& q) { return q.body->size() + kForwardItemOverhead; },
      [&impl](std::vector<PendingReport*>& batch) { run_leader_batch(impl, batch); });
  if (p.verdict.status) return error_response(p.verdict.status, p.verdict.message);
  return json_response(201, Json{{"report", wire::report_id_hex(p.env.ctx.report_id)}});
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
  auto bodies = decode_forward(r.body, *key);
  if (!bodies.ok()) return error_response(bodies.error().code == Errc::wrong_secret ? 401 : 400, bodies.error().message);
  std::vector<PendingReport> items(bodies->size());
  std::vector<PendingReport*> batch;
  for (auto& p : items) batch.push_back(&p);
  // The signature checks and opens are most of the work: split larger batches over two threads.
  auto prepare_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) prepare_report(impl, (*bodies)[i], items[i]);
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
  for (const auto& p : items) verdicts.push_back(p.verdict);
  return Response{200, encode_verdicts(verdicts)};
}

}  // namespace cairn::aggregator

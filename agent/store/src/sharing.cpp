// Storage of the privacy ledger, shared reports and plans. The store enforces only what it can
// without knowing their meaning: ledger rows are append-only and gap-free.
#include "impl.hpp"

namespace cairn::store {

Result<std::vector<LedgerRow>> Store::ledger_rows() const {
  auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare(
      "SELECT seq, time, plan_id, period, cost, prev_hash, hash FROM ledger ORDER BY seq"));
  std::vector<LedgerRow> out;
  while (CAIRN_TRY(st.step()))
    out.push_back({st.i64(0), st.i64(1), st.text(2), st.text(3), st.text(4), st.text(5), st.text(6)});
  return out;
}

Status Store::append_ledger_row(const LedgerRow& row) {
  return in_transaction(*impl_, [&]() -> Status {
    auto n = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM ledger"));
    if (row.seq != n)
      return make_error(Errc::exists, "ledger append out of order (expected entry " + std::to_string(n) + ")");
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT INTO ledger(seq, time, plan_id, period, cost, prev_hash, hash) VALUES (?,?,?,?,?,?,?)"));
    return st.bind(1, row.seq).bind(2, row.time).bind(3, row.plan_id).bind(4, row.period).bind(5, row.cost)
        .bind(6, row.prev_hash).bind(7, row.hash).run();
  });
}

Status Store::put_shared_report(const SharedReport& r) {
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT OR REPLACE INTO shared_reports(id, report_id, plan_id, period, state, created, decided, uploaded, detail,"
        " envelope) VALUES ((SELECT id FROM shared_reports WHERE report_id = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    st.bind(1, r.report_id).bind(2, r.plan_id).bind(3, r.period).bind(4, r.state).bind(5, r.created)
        .bind(6, r.decided).bind(7, r.uploaded).bind(8, r.detail);
    st.bind_blob(9, sql::as_bytes(r.envelope));
    return st.run();
  });
}

namespace {
SharedReport read_report(const sql::Stmt& st) {
  SharedReport r;
  r.report_id = st.text(0);
  r.plan_id = st.text(1);
  r.period = st.text(2);
  r.state = st.text(3);
  r.created = st.i64(4);
  if (!st.is_null(5)) r.decided = st.i64(5);
  if (!st.is_null(6)) r.uploaded = st.i64(6);
  r.detail = st.text(7);
  const auto envelope = st.blob(8);
  r.envelope.assign(envelope.begin(), envelope.end());
  return r;
}
constexpr const char* kReportCols =
    "SELECT report_id, plan_id, period, state, created, decided, uploaded, detail, envelope FROM shared_reports ";
}  // namespace

Result<std::vector<SharedReport>> Store::shared_reports() const {
  auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare(std::string(kReportCols) + "ORDER BY id"));
  std::vector<SharedReport> out;
  while (CAIRN_TRY(st.step())) out.push_back(read_report(st));
  return out;
}

Result<std::optional<SharedReport>> Store::shared_report(const std::string& report_id) const {
  auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare(std::string(kReportCols) + "WHERE report_id = ?"));
  st.bind(1, report_id);
  if (!CAIRN_TRY(st.step())) return std::optional<SharedReport>();
  return std::optional<SharedReport>(read_report(st));
}

Status Store::put_plan(const PlanRow& p) {
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare("INSERT OR REPLACE INTO plans(plan_id, state, body, updated) VALUES (?,?,?,?)"));
    return st.bind(1, p.plan_id).bind(2, p.state).bind(3, p.body).bind(4, p.updated).run();
  });
}

Result<std::vector<PlanRow>> Store::plans() const {
  auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare("SELECT plan_id, state, body, updated FROM plans ORDER BY updated"));
  std::vector<PlanRow> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.text(0), st.text(1), st.text(2), st.i64(3)});
  return out;
}

}  // namespace cairn::store

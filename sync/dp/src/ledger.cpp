// The budget ledger's cap check and charging (see ledger.hpp, docs/privacy.md "Ledger").
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cairn/dp/ledger.hpp"

namespace cairn::dp {

BudgetCap default_cap() { return BudgetCap{2.0, 1e-6}; }

namespace {

Status check_cap(const BudgetCap& cap) {
  if (!(cap.epsilon > 0) || !std::isfinite(cap.epsilon)) {
    return make_error(Errc::usage, "the annual privacy cap must be a positive epsilon");
  }
  if (!(cap.delta > 0 && cap.delta < 1)) return make_error(Errc::usage, "the cap's delta must be between 0 and 1");
  return ok_status();
}

Status check_label(std::string_view what, std::string_view s) {
  if (s.empty() || s.size() > kMaxLedgerLabelBytes) {
    return make_error(Errc::usage, std::string(what) + " must be 1 to 256 bytes");
  }
  return ok_status();
}

std::string eps_text(double e) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", e);
  return buf;
}

}  // namespace

Result<Ledger> Ledger::open(LedgerStorage& storage, BudgetCap cap) {
  CAIRN_TRY(check_cap(cap));
  Ledger ledger(storage, cap);
  ledger.entries_ = CAIRN_TRY(storage.load_all());
  CAIRN_TRY(verify_chain(ledger.entries_));
  return ledger;
}

Status Ledger::set_cap(BudgetCap cap) {
  CAIRN_TRY(check_cap(cap));
  cap_ = cap;
  return ok_status();
}

RdpCurve Ledger::window_curve(std::int64_t now) const {
  RdpCurve total = zero_curve();
  for (const auto& e : entries_) {
    // Entries dated after `now` (a clock set back) count too: the window never shrinks by that.
    if (e.time > now - kBudgetWindowSeconds) total = compose(total, rdp_curve(e.cost));
  }
  return total;
}

double Ledger::spent_epsilon(std::int64_t now) const { return epsilon_for_delta(window_curve(now), cap_.delta); }

SpendCheck Ledger::check(const ReleaseCost& cost, std::int64_t now) const {
  SpendCheck c;
  c.cap_epsilon = cap_.epsilon;
  c.delta = cap_.delta;
  const RdpCurve spent = window_curve(now);
  c.spent_epsilon = epsilon_for_delta(spent, cap_.delta);
  c.after_epsilon = epsilon_for_delta(compose(spent, rdp_curve(cost)), cap_.delta);
  c.allowed = std::isfinite(c.after_epsilon) && c.after_epsilon <= cap_.epsilon;
  return c;
}

Result<LedgerEntry> Ledger::charge(std::string_view plan_id, std::string_view period, const ReleaseCost& cost,
                                   std::int64_t now) {
  CAIRN_TRY(check_label("plan id", plan_id));
  CAIRN_TRY(check_label("period", period));
  if (cost.empty()) return make_error(Errc::usage, "a release must name its noise (empty cost)");
  for (const auto& t : cost) {
    if (t.variance.den == 0) return make_error(Errc::usage, "a noise variance has a zero denominator");
  }
  // Reload: another Ledger over the same storage may have charged meanwhile; a chain that shrank
  // or changed under us is a rollback.
  auto fresh = CAIRN_TRY(storage_->load_all());
  CAIRN_TRY(verify_chain(fresh));
  CAIRN_TRY(dp::verify_witness(fresh, head()));
  entries_ = std::move(fresh);

  const SpendCheck c = check(cost, now);
  if (!c.allowed) {
    return make_error(Errc::refused, "this report would take your privacy spending for the past year to epsilon " +
                                         eps_text(c.after_epsilon) + ", above your cap of " + eps_text(c.cap_epsilon) +
                                         " (already spent " + eps_text(c.spent_epsilon) + "); nothing was sent");
  }
  const LedgerEntry e = next_entry(plan_id, period, cost, now);
  CAIRN_TRY(storage_->append(e));
  entries_.push_back(e);
  return e;
}

LedgerEntry Ledger::next_entry(std::string_view plan_id, std::string_view period, const ReleaseCost& cost,
                               std::int64_t now) const {
  LedgerEntry e;
  e.seq = entries_.size();
  e.time = entries_.empty() ? now : std::max(now, entries_.back().time);
  e.plan_id = std::string(plan_id);
  e.period = std::string(period);
  e.cost = cost;
  if (!entries_.empty()) e.prev_hash = entries_.back().hash;
  e.hash = entry_hash(e);
  return e;
}

}  // namespace cairn::dp

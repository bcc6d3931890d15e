// The worker's sharing (see worker.hpp, docs/sharing.md): opening the device's sharing API over
// the open store, joining or leaving plans, deciding reports and "Check now". Nothing here uses
// the network: approving queues the report in the spool and the keyless cairn-upload sends it;
// checks for plans and due reports run on their own thread (share_check.hpp, worker_live.cpp).
#include "cairn/base/text.hpp"
#include "live.hpp"
#include "scrub.hpp"
#include "sharing_part.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

void WorkerState::close_share() {
  share.reset();
  transport.reset();
  ledger.reset();
  device.reset();
}


void WorkerState::open_share(const Paths& paths, const Clock& clock, bool reconcile) {
  close_share();
  scrub_sharing(next.sharing);
  // The ledger is read again each time: another process (the CLI, another panel) may have charged it.
  auto l = budget::open_ledger(*store);
  if (!l.ok()) {
    live.sharing = sharing_fingerprint(*store);
    auto part = std::make_shared<SharingData>();
    part->error = safe_outside_text(l.error().message);
    next.sharing = std::move(part);
    return;
  }
  ledger.emplace(std::move(l.value()));
  device.emplace(keys->device_keys());
  transport = wire::http_transport();
  share = std::make_unique<device::DeviceShare>(*store, *device, ledger->ledger, *transport, clock, paths.outbox());
  if (reconcile) {
    // What the keyless uploader did since the last unlock goes into the store first.
    auto rec = share->reconcile_outbox();
    if (!rec.ok()) {
      if (next.message.empty()) say(next, "The outbox could not be reconciled: " + safe_outside_text(rec.error().message), true);
    } else if (rec->refused > 0 && next.message.empty()) {
      say(next, count_text(rec->refused, "report", "reports") + (rec->refused == 1 ? " was" : " were") +
                    " refused since you last looked; the Sharing view's history says why.");
    }
  }
  rebuild_sharing(clock);
}

void WorkerState::rebuild_sharing(const Clock& clock) {
  if (!share) return;
  live.sharing = sharing_fingerprint(*store);
  scrub_sharing(next.sharing);
  next.sharing = build_sharing(*share, *store, ledger->ledger, clock);
}

void WorkerState::rebuild_sharing_status(const Paths& paths, const Clock& clock) {
  const bool enrolled = next.sharing && next.sharing->enrolled;
  next.sharing_status = build_sharing_status(paths.outbox(), enrolled, live.last_check ? &*live.last_check : nullptr,
                                             live.check != nullptr, clock);
}

void scrub_sharing(std::shared_ptr<const SharingData>& part) {
  if (!part || part.use_count() != 1) return;
  auto& d = const_cast<SharingData&>(*part);
  for (auto& p : d.pending) {
    for (auto& v : p.values) {
      v.value = 0;
      v.encoded = 0;
    }
    p.epsilon_release = p.spent_after = p.budget_left = 0;
    scrub(p.envelope_hex);
    scrub(p.purpose);
    scrub(p.cost);
  }
  // What this device sent, beside each team figure.
  for (auto& period : d.results)
    for (auto& f : period.figures) {
      if (f.own_value) *f.own_value = 0;
      scrub(f.own);
    }
  part.reset();
}

namespace {

// The common ending of a sharing decision: say what happened, then read the sharing part again.
bool after_decision(WorkerState& st, const Paths& paths, const Clock& clock, const Status& s, const char* done) {
  if (s.ok()) say(st.next, done);
  else say(st.next, s.error().message, true);
  st.rebuild_sharing(clock);
  st.rebuild_sharing_status(paths, clock);
  return true;
}

}  // namespace

bool Worker::handle(cmd::JoinPlan& x) {
  State& st = *state_;
  if (!st.store || !st.share) return false;
  return after_decision(st, paths_, clock_, x.join ? st.share->join(x.plan_id) : st.share->leave(x.plan_id),
                        x.join ? "You joined the plan. Each report will still wait for your approval."
                               : "You declined the plan. No reports will be prepared for it.");
}

bool Worker::handle(cmd::DecideReport& x) {
  State& st = *state_;
  if (!st.store || !st.share) return false;
  return after_decision(st, paths_, clock_, x.approve ? st.share->approve(x.report_id) : st.share->decline(x.report_id),
                        x.approve ? "Approved and queued. The uploader sends it within about 15 minutes, even with "
                                    "the panel closed."
                                  : "Declined. Its bytes were erased and will never leave; nothing was charged.");
}

bool Worker::handle(cmd::CheckSharing&) {
  State& st = *state_;
  if (!st.store || !st.share) return false;
  if (!st.live.check) start_check();
  st.rebuild_sharing_status(paths_, clock_);
  return true;
}

}  // namespace cairn::ui

// The worker's sharing (see worker.hpp, docs/sharing.md): opening the device's sharing API over
// the open store, joining or leaving plans and deciding reports. Nothing here uses the network:
// approving queues the report in the outbox and `cairn share sync` uploads it.
#include "scrub.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

void WorkerState::close_share() {
  share.reset();
  transport.reset();
  ledger.reset();
  device.reset();
}

void WorkerState::open_share(const Paths& paths, const Clock& clock) {
  close_share();
  auto l = budget::open_ledger(*store);
  if (!l.ok()) {
    auto part = std::make_shared<SharingData>();
    part->error = l.error().message;
    next.sharing = std::move(part);
    return;
  }
  ledger.emplace(std::move(l.value()));
  device.emplace(keys->device_keys());
  transport = wire::http_transport();
  share = std::make_unique<device::DeviceShare>(*store, *device, ledger->ledger, *transport, clock, paths.outbox());
  next.sharing = build_sharing(*share, *store);
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
  }
  part.reset();
}

namespace {

// The common ending of a sharing decision: say what happened, then read the sharing part again.
bool after_decision(WorkerState& st, const Status& s, const char* done) {
  if (s.ok()) say(st.next, done);
  else say(st.next, s.error().message, true);
  st.next.sharing = build_sharing(*st.share, *st.store);
  return true;
}

}  // namespace

bool Worker::handle(cmd::JoinPlan& x) {
  State& st = *state_;
  if (!st.store || !st.share) return false;
  return after_decision(st, x.join ? st.share->join(x.plan_id) : st.share->leave(x.plan_id),
                        x.join ? "You joined the plan. Each report will still wait for your approval."
                               : "You declined the plan. No reports will be prepared for it.");
}

bool Worker::handle(cmd::DecideReport& x) {
  State& st = *state_;
  if (!st.store || !st.share) return false;
  return after_decision(st, x.approve ? st.share->approve(x.report_id) : st.share->decline(x.report_id),
                        x.approve ? "Approved. The report waits in the outbox and leaves at the next sync."
                                  : "Declined. The report's bytes were erased and will never leave.");
}

}  // namespace cairn::ui

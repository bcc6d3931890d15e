// The background check for plans and due reports: see share_check.hpp.
#include "share_check.hpp"

#include <optional>

#include "cairn/base/text.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/device/device.hpp"
#include "cairn/store/store.hpp"
#include "cairn/wire/transport.hpp"
#include "format.hpp"

namespace cairn::ui {

ShareCheck::ShareCheck(Paths paths, crypto::SecretBytes store_key, crypto::SignKeyPair device, const Clock& clock)
    : paths_(std::move(paths)), store_key_(std::move(store_key)), device_(std::move(device)), clock_(clock) {
  thread_ = std::thread([this] { run(); });
}

ShareCheck::~ShareCheck() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

namespace {

std::size_t periods_kept(device::DeviceShare& share) {
  auto v = share.team_results();
  return v.ok() ? v->size() : 0;
}

// The released team results of the plans this device reported to (what `cairn share sync` fetches
// last). Never fatal: the plans and reports above are what the check is for.
void fetch_team(device::DeviceShare& share, ShareCheckResult& r) {
  const std::size_t before = periods_kept(share);
  auto fetched = share.fetch_team_results();
  if (!fetched.ok()) {
    r.error = "the team results could not be read (" + fetched.error().message + ")";
    return;
  }
  const std::size_t after = periods_kept(share);
  r.team_new = after > before ? static_cast<int>(after - before) : 0;
}

}  // namespace

void ShareCheck::run() {
  ShareCheckResult r;
  auto step = [&]() -> Status {
    // Its own connection: the worker's stays free for the employee's clicks meanwhile.
    auto store = CAIRN_TRY(store::Store::open(paths_.store(), store_key_, store::Store::Mode::open_existing));
    store_key_ = crypto::SecretBytes();  // keyed: the copy is not needed any more (wiped)
    auto ledger = CAIRN_TRY(budget::open_ledger(store));
    wire::TransportLimits limits;
    limits.deadline = kCheckDeadline;
    auto transport = wire::http_transport(limits);
    device::DeviceShare share(store, device_, ledger.ledger, *transport, clock_, paths_.outbox());
    auto fetched = share.fetch_plans();
    if (!fetched.ok()) {
      if (fetched.error().code != Errc::network) return fetched.error();
      r.error = "the leader could not be reached (" + fetched.error().message + ")";
      // Offline: reports for joined plans can still be prepared; they wait for approval anyway.
    } else {
      r.reached = true;
      r.plans_new = fetched->plans_new;
    }
    if (cancel_.load(std::memory_order_acquire)) return ok_status();
    auto prepared = CAIRN_TRY(share.prepare_due(std::nullopt));
    r.prepared = prepared.prepared;
    if (r.reached && !cancel_.load(std::memory_order_acquire)) fetch_team(share, r);
    return ok_status();
  };
  if (auto s = step(); !s.ok()) r.error = s.error().message;
  r.error = safe_outside_text(r.error);
  r.finished = clock_.now();
  store_key_ = crypto::SecretBytes();
  device_ = crypto::SignKeyPair();
  result_ = std::move(r);
  done_.store(true, std::memory_order_release);
}

namespace {

std::string when(std::int64_t t, const Clock& clock) {
  const auto off = clock.utc_offset(t);
  const std::string hm = clock_text(local_second_of_day(t, off));
  const std::int64_t now = clock.now();
  if (local_day(t, off) == local_day(now, clock.utc_offset(now))) return hm;
  return short_date(local_day(t, off)) + " " + hm;
}

}  // namespace

std::string check_line(const ShareCheckResult* last, bool running, const Clock& clock) {
  if (running) return "Checking for plans and reports\xE2\x80\xA6";
  if (!last) return "Not checked for plans yet.";
  if (!last->error.empty()) return "Last check " + when(last->finished, clock) + ": " + last->error;
  std::string line = "Checked for plans at " + when(last->finished, clock);
  if (last->plans_new > 0) line += "; " + count_text(last->plans_new, "new plan", "new plans");
  if (last->prepared > 0) line += "; " + count_text(last->prepared, "report", "reports") + " prepared for your decision";
  if (last->team_new > 0) line += "; " + count_text(last->team_new, "new team result", "new team results");
  return line;
}

}  // namespace cairn::ui

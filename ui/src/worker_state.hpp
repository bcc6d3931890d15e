// What the worker thread owns between commands (see worker.hpp): the keys, the Store, the
// journal, the snapshot being composed, the read-ahead caches of weeks and the sharing API.
// Touched only by the worker thread; private to the panel.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "builders.hpp"
#include "share_check.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/device/device.hpp"
#include "cairn/wire/transport.hpp"
#include "cairn/store/store.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

using Ms = std::chrono::duration<double, std::milli>;
inline auto now_steady() { return std::chrono::steady_clock::now(); }

struct WorkerState {
  std::optional<crypto::UnlockedKeys> keys;
  std::optional<store::Store> store;
  Journal journal;
  Snapshot next;  // the snapshot being composed; published as a const copy
  std::int64_t today = 0;  // the local day of the command being handled
  std::int64_t week = 0;
  std::int64_t review_from = 0, review_to = 0;
  // Day strips of weeks already read, and the weeks still to read while idle (next at the back).
  std::map<std::int64_t, std::shared_ptr<const WeekTimeline>> timelines;
  std::vector<std::int64_t> warm;
  // Complete weeks of the year strip, read ahead while idle; published as Snapshot::weeks so the
  // UI can show any of them in the frame of the click.
  std::map<std::int64_t, std::shared_ptr<const WeekData>> weeks;
  bool weeks_dirty = false;  // `weeks` changed since the last published cache
  int weeks_unpublished = 0;
  // Sharing over the open store. Declared after `store` so they are destroyed before it. The
  // transport is only for DeviceShare's constructor: the worker calls nothing that uses the network
  // (approving queues the report in the outbox; cairn-upload sends it). Checks for plans run on
  // their own thread and connection (share_check.hpp).
  std::optional<crypto::SignKeyPair> device;
  std::optional<budget::StoreLedger> ledger;
  std::unique_ptr<wire::Transport> transport;
  std::unique_ptr<device::DeviceShare> share;

  // The live record (worker_live.cpp): what the last poll saw, so that a change made elsewhere is
  // noticed within a poll and only the parts it touched are rebuilt.
  struct Live {
    bool on = false;  // unlocked: polling
    std::chrono::steady_clock::time_point next_poll{};
    std::int64_t data_version = -1;
    std::uint64_t inbox = 0, outbox = 0, consent = 0;  // file stamps (live.hpp)
    std::uint64_t reflections = 0, consent_log = 0, sharing = 0;  // fingerprints of what is shown
    std::int64_t next_check = 0;  // the clock's time of the next check for plans
    std::unique_ptr<ShareCheck> check;  // running, or finished and not collected yet
    std::optional<ShareCheckResult> last_check;
    std::vector<std::unique_ptr<ShareCheck>> retiring;  // cancelled by a lock; dropped once finished
  } live;

  // Read-ahead of weeks (worker_weeks.cpp).
  std::shared_ptr<const WeekTimeline> cached(std::int64_t week_start) const;
  Status rebuild_week();
  bool in_strip(std::int64_t week_start) const;
  // Keeps a complete week of the strip for the read-ahead cache (weeks outside the strip, reached
  // with "Earlier", are not kept: the cache stays one year).
  void keep_week(const std::shared_ptr<const WeekData>& w);
  // After a change to the journal every week's contributions and prompts may differ.
  void drop_weeks();
  void publish_weeks_into(Snapshot& n);
  void plan_warmup(std::int64_t around);

  // Sharing (worker_sharing.cpp). open_share (re)opens the ledger and the sharing API and builds
  // the sharing part; with `reconcile` it first records what the keyless uploader did (after an
  // unlock). A ledger that does not verify leaves sharing closed with the reason shown in its view.
  void open_share(const Paths& paths, const Clock& clock, bool reconcile = false);
  void close_share();
  // Reads the sharing part again over the open DeviceShare (after a decision or a change elsewhere).
  void rebuild_sharing(const Clock& clock);
  void rebuild_sharing_status(const Paths& paths, const Clock& clock);

  // The live record (worker_live.cpp). live_begin reads the marks before load_all reads the parts,
  // so a change made meanwhile is seen at the first poll; live_end stops polling and cancels a
  // running check (it finishes on its own thread, bounded by its deadline, and is dropped then).
  void live_begin(const Paths& paths);
  void live_end();
  // Rebuilds the parts a change made elsewhere touched; true when any part changed.
  bool refresh_changed(const Paths& paths, const Clock& clock);
  // Its first step: the parts built from the day rollups (year, weeks, review, Applications).
  bool refresh_record(const Clock& clock);

  // The journal-dependent parts (worker_journal.cpp): reload the journal and rebuild them.
  Status refresh_journal();
};

// Sets the message of the snapshot being composed: a message belongs to the command that made it.
void say(Snapshot& s, std::string text, bool error = false);

// The sharing part holds the employee's own values and noise: overwrite them before freeing, when
// no one else holds the part (scrub.cpp's rule for the other parts).
void scrub_sharing(std::shared_ptr<const SharingData>& part);

}  // namespace cairn::ui

// The worker: the one thread that owns the vault keys and the Store connection. Commands go in
// through a queue; every change publishes a new immutable Snapshot, and `wake` (the backend's
// glfwPostEmptyEvent) tells the sleeping UI to draw it. The UI never waits for the store.
//
// Each command has one handler, chosen by std::visit; the handlers are split by concern:
// worker_session.cpp (create, unlock with import, lock, onboarding, auto-lock), worker_journal.cpp
// (contributions, outcomes, goals, reflections, review, sources), worker_sharing.cpp (plans and
// reports) and worker_weeks.cpp (the week on screen and the read-ahead of weeks while idle).
// worker_live.cpp keeps the record live while unlocked: every kLivePoll it asks the store whether
// another connection committed (PRAGMA data_version) and stats the inbox, the outbox and
// consent.conf; only then does it read what changed and rebuild those parts. It also starts the
// background checks for plans (after unlock, every kShareCheckInterval and on "Check now").
//
// Thread safety: send(), latest(), idle() and timings() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "commands.hpp"
#include "snapshot.hpp"

namespace cairn::ui {

// How long the last unlock took, split so the panel benchmark can leave Argon2id out.
struct UnlockTimings {
  double kdf_ms = 0;     // vault_unlock (Argon2id)
  double open_ms = 0;    // Store::open
  double import_ms = 0;  // inbox import
  double build_ms = 0;   // first snapshot
  double week_ms = 0;    // the last week switch (building the week's part and publishing it)
  double live_ms = 0;    // the last refresh after a change made elsewhere (reading what changed, rebuilding)
};

struct WorkerState;

// How often an unlocked worker looks for changes made elsewhere (a change shows within a second).
inline constexpr std::chrono::milliseconds kLivePoll{300};
// How often an unlocked panel checks for new plans and due reports (and right after unlocking).
inline constexpr std::int64_t kShareCheckInterval = 15 * 60;

class Worker {
 public:
  Worker(Paths paths, const Clock& clock, std::function<void()> wake);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void send(cmd::Command c);
  std::shared_ptr<const Snapshot> latest() const;
  // True when no command is queued or running (tests wait for this before checking effects).
  bool idle() const;
  UnlockTimings timings() const;

 private:
  using State = WorkerState;
  void run();
  bool idle_step();        // one piece of background work; false when there is none left
  bool read_ahead_step();  // one week of read-ahead; false when none is left
  // The live record (worker_live.cpp): when a poll is due, look for changes made elsewhere and
  // publish the parts they touched; collect a finished check and start a due one.
  bool live_due() const;
  void live_step();
  void start_check();
  void import_quietly();  // inbox batches the daemon sealed while the panel is open
  void publish();
  void apply(cmd::Command& c);

  // The handlers: each returns true when apply() should publish the result afterwards.
  bool handle(cmd::CreateVault& x);  // worker_session.cpp
  bool handle(cmd::Unlock& x);
  bool handle(cmd::RecoverySaved& x);
  bool handle(cmd::FinishOnboarding& x);
  bool handle(cmd::Lock& x);
  bool handle(cmd::SetAutolock& x);
  bool handle(cmd::ShowWeek& x);  // worker_weeks.cpp
  bool handle(cmd::ShowApps& x);  // worker_apps.cpp
  bool handle(cmd::ReadRules& x);
  bool handle(cmd::SaveRules& x);
  bool handle(cmd::MarkStretch& x);
  bool handle(cmd::SelectContribution& x);  // worker_journal.cpp
  bool handle(cmd::SaveContribution& x);
  bool handle(cmd::DeleteContribution& x);
  bool handle(cmd::AddOutcome& x);
  bool handle(cmd::AddGoal& x);
  bool handle(cmd::ReviseGoal& x);
  bool handle(cmd::SaveReflection& x);
  bool handle(cmd::BuildReview& x);
  bool handle(cmd::ExportReview& x);
  bool handle(cmd::ExportContributions& x);
  bool handle(cmd::SetSource& x);
  bool handle(cmd::DeleteSourceData& x);
  bool handle(cmd::JoinPlan& x);  // worker_sharing.cpp
  bool handle(cmd::DecideReport& x);
  bool handle(cmd::CheckSharing& x);

  // Session steps (worker_session.cpp).
  Status open_store();
  void import_inbox();  // unlock's import of what the daemon collected, with progress
  Status load_all();    // everything the views show after an unlock or onboarding
  void lock();          // drop decrypted parts, then the connection, then the keys

  Paths paths_;
  const Clock& clock_;
  std::function<void()> wake_;
  std::unique_ptr<State> state_;  // touched only by the worker thread

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<cmd::Command> queue_;
  bool busy_ = false;
  bool visible_pending_ = false;  // a part the views show is still being built in the background
  bool stop_ = false;
  std::shared_ptr<const Snapshot> latest_;
  UnlockTimings timings_;
  std::thread thread_;
};

}  // namespace cairn::ui

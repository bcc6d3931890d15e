// One check for plans and due reports, off the worker thread (docs/panel.md, "Sharing"): what
// `cairn share sync` does minus the upload (the keyless cairn-upload sends). It runs on its own
// thread with its own Store connection: the store key and the device key are derived for it and
// wiped when it ends. It fetches the organisation's plans (signature, pinned keys, closed periods)
// and prepares the reports due for the joined plans, each left pending for the employee, then
// fetches the released team results of the plans this device reported to. The
// worker sees what it wrote through data_version, like any other writer, so the UI never waits for
// the network. A call is bounded by the transport's deadline (kCheckDeadline); cancel() (on lock)
// makes it stop before preparing anything.
//
// Thread safety: owned and queried by the worker thread only; the check runs on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "cairn/base/clock.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/crypto/secret.hpp"
#include "cairn/crypto/sodium.hpp"

namespace cairn::ui {

// The longest one network call of a check may take (connect to last byte).
inline constexpr std::chrono::seconds kCheckDeadline{15};

struct ShareCheckResult {
  std::int64_t finished = 0;  // the clock's time when it ended
  bool reached = false;       // the leader answered the plan list
  std::string error;          // one line, made safe; empty when the check went through
  int plans_new = 0, prepared = 0;
  int team_new = 0;  // released periods of the plans reported to, not seen before this check
};

class ShareCheck {
 public:
  ShareCheck(Paths paths, crypto::SecretBytes store_key, crypto::SignKeyPair device, const Clock& clock);
  ~ShareCheck();  // cancels, then waits for the thread (at most one call's deadline)
  ShareCheck(const ShareCheck&) = delete;
  ShareCheck& operator=(const ShareCheck&) = delete;

  bool finished() const { return done_.load(std::memory_order_acquire); }
  // Valid once finished().
  const ShareCheckResult& result() const { return result_; }
  void cancel() { cancel_.store(true, std::memory_order_release); }

 private:
  void run();

  Paths paths_;
  crypto::SecretBytes store_key_;
  crypto::SignKeyPair device_;
  const Clock& clock_;
  ShareCheckResult result_;  // written by the thread before done_ is set
  std::atomic<bool> done_{false}, cancel_{false};
  std::thread thread_;
};

// The line the Sharing view shows about checks: "Checked for plans at 10:02; 1 report prepared",
// "Checking for plans…", "Last check 10:02: the leader could not be reached (…)".
std::string check_line(const ShareCheckResult* last, bool running, const Clock& clock);

}  // namespace cairn::ui

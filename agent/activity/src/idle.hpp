// IdleWatcher: tells the activity monitor when the user stops and resumes giving input.
//
// Preferred: two XSync alarms on the server's IDLETIME counter (milliseconds since the last input):
// a positive transition at the threshold (idle begins) and a negative transition just below it
// (input came back). Both stay armed for the life of the connection (transition alarms with delta
// 0 re-trigger on every crossing), so no re-arming round trips and no timers.
//
// Fallback when SYNC or its IDLETIME counter is missing: MIT-SCREEN-SAVER QueryInfo on a one-shot
// timer, due exactly when idle could first be reached, then every few seconds while idle only.
//
// Thread safety: none; owned by the monitor.
#pragma once

#include <xcb/xcb.h>
#include <xcb/sync.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cairn::activity {

class IdleWatcher {
 public:
  enum class Change { none, became_idle, became_active };
  struct Transition {
    Change change = Change::none;
    std::int64_t seconds = 0;  // became_idle: seconds without input; became_active: seconds since input
  };
  enum class Mechanism { sync_alarms, screensaver_query, unavailable };

  IdleWatcher(xcb_connection_t* c, xcb_window_t root, std::int64_t threshold_s, bool force_screensaver,
              std::int64_t check_s);
  ~IdleWatcher();
  IdleWatcher(const IdleWatcher&) = delete;
  IdleWatcher& operator=(const IdleWatcher&) = delete;

  // The state at start-up (the user may already be idle).
  Transition initial();
  // Consumes the event if it is one of our alarms.
  bool handle_event(const xcb_generic_event_t* ev, Transition& out);
  // Fallback timer: runs the check when due. Always none for the SYNC mechanism.
  Transition on_timer();
  // Something suggests the user may be back (fallback only): check at the next dispatch.
  void nudge();
  // Milliseconds until on_timer() is due; -1 when there is no timer.
  int timeout_ms() const;
  // Milliseconds since the last input (one round trip); nullopt when unavailable.
  std::optional<std::int64_t> idle_ms();

  Mechanism mechanism() const { return mechanism_; }
  const std::string& status() const { return status_; }

 private:
  using Steady = std::chrono::steady_clock;
  bool setup_sync();
  bool setup_screensaver();
  Transition check_screensaver();
  std::optional<std::int64_t> query_screensaver();

  xcb_connection_t* c_;
  xcb_window_t root_;
  std::int64_t threshold_ms_;
  std::int64_t check_ms_;
  Mechanism mechanism_ = Mechanism::unavailable;
  std::string status_;
  bool idle_ = false;
  // SYNC
  std::uint8_t sync_event_base_ = 0;
  xcb_sync_counter_t counter_ = XCB_NONE;
  xcb_sync_alarm_t idle_alarm_ = XCB_NONE;
  xcb_sync_alarm_t active_alarm_ = XCB_NONE;
  // MIT-SCREEN-SAVER
  std::optional<Steady::time_point> next_check_;
};

}  // namespace cairn::activity

// ActivityMonitor: the X11 activity source. Watches which application is in the foreground and
// whether the user is idle, and hands out ActivitySpan batches (see spans.hpp for the rules).
//
// Event driven, never a polling loop: it selects PropertyChangeMask on the root window and reacts
// to _NET_ACTIVE_WINDOW changes (reading the new window's WM_CLASS), and detects idle with two
// XSync alarms on the server's IDLETIME counter (a positive transition at the threshold, a negative
// one when input returns). Without SYNC/IDLETIME it falls back to the MIT-SCREEN-SAVER idle query
// on a one-shot timer: when idle could first be reached, then every few seconds while idle only
// (status() says which mechanism runs). It talks xcb, not Xlib, to stay small.
//
// Privacy: window titles (_NET_WM_NAME / WM_NAME) are never requested from the server unless
// collect_titles is on (the separate activity-titles consent); turning it off also drops every
// title not yet handed out. Keystrokes, pointer positions and window contents are never read.
//
// Integration (the daemon's loop):
//   auto mon = ActivityMonitor::open(clock, rules, options);     // Result<unique_ptr<...>>
//   poll({mon->fd(), POLLIN}, ..., min(mon->poll_timeout_ms(), batch timer));
//   Status s = mon->dispatch(clock.now());   // after fd readiness or timeout; error = X is gone
//   every minute: write mon->checkpoint(clock.now());   at exit: write mon->stop(clock.now())
// dispatch() returns Errc::io once the X server connection is lost: stop polling fd() then (it stays
// readable), hand out checkpoint()/stop() (the spans until the loss) and drop the monitor; open a
// new one if the session comes back. Revoking the activity consent: stop() and drop the monitor
// (that closes the X connection). Revoking only activity-titles: set_collect_titles(false, now).
//
// Thread safety: none; one thread owns the monitor. The clock must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cairn/activity/rules.hpp"
#include "cairn/activity/source.hpp"
#include "cairn/activity/spans.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/result.hpp"

namespace cairn::activity {

// Options of every backend (open.hpp chooses one); the X-only ones are marked.
struct MonitorOptions {
  std::string display;              // X display name; empty = $DISPLAY
  std::string wayland_display;      // Wayland socket name; empty = $WAYLAND_DISPLAY
  std::string kwin_script_dir;      // KDE: Cairn's KWin scripts; empty = <prefix>/share/cairn/kwin
  std::int64_t idle_threshold_s = 180;  // no input for this long = idle (backdated to the last input)
  bool collect_titles = false;      // the activity-titles consent
  // Idle mechanism: SYNC IDLETIME alarms when available, else MIT-SCREEN-SAVER queries.
  // force_screensaver_idle skips SYNC (tests, and servers whose IDLETIME misbehaves).
  bool force_screensaver_idle = false;
  std::int64_t screensaver_check_s = 5;  // fallback: check period while idle (capped at threshold/2)
};

// The X11 backend of ActivitySource (source.hpp).
class ActivityMonitor final : public ActivitySource {
 public:
  // Connects to the X server and starts observing at clock.now(). Errc::not_found when no display
  // can be opened, Errc::refused when the server lacks what is needed (root window properties).
  static Result<std::unique_ptr<ActivityMonitor>> open(const Clock& clock, CategoryRules rules,
                                                       MonitorOptions options);
  ~ActivityMonitor() override;
  ActivityMonitor(const ActivityMonitor&) = delete;
  ActivityMonitor& operator=(const ActivityMonitor&) = delete;

  // The X connection's file descriptor: poll it for POLLIN, then call dispatch().
  int fd() const override;
  // Milliseconds until dispatch() must run even without input on fd() (only the screen-saver
  // fallback has a timer); -1 = no deadline.
  int poll_timeout_ms() const override;
  // Processes every pending X event and due timer at `now`. Errc::io when the X server went away
  // (the monitor then records nothing more; checkpoint()/stop() still hand out what it has).
  Status dispatch(Instant now) override;

  // Closed spans plus the open span cut at `now` (minus the quiet tail an idle alarm may still
  // claim; see spans.hpp). Call at least once a minute.
  std::vector<ActivitySpan> checkpoint(Instant now) override;
  // Closes everything; the monitor records nothing afterwards.
  std::vector<ActivitySpan> stop(Instant now) override;

  // Consent and settings changes while running; they apply from `now` on.
  void set_collect_titles(bool on, Instant now) override;
  void set_rules(CategoryRules rules, Instant now) override;

  // One line for the log and the panel: which idle mechanism runs, or why idle is unavailable.
  const char* backend() const override { return "x11"; }
  const std::string& status() const override;
  bool idle() const override;
  bool collect_titles() const override;

  struct Impl;

 private:
  explicit ActivityMonitor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::activity

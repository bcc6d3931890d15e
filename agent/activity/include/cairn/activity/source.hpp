// ActivitySource: what the daemon's loop needs from an activity backend, whatever the window
// system (X11, a wlroots compositor, GNOME Shell, KWin). Each backend watches which application is
// in the foreground and whether the user is idle, event driven, and hands out ActivitySpan batches
// built by a SpanBuilder (spans.hpp holds the merging rules).
//
// Privacy, the same for every backend: the application's class / app id only; a window title enters
// the process only while collect_titles is on (the activity-titles consent), and turning it off
// drops every title not yet handed out. Idle comes from the window system, never from reading input.
//
// Integration (the daemon's loop):
//   poll({src->fd(), POLLIN}, ..., min(src->poll_timeout_ms(), other timers));
//   Status s = src->dispatch(clock.now());  // after readiness or timeout; error = the session is gone
//   every minute: write src->checkpoint(now);  at exit: write src->stop(now)
// After dispatch() fails, checkpoint()/stop() still hand out the spans up to the loss.
//
// Thread safety: none; one thread owns a source. The clock must outlive it.
#pragma once

#include <string>
#include <vector>

#include "cairn/activity/rules.hpp"
#include "cairn/activity/spans.hpp"
#include "cairn/base/result.hpp"

namespace cairn::activity {

inline constexpr std::size_t kMaxClassBytes = 256;  // class names / app ids are cut (at a UTF-8 boundary)
inline constexpr std::size_t kMaxTitleBytes = 512;  // titles likewise

class ActivitySource {
 public:
  virtual ~ActivitySource() = default;

  // The descriptor to poll for POLLIN before dispatch().
  virtual int fd() const = 0;
  // Milliseconds until dispatch() must run even without input on fd(); -1 = no deadline.
  virtual int poll_timeout_ms() const = 0;
  // Handles everything pending at `now`. Errc::io once the session is gone.
  virtual Status dispatch(Instant now) = 0;
  // Closed spans plus the open span cut at `now` (minus a quiet tail an idle notice may still claim).
  virtual std::vector<ActivitySpan> checkpoint(Instant now) = 0;
  // Closes everything; the source records nothing afterwards.
  virtual std::vector<ActivitySpan> stop(Instant now) = 0;

  virtual void set_collect_titles(bool on, Instant now) = 0;
  virtual void set_rules(CategoryRules rules, Instant now) = 0;

  // The backend's short name for the status file: "x11", "wlroots", "gnome", "kde".
  virtual const char* backend() const = 0;
  // One line for the log and the panel: which mechanisms run (never a title or a class).
  virtual const std::string& status() const = 0;
  virtual bool idle() const = 0;
  virtual bool collect_titles() const = 0;
};

}  // namespace cairn::activity

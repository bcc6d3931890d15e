// open_source: detects the desktop session (session.hpp) and opens the activity backend that can
// watch it: X11 (ActivityMonitor), wlroots, GNOME Shell or KDE Plasma. When none can, the error
// says exactly why, in words shown to the employee by `cairn status` and the panel:
//   Errc::not_found  no graphical session, or its display cannot be reached (worth retrying)
//   Errc::refused    the session is known but cannot be watched (e.g. weston, or GNOME without
//                    Cairn's shell extension enabled); the message names the fix when there is one
#pragma once

#include <memory>

#include "cairn/activity/monitor.hpp"
#include "cairn/activity/session.hpp"
#include "cairn/activity/source.hpp"

namespace cairn::activity {

// Opens the backend for `env` (SessionEnv::from_process() in the daemon). On failure `session`
// still says what was detected.
Result<std::unique_ptr<ActivitySource>> open_source(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                    const SessionEnv& env, Session* session);

}  // namespace cairn::activity

// The activity backends open_source() chooses between (open.cpp). Each returns an ActivitySource
// or an error whose message says, in words a person can act on, why this session cannot be
// watched.
#pragma once

#include <memory>

#include "cairn/activity/monitor.hpp"
#include "cairn/activity/source.hpp"
#include "wl_session.hpp"

namespace cairn::activity {

// wlroots compositors: zwlr_foreign_toplevel_manager_v1 + the session's idle notifier.
Result<std::unique_ptr<ActivitySource>> open_wlroots(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                     std::unique_ptr<WaylandSession> session);
// GNOME Shell: org.gnome.Mutter.IdleMonitor + Cairn's shell extension on the session bus.
Result<std::unique_ptr<ActivitySource>> open_gnome(const Clock& clock, CategoryRules rules, MonitorOptions options);
// KDE Plasma: the Wayland idle notifier + Cairn's KWin script reporting activations over D-Bus.
Result<std::unique_ptr<ActivitySource>> open_kde(const Clock& clock, CategoryRules rules, MonitorOptions options,
                                                 std::unique_ptr<WaylandSession> session);

}  // namespace cairn::activity

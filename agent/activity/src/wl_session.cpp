// WaylandSession (contract in wl_session.hpp).
#include "wl_session.hpp"

#include <poll.h>
#include <wayland-client.h>

#include <cstdlib>
#include <cstring>

#include "ext-idle-notify-v1-client-protocol.h"
#include "kde-idle-client-protocol.h"

namespace cairn::activity {

void WaylandSession::on_global(void* data, wl_registry*, std::uint32_t name, const char* interface,
                               std::uint32_t version) {
  static_cast<WaylandSession*>(data)->globals_.push_back({name, interface, version});
}

void WaylandSession::on_global_remove(void* data, wl_registry*, std::uint32_t name) {
  auto& g = static_cast<WaylandSession*>(data)->globals_;
  for (auto it = g.begin(); it != g.end(); ++it)
    if (it->name == name) {
      g.erase(it);
      return;
    }
}

Result<std::unique_ptr<WaylandSession>> WaylandSession::connect(const std::string& name) {
  std::unique_ptr<WaylandSession> s(new WaylandSession());
  s->display_ = wl_display_connect(name.empty() ? nullptr : name.c_str());
  if (s->display_ == nullptr) {
    const char* shown = name.empty() ? std::getenv("WAYLAND_DISPLAY") : name.c_str();
    return make_error(Errc::not_found, std::string("cannot connect to the Wayland display \"") + (shown ? shown : "") +
                                           "\": " + std::strerror(errno));
  }
  static const wl_registry_listener listener = {&WaylandSession::on_global, &WaylandSession::on_global_remove};
  s->registry_ = wl_display_get_registry(s->display_);
  wl_registry_add_listener(s->registry_, &listener, s.get());
  if (wl_display_roundtrip(s->display_) < 0)
    return make_error(Errc::io, "the Wayland compositor closed the connection while listing its globals");
  return s;
}

WaylandSession::~WaylandSession() {
  if (ext_notification_) ext_idle_notification_v1_destroy(ext_notification_);
  if (ext_notifier_) ext_idle_notifier_v1_destroy(ext_notifier_);
  if (kde_timeout_) org_kde_kwin_idle_timeout_release(kde_timeout_);
  if (kde_idle_) org_kde_kwin_idle_destroy(kde_idle_);
  if (seat_) wl_seat_destroy(seat_);
  if (registry_) wl_registry_destroy(registry_);
  if (display_) {
    wl_display_flush(display_);
    wl_display_disconnect(display_);
  }
}

std::vector<std::string> WaylandSession::interface_names() const {
  std::vector<std::string> out;
  for (const auto& g : globals_) out.push_back(g.interface);
  return out;
}

const WaylandSession::Global* WaylandSession::find(const char* interface) const {
  for (const auto& g : globals_)
    if (g.interface == interface) return &g;
  return nullptr;
}

bool WaylandSession::idle_available() const {
  return find("wl_seat") && (find("ext_idle_notifier_v1") || find("org_kde_kwin_idle"));
}

void WaylandSession::on_ext_idled(void* data, ext_idle_notification_v1*) {
  auto* s = static_cast<WaylandSession*>(data);
  if (s->on_idle_) s->on_idle_(true);
}
void WaylandSession::on_ext_resumed(void* data, ext_idle_notification_v1*) {
  auto* s = static_cast<WaylandSession*>(data);
  if (s->on_idle_) s->on_idle_(false);
}
void WaylandSession::on_kde_idle(void* data, org_kde_kwin_idle_timeout*) { on_ext_idled(data, nullptr); }
void WaylandSession::on_kde_resumed(void* data, org_kde_kwin_idle_timeout*) { on_ext_resumed(data, nullptr); }

Result<std::string> WaylandSession::watch_idle(std::uint32_t threshold_ms, std::function<void(bool)> on_change) {
  const Global* seat = find("wl_seat");
  const Global* ext = find("ext_idle_notifier_v1");
  const Global* kde = find("org_kde_kwin_idle");
  if (!seat || (!ext && !kde))
    return make_error(Errc::refused, "the compositor offers no idle notifications (ext-idle-notify-v1 or org_kde_kwin_idle)");
  on_idle_ = std::move(on_change);
  // Version 5 lets us release the seat once the idle object exists: otherwise the compositor
  // tells us of every keyboard coming and going (wtype, on-screen keyboards), each a wake-up.
  const std::uint32_t seat_version = seat->version >= 5 ? 5 : 1;
  seat_ = static_cast<wl_seat*>(wl_registry_bind(registry_, seat->name, &wl_seat_interface, seat_version));
  std::string how;
  if (ext) {
    static const ext_idle_notification_v1_listener l = {&WaylandSession::on_ext_idled, &WaylandSession::on_ext_resumed};
    ext_notifier_ = static_cast<ext_idle_notifier_v1*>(wl_registry_bind(registry_, ext->name, &ext_idle_notifier_v1_interface, 1));
    ext_notification_ = ext_idle_notifier_v1_get_idle_notification(ext_notifier_, threshold_ms, seat_);
    ext_idle_notification_v1_add_listener(ext_notification_, &l, this);
    how = "idle: ext-idle-notify-v1";
  } else {
    static const org_kde_kwin_idle_timeout_listener l = {&WaylandSession::on_kde_idle, &WaylandSession::on_kde_resumed};
    kde_idle_ = static_cast<org_kde_kwin_idle*>(wl_registry_bind(registry_, kde->name, &org_kde_kwin_idle_interface, 1));
    kde_timeout_ = org_kde_kwin_idle_get_idle_timeout(kde_idle_, seat_, threshold_ms);
    org_kde_kwin_idle_timeout_add_listener(kde_timeout_, &l, this);
    how = "idle: org_kde_kwin_idle";
  }
  if (!roundtrip()) return make_error(Errc::io, "the Wayland compositor closed the connection");
  if (seat_version >= 5) {
    wl_seat_release(seat_);
    seat_ = nullptr;
  }
  return how;
}

int WaylandSession::fd() const { return wl_display_get_fd(display_); }

bool WaylandSession::pump() {
  if (broken_) return false;
  while (wl_display_prepare_read(display_) != 0) wl_display_dispatch_pending(display_);
  wl_display_flush(display_);
  pollfd p{wl_display_get_fd(display_), POLLIN, 0};
  if (::poll(&p, 1, 0) > 0) {
    if (wl_display_read_events(display_) < 0) broken_ = true;
  } else {
    wl_display_cancel_read(display_);
  }
  if (wl_display_dispatch_pending(display_) < 0) broken_ = true;
  wl_display_flush(display_);
  if (wl_display_get_error(display_) != 0) broken_ = true;
  return !broken_;
}

bool WaylandSession::roundtrip() {
  if (broken_) return false;
  if (wl_display_roundtrip(display_) < 0) broken_ = true;
  return !broken_;
}

}  // namespace cairn::activity

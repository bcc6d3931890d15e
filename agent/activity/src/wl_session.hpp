// WaylandSession: one connection to the Wayland compositor for the activity backends. Lists the
// compositor's globals (session detection reads them), binds the seat and the idle notifier
// (ext_idle_notifier_v1 where offered, else org_kde_kwin_idle), and pumps events without ever
// blocking: the daemon's poll() says when the socket is readable.
//
// Idle: the compositor tells us when no input arrived for the threshold ("idled") and when input
// returns ("resumed"); no timer runs on our side.
//
// Thread safety: none; owned by one backend.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"

struct wl_display;
struct wl_registry;
struct wl_seat;
struct ext_idle_notifier_v1;
struct ext_idle_notification_v1;
struct org_kde_kwin_idle;
struct org_kde_kwin_idle_timeout;

namespace cairn::activity {

class WaylandSession {
 public:
  struct Global {
    std::uint32_t name;
    std::string interface;
    std::uint32_t version;
  };

  // Connects (empty name = $WAYLAND_DISPLAY) and reads the registry (one round trip).
  static Result<std::unique_ptr<WaylandSession>> connect(const std::string& name);
  ~WaylandSession();
  WaylandSession(const WaylandSession&) = delete;
  WaylandSession& operator=(const WaylandSession&) = delete;

  wl_display* display() const { return display_; }
  wl_registry* registry() const { return registry_; }
  const std::vector<Global>& globals() const { return globals_; }
  std::vector<std::string> interface_names() const;
  const Global* find(const char* interface) const;

  // Starts idle notifications at threshold_ms; on_change(true) = idle began, (false) = input came
  // back. Returns a description of the mechanism, or an error when the compositor offers none.
  Result<std::string> watch_idle(std::uint32_t threshold_ms, std::function<void(bool)> on_change);
  bool idle_available() const;

  int fd() const;
  // Reads what is readable and runs the handlers; false once the connection is broken.
  bool pump();
  // Flushes and waits for the compositor to answer everything sent so far; false when broken.
  bool roundtrip();

 private:
  WaylandSession() = default;
  static void on_global(void* data, wl_registry* r, std::uint32_t name, const char* interface, std::uint32_t version);
  static void on_global_remove(void* data, wl_registry* r, std::uint32_t name);
  static void on_ext_idled(void* data, ext_idle_notification_v1*);
  static void on_ext_resumed(void* data, ext_idle_notification_v1*);
  static void on_kde_idle(void* data, org_kde_kwin_idle_timeout*);
  static void on_kde_resumed(void* data, org_kde_kwin_idle_timeout*);

  wl_display* display_ = nullptr;
  wl_registry* registry_ = nullptr;
  std::vector<Global> globals_;
  wl_seat* seat_ = nullptr;
  ext_idle_notifier_v1* ext_notifier_ = nullptr;
  ext_idle_notification_v1* ext_notification_ = nullptr;
  org_kde_kwin_idle* kde_idle_ = nullptr;
  org_kde_kwin_idle_timeout* kde_timeout_ = nullptr;
  std::function<void(bool)> on_idle_;
  bool broken_ = false;
};

}  // namespace cairn::activity

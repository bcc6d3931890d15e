// SessionBus: the user's D-Bus session bus over sd-bus (libsystemd), for the GNOME and KDE
// backends. Local only ($DBUS_SESSION_BUS_ADDRESS, normally $XDG_RUNTIME_DIR/bus). Calls are
// synchronous (a local round trip) and rare; signals are handled by process() when fd() is
// readable.
//
// Thread safety: none; owned by one backend.
#pragma once

#include <memory>
#include <string>

#include "cairn/base/result.hpp"

struct sd_bus;

namespace cairn::activity {

class SessionBus {
 public:
  static Result<std::unique_ptr<SessionBus>> open();
  ~SessionBus();
  SessionBus(const SessionBus&) = delete;
  SessionBus& operator=(const SessionBus&) = delete;

  sd_bus* get() const { return bus_; }
  int fd() const;
  // Milliseconds until process() must run even without input; -1 = none.
  int timeout_ms() const;
  // Runs every pending handler; false once the connection is broken.
  bool process();
  // Whether `name` currently has an owner on the bus.
  bool has_owner(const char* name) const;

 private:
  explicit SessionBus(sd_bus* b) : bus_(b) {}
  sd_bus* bus_;
};

// "name: message" for an sd-bus error code, or a method error's own message.
std::string bus_error(int r, const char* what);

}  // namespace cairn::activity

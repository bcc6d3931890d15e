// SessionBus: the user's D-Bus session bus over sd-bus (libsystemd), for the GNOME and KDE
// backends. Local only ($DBUS_SESSION_BUS_ADDRESS, normally $XDG_RUNTIME_DIR/bus). Calls are
// synchronous (a local round trip) and rare; signals are handled by process() when fd() is
// readable. Also the setup both backends share: open_on_session_bus() (connect, construct,
// start) and BusReply (a method call's reply and error, freed on every path).
//
// Thread safety: none; owned by one backend.
#pragma once

#include <memory>
#include <string>

#include <systemd/sd-bus.h>

#include "cairn/activity/source.hpp"
#include "cairn/base/result.hpp"

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

// The reply and error of one sd_bus_call_method, released when it goes out of scope:
//   BusReply call;
//   int r = sd_bus_call_method(bus, ..., call.error(), call.out(), "s", arg);
//   if (r >= 0) r = sd_bus_message_read(call.reply(), "u", &id);
class BusReply {
 public:
  BusReply() = default;
  ~BusReply();
  BusReply(const BusReply&) = delete;
  BusReply& operator=(const BusReply&) = delete;

  sd_bus_message** out() { return &reply_; }
  sd_bus_message* reply() const { return reply_; }
  sd_bus_error* error() { return &err_; }
  // The method error's message ("" when there is none).
  std::string error_message() const { return err_.message ? err_.message : ""; }

 private:
  sd_bus_message* reply_ = nullptr;
  sd_bus_error err_ = SD_BUS_ERROR_NULL;
};

// Connects to the session bus, constructs Source(args..., bus) and starts it: the setup the GNOME
// and KDE backends share. Source::start() returns Status.
template <class Source, class... Args>
Result<std::unique_ptr<ActivitySource>> open_on_session_bus(Args&&... args) {
  auto bus = CAIRN_TRY(SessionBus::open());
  auto src = std::make_unique<Source>(std::forward<Args>(args)..., std::move(bus));
  CAIRN_TRY(src->start());
  return std::unique_ptr<ActivitySource>(std::move(src));
}

}  // namespace cairn::activity

// SessionBus over sd-bus (contract in bus.hpp).
#include "bus.hpp"

#include <time.h>

#include <cstring>

namespace cairn::activity {

std::string bus_error(int r, const char* what) { return std::string(what) + ": " + std::strerror(r < 0 ? -r : r); }

Result<std::unique_ptr<SessionBus>> SessionBus::open() {
  sd_bus* b = nullptr;
  int r = sd_bus_open_user(&b);
  if (r < 0) return make_error(Errc::not_found, bus_error(r, "cannot connect to the D-Bus session bus"));
  return std::unique_ptr<SessionBus>(new SessionBus(b));
}

SessionBus::~SessionBus() {
  if (bus_) sd_bus_flush_close_unref(bus_);
}

int SessionBus::fd() const { return sd_bus_get_fd(bus_); }

int SessionBus::timeout_ms() const {
  std::uint64_t usec = 0;
  if (sd_bus_get_timeout(bus_, &usec) < 0 || usec == UINT64_MAX) return -1;
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  std::uint64_t now = static_cast<std::uint64_t>(ts.tv_sec) * 1000000 + static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
  return usec <= now ? 0 : static_cast<int>((usec - now + 999) / 1000);
}

bool SessionBus::process() {
  int r;
  while ((r = sd_bus_process(bus_, nullptr)) > 0) {
  }
  if (r < 0) return false;
  return sd_bus_flush(bus_) >= 0 && sd_bus_is_open(bus_) > 0;
}

bool SessionBus::has_owner(const char* name) const {
  BusReply call;
  int r = sd_bus_call_method(bus_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                             "NameHasOwner", call.error(), call.out(), "s", name);
  int owned = 0;
  if (r >= 0) r = sd_bus_message_read(call.reply(), "b", &owned);
  return r >= 0 && owned;
}

BusReply::~BusReply() {
  sd_bus_message_unref(reply_);
  sd_bus_error_free(&err_);
}

}  // namespace cairn::activity

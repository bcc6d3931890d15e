// A private Xvfb for tests that need to kill the X server or start it without an extension. The
// server picks a free display itself (-displayfd) and is killed when the object goes away.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cairn::activity::testing {

class XServer {
 public:
  // Starts Xvfb with extra arguments (e.g. {"-extension", "SYNC"}); nullopt if it did not come up
  // within 10 s.
  static std::optional<XServer> start(const std::vector<std::string>& extra_args = {});
  XServer(XServer&& o) noexcept : pid_(o.pid_), display_(std::move(o.display_)) { o.pid_ = -1; }
  XServer& operator=(XServer&&) = delete;
  ~XServer() { kill(); }

  const std::string& display() const { return display_; }
  // SIGTERM and reap; idempotent.
  void kill();

 private:
  XServer(pid_t pid, std::string display) : pid_(pid), display_(std::move(display)) {}
  pid_t pid_ = -1;
  std::string display_;
};

}  // namespace cairn::activity::testing

// The daemon's side of the activity status file (format in docs/formats.md).
#include <unistd.h>

#include <ctime>

#include "cairn/activity_status/status_file.hpp"
#include "impl.hpp"

namespace cairn::daemon {

void Daemon::Impl::write_activity_status(const std::string& state, const std::string& backend, const std::string& detail) {
  activity_status::StatusFile s{state, backend, detail, static_cast<std::int64_t>(std::time(nullptr)), ::getpid()};
  if (auto st = activity_status::write_status_file(activity_status::status_file_path(opt.paths.data), s); !st.ok())
    log("cannot write the activity status file: " + st.error().message);
}

}  // namespace cairn::daemon

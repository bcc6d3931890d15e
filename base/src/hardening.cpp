// Hardening of processes that may hold a key: see hardening.hpp.
#include "cairn/base/hardening.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace cairn {

Status harden_process() {
  ::umask(077);
  struct rlimit none {0, 0};
  if (::setrlimit(RLIMIT_CORE, &none) != 0)
    return make_error(Errc::io, std::string("cannot disable core dumps: ") + std::strerror(errno));
  if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    return make_error(Errc::io, std::string("cannot mark the process undumpable: ") + std::strerror(errno));
  return ok_status();
}

}  // namespace cairn

// cairn-scan: the short-lived helper the daemon spawns for rare heavy work (git through libgit2,
// .ics through libical), so the daemon itself never pays their memory. One JSON request on stdin,
// one JSON response on stdout; the protocol is in cairn/scan/protocol.hpp.
//
// libical prints parser warnings on stderr by itself; they could echo pieces of a calendar, and
// the daemon relays this process's stderr. So fd 2 is pointed at /dev/null and Cairn's own
// one-line errors go to a private duplicate of the original stderr.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/base/hardening.hpp"
#include "cairn/gitsrc/scan_service.hpp"

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(stderr, "usage: %s < request.json > response.json (no arguments)\n", argv[0]);
    return cairn::scan::kScanBadRequestExit;
  }
  // It holds the meeting-uid key and possibly commit messages: no core dumps, no ptrace.
  if (auto hardened = cairn::harden_process(); !hardened) {
    std::fprintf(stderr, "cairn-scan: %s\n", hardened.error().message.c_str());
    return 1;
  }
  std::FILE* err = stderr;
  const int err_fd = ::dup(STDERR_FILENO);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (err_fd >= 0 && null_fd >= 0) {
    if (std::FILE* own = ::fdopen(err_fd, "w")) {
      std::setvbuf(own, nullptr, _IOLBF, 0);
      ::dup2(null_fd, STDERR_FILENO);
      err = own;
    }
  }
  return cairn::gitsrc::serve_scan(stdin, stdout, err, cairn::system_clock());
}

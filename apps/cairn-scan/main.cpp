// cairn-scan: the short-lived helper the daemon spawns for rare heavy work (git through libgit2,
// .ics through libical), so the daemon itself never pays their memory. One JSON request on stdin,
// one JSON response on stdout; the protocol is in cairn/gitsrc/scan_protocol.hpp.
#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/gitsrc/scan_service.hpp"

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(stderr, "usage: %s < request.json > response.json (no arguments)\n", argv[0]);
    return cairn::gitsrc::kScanBadRequestExit;
  }
  return cairn::gitsrc::serve_scan(stdin, stdout, stderr, cairn::system_clock());
}

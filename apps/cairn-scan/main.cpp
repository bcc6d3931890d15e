// cairn-scan: the short-lived helper the daemon spawns to read git repositories through libgit2,
// so the daemon itself never pays libgit2's memory. One JSON request on stdin, one JSON response
// on stdout; the protocol is in cairn/scan/protocol.hpp. Calendars are cairn-scan-calendar's.
#include "cairn/base/clock.hpp"
#include "cairn/gitsrc/scan_service.hpp"
#include "cairn/scan/serve.hpp"

int main(int argc, char** argv) {
  return cairn::scan::helper_main(argc, argv, cairn::gitsrc::kGitHelperName, [](const cairn::scan::ScanRequest& r) {
    return cairn::gitsrc::run_git_scan(r, cairn::system_clock());
  });
}

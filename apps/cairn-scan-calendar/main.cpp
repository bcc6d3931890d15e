// cairn-scan-calendar: the short-lived helper the daemon spawns to read .ics files through
// libical, so the daemon itself never pays libical's and ICU's memory. One JSON request on stdin,
// one JSON response on stdout; the protocol is in cairn/scan/protocol.hpp. Git is cairn-scan's.
#include "cairn/base/clock.hpp"
#include "cairn/calendar/scan_service.hpp"
#include "cairn/scan/serve.hpp"

int main(int argc, char** argv) {
  return cairn::scan::helper_main(argc, argv, cairn::calendar::kCalendarHelperName,
                                  [](const cairn::scan::ScanRequest& r) {
                                    return cairn::calendar::run_calendar_scan(r, cairn::system_clock());
                                  });
}

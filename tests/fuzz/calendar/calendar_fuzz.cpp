// libFuzzer target for the .ics parser (DESIGN: every parser of outside input has a fuzz target).
// Beyond "no crash, no leak, no hang", it checks what every record must satisfy whatever the
// input: a positive duration, a start inside the window, an opaque 64-hex uid.
// Run: calendar_fuzz -max_len=65536 $CAIRN_SOURCE_DIR/tests/agent/calendar/fixtures
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cairn/calendar/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cairn::ManualClock clock(1700000000, 3600);
  static const std::uint8_t key[cairn::calendar::kUidKeyBytes] = {1, 2, 3, 4, 5, 6, 7, 8};
  cairn::calendar::ParseOptions options;
  options.from = 1672531200;      // 2023 ..
  options.to = 1767225600;        // .. 2026
  options.clock = &clock;
  options.self_emails = {"me@example.org"};
  options.max_iterations = 5000;   // keeps each input fast; the bound itself is what is tested
  options.max_occurrences = 5000;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = cairn::calendar::parse_calendar(text, cairn::calendar::UidKey(key), options);
  if (!parsed) return 0;
  for (const auto& m : parsed->meetings) {
    if (m.end <= m.start || m.start < options.from || m.start >= options.to || m.uid.size() != 64 ||
        m.attendees < 0 || (m.one_on_one && m.attendees != 2))
      std::abort();
  }
  return 0;
}

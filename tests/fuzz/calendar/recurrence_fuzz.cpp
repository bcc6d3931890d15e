// libFuzzer target for Cairn's own RRULE expansion (agent/calendar/src/recurrence.hpp), as a
// differential test: own_rule_supported() promises that expand_rule() reproduces libical's
// instances exactly, so for every rule it claims, the starts parse_calendar gives (own engine,
// UNTIL and COUNT included) must equal libical's iterator's. Input: byte 0 and 1 pick DTSTART
// (a day in 2024-2025 and a quarter hour, in UTC so no zone is involved); the rest is the RRULE
// value. Rules the own engine does not claim go to libical in the product too and are skipped.
#include <libical/ical.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "cairn/calendar/parse.hpp"
#include "recurrence.hpp"

namespace {

constexpr std::int64_t kFrom = 1704067200;  // 2024-01-01T00:00Z
constexpr std::int64_t kTo = 1798761600;    // 2027-01-01T00:00Z
constexpr int kLibicalSteps = 5000;

std::string two(int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3 || size > 300) return 0;
  const std::string rule_text(reinterpret_cast<const char*>(data + 2), size - 2);
  for (char c : rule_text)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return 0;  // one content line

  // DTSTART: day data[0] * 3 from 2024-01-01 (up to 2026-02), time data[1] % 96 quarter hours.
  const std::int64_t start = kFrom + std::int64_t{data[0]} * 3 * 86400 + std::int64_t{data[1] % 96} * 900;
  icaltimetype dtstart = icaltime_from_timet_with_zone(static_cast<time_t>(start), 0, icaltimezone_get_utc_timezone());
  const std::string dt = std::to_string(dtstart.year) + two(dtstart.month) + two(dtstart.day) + "T" + two(dtstart.hour) +
                         two(dtstart.minute) + "00Z";

  // The product's reading: parse_calendar on a one-event calendar.
  const std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Cairn fuzz//EN\r\nBEGIN:VEVENT\r\n"
                          "UID:rule@example.org\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:" + dt +
                          "\r\nDURATION:PT30M\r\nRRULE:" + rule_text + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  static const cairn::ManualClock clock(kFrom, 0);
  static const std::array<std::uint8_t, cairn::calendar::kUidKeyBytes> key{};
  cairn::calendar::ParseOptions options;
  options.from = kFrom;
  options.to = kTo;
  options.clock = &clock;
  options.max_iterations = 20000;
  auto parsed = cairn::calendar::parse_calendar(ics, cairn::calendar::UidKey(key), options);
  if (!parsed || parsed->skipped != 0) return 0;  // over the budget: nothing to compare

  // The same parse, read back for the property libical holds: does the product claim the rule?
  icalcomponent* cal = icalparser_parse_string(ics.c_str());
  if (!cal) return 0;
  icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  icalproperty* rrule = ev ? icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) : nullptr;
  if (!rrule || icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
    icalcomponent_free(cal);
    return 0;
  }
  const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
  if (!cairn::calendar::detail::own_rule_supported(rule, start)) {
    icalcomponent_free(cal);
    return 0;
  }

  // libical's reading of the same rule: DTSTART plus its iterator's instances in the window.
  std::set<std::int64_t> want;
  bool complete = true;
  if (start < kTo) want.insert(start);
  icaltimetype it_start = icalproperty_get_dtstart(icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY));
  if (icalrecur_iterator* it = icalrecur_iterator_new(rule, it_start)) {
    int steps = 0;
    icaltimetype t = icalrecur_iterator_next(it);
    for (; !icaltime_is_null_time(t) && steps < kLibicalSteps; t = icalrecur_iterator_next(it), ++steps) {
      const std::int64_t s = cairn::calendar::detail::local_seconds(t);
      if (s >= kTo) break;
      if (s >= kFrom) want.insert(s);
    }
    if (steps == kLibicalSteps) complete = false;
    icalrecur_iterator_free(it);
  }
  icalcomponent_free(cal);
  if (!complete) return 0;

  std::set<std::int64_t> got;
  for (const auto& m : parsed->meetings) got.insert(m.start);
  if (got != want) {
    std::fprintf(stderr, "recurrence_fuzz: DTSTART:%s RRULE:%s\n  own engine:", dt.c_str(), rule_text.c_str());
    for (auto s : got) std::fprintf(stderr, " %s", cairn::iso8601_utc(s).c_str());
    std::fprintf(stderr, "\n  libical:   ");
    for (auto s : want) std::fprintf(stderr, " %s", cairn::iso8601_utc(s).c_str());
    std::fprintf(stderr, "\n");
    std::abort();
  }
  return 0;
}

// Time-zone tables from VTIMEZONE components and TZif files (contract in zone_table.hpp).
#include "zone_table.hpp"

#include <algorithm>
#include <limits>

namespace cairn::calendar::detail {

namespace {

constexpr LocalSeconds kForever = std::numeric_limits<LocalSeconds>::max();
// Bounds on what a VTIMEZONE (the calendar file's, so untrusted) may cost; past them libical
// converts instead. Real zones have a few hundred changes.
constexpr std::size_t kMaxRuleSteps = 200000;
constexpr std::size_t kMaxChanges = 20000;

LocalSeconds end_of_year(int year) {
  icaltimetype t = icaltime_null_time();
  t.year = year + 1;
  t.month = 1;
  t.day = 1;
  return local_seconds(t) - 1;
}

// UNTIL of an observance rule against an onset in the `from` wall clock.
bool past_until(const icaltimetype& until, LocalSeconds onset, std::int32_t from) {
  if (icaltime_is_null_time(until)) return false;
  if (until.is_date) return onset / 86400 > local_seconds(until) / 86400;
  if (icaltime_is_utc(until)) return onset - from > local_seconds(until);
  return onset > local_seconds(until);
}

bool add_observance(icalcomponent* obs, LocalSeconds last, std::size_t& budget, std::vector<OffsetChange>& out) {
  icalproperty* from_p = icalcomponent_get_first_property(obs, ICAL_TZOFFSETFROM_PROPERTY);
  icalproperty* to_p = icalcomponent_get_first_property(obs, ICAL_TZOFFSETTO_PROPERTY);
  icalproperty* start_p = icalcomponent_get_first_property(obs, ICAL_DTSTART_PROPERTY);
  if (!from_p || !to_p || !start_p) return false;
  const std::int32_t from = icalproperty_get_tzoffsetfrom(from_p);
  const std::int32_t to = icalproperty_get_tzoffsetto(to_p);
  const icaltimetype start = icalproperty_get_dtstart(start_p);
  if (icaltime_is_null_time(start) || !icaltime_is_valid_time(start)) return false;
  const LocalSeconds first = local_seconds(start);
  out.push_back({first, from, to});
  for (icalproperty* p = icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY); p;
       p = icalcomponent_get_next_property(obs, ICAL_RRULE_PROPERTY)) {
    const icalrecurrencetype rule = icalproperty_get_rrule(p);
    if (!own_rule_supported(rule, first)) return false;
    bool too_many = false;
    const bool done = expand_rule(rule, first, budget, [&](LocalSeconds onset) {
      if (onset > last || past_until(rule.until, onset, from)) return false;
      out.push_back({onset, from, to});
      too_many = out.size() > kMaxChanges;
      return !too_many;
    });
    if (!done || too_many) return false;
  }
  for (icalproperty* p = icalcomponent_get_first_property(obs, ICAL_RDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(obs, ICAL_RDATE_PROPERTY)) {
    const icaldatetimeperiodtype r = icalproperty_get_rdate(p);
    const icaltimetype t = icaltime_is_null_time(r.time) ? r.period.start : r.time;
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) return false;
    const LocalSeconds onset = icaltime_is_utc(t) ? local_seconds(t) + from : local_seconds(t);
    if (onset <= last) out.push_back({onset, from, to});
  }
  return out.size() <= kMaxChanges;
}

std::uint32_t be32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

std::int64_t be64(std::string_view b, std::size_t at) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(be32(b, at)) << 32 | be32(b, at + 4));
}

struct TzifCounts {
  std::size_t isut, isstd, leap, time, type, chars;
  std::size_t block(std::size_t time_size) const {
    return time * time_size + time + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

std::optional<TzifCounts> tzif_header(std::string_view b, std::size_t at) {
  if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return std::nullopt;
  TzifCounts c{be32(b, at + 20), be32(b, at + 24), be32(b, at + 28),
               be32(b, at + 32), be32(b, at + 36), be32(b, at + 40)};
  if (c.type == 0 || c.time > 100000 || c.type > 256 || c.chars > 65536 || c.leap > 100000) return std::nullopt;
  return c;
}

}  // namespace

ZoneTable::ZoneTable(std::vector<OffsetChange> changes, std::int32_t initial, LocalSeconds covered_until)
    : changes_(std::move(changes)), initial_(initial), covered_until_(covered_until) {
  std::stable_sort(changes_.begin(), changes_.end(),
                   [](const OffsetChange& a, const OffsetChange& b) { return a.onset < b.onset; });
}

std::optional<std::int32_t> ZoneTable::offset_at(LocalSeconds local) const {
  if (local > covered_until_) return std::nullopt;
  auto it = std::upper_bound(changes_.begin(), changes_.end(), local,
                             [](LocalSeconds t, const OffsetChange& c) { return t < c.onset; });
  if (it == changes_.begin()) return initial_;
  const OffsetChange& c = *std::prev(it);
  // Forward: [onset, onset + (to - from)) does not exist on the wall clock; read it in `from`.
  if (c.to > c.from && local < c.onset + (c.to - c.from)) return c.from;
  return c.to;
}

std::optional<ZoneTable> table_from_vtimezone(icalcomponent* vtimezone, int last_year) {
  if (!vtimezone) return std::nullopt;
  std::vector<OffsetChange> changes;
  const LocalSeconds last = end_of_year(last_year);
  std::size_t budget = kMaxRuleSteps;
  for (icalcomponent* obs = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT); obs;
       obs = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(obs);
    if (kind != ICAL_XSTANDARD_COMPONENT && kind != ICAL_XDAYLIGHT_COMPONENT) continue;
    if (!add_observance(obs, last, budget, changes)) return std::nullopt;
  }
  if (changes.empty()) return std::nullopt;
  const auto earliest = std::min_element(changes.begin(), changes.end(),
                                         [](const OffsetChange& a, const OffsetChange& b) { return a.onset < b.onset; });
  const std::int32_t initial = earliest->from;
  return ZoneTable(std::move(changes), initial, last);
}

std::optional<ZoneTable> table_from_tzif(std::string_view b) {
  const auto v1 = tzif_header(b, 0);
  if (!v1 || b[4] < '2') return std::nullopt;
  const std::size_t at = 44 + v1->block(4);
  const auto c = tzif_header(b, at);
  if (!c || c->leap != 0) return std::nullopt;  // "right/" zones count leap seconds: not civil time
  const std::size_t times = at + 44;
  const std::size_t indices = times + c->time * 8;
  const std::size_t types = indices + c->time;
  const std::size_t footer = at + 44 + c->block(8);
  if (b.size() < footer) return std::nullopt;
  auto utoff = [&](std::size_t type) { return static_cast<std::int32_t>(be32(b, types + type * 6)); };
  std::vector<OffsetChange> changes;
  std::int32_t before = utoff(0);  // RFC 8536: type 0 is the time before the first transition
  const std::int32_t initial = before;
  for (std::size_t i = 0; i < c->time; ++i) {
    const std::size_t type = static_cast<unsigned char>(b[indices + i]);
    if (type >= c->type) return std::nullopt;
    const std::int32_t after = utoff(type);
    changes.push_back({be64(b, times + i * 8) + before, before, after});
    before = after;
  }
  // Past the last transition the footer's POSIX rule applies; without daylight saving time (no ','
  // in it) the last offset simply holds, otherwise this table stops there.
  const std::string_view rest = b.substr(footer);
  const bool rule_has_dst = rest.substr(0, rest.find('\n', 1)).find(',') != std::string_view::npos;
  const LocalSeconds covered = rule_has_dst && !changes.empty() ? changes.back().onset : kForever;
  return ZoneTable(std::move(changes), initial, covered);
}

}  // namespace cairn::calendar::detail

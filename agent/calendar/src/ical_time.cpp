// UTC conversion of libical times, done with Cairn's own civil-date arithmetic so years past 2038
// and before 1970 convert like any other. Zoned times go through zone_table.hpp (the file's
// VTIMEZONE, else the system zoneinfo file the TZID names) and only fall back to libical's
// icaltimezone_convert_time, which loads ICU, for zones that reader cannot take.
#include "ical_time.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string>

#include "zone_table.hpp"

namespace cairn::calendar::detail {

namespace {

constexpr std::size_t kMaxZoneinfoBytes = 512 * 1024;
// A VTIMEZONE is expanded from its first observance to a few years past the latest year asked.
constexpr int kFirstZoneYear = 1970;
constexpr int kZoneYearsAhead = 2;

records::Instant civil_seconds(const icaltimetype& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return 0;
  return days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * 86400 +
         t.hour * 3600 + t.minute * 60 + t.second;
}

// Where a zone's rules come from: the calendar's own VTIMEZONE or a system zoneinfo name.
struct ZoneSource {
  icalcomponent* vtimezone = nullptr;
  std::string location;
  std::optional<ZoneTable> table;
  bool unreadable = false;
};

// Zones met during the current parse (pointers into its tree; cleared by reset_zone_cache).
std::map<const icaltimezone*, ZoneSource>& zone_sources() {
  static std::map<const icaltimezone*, ZoneSource> sources;
  return sources;
}

bool safe_location(const std::string& name) {
  if (name.empty() || name.size() > 128 || name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  return true;
}

std::optional<ZoneTable> read_zoneinfo(const std::string& location) {
  const char* dir = icaltzutil_get_zone_directory();
  if (!dir || !safe_location(location)) return std::nullopt;
  std::FILE* f = std::fopen((std::string(dir) + "/" + location).c_str(), "rbe");
  if (!f) return std::nullopt;
  std::string bytes(kMaxZoneinfoBytes + 1, '\0');
  const std::size_t n = std::fread(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  if (n > kMaxZoneinfoBytes) return std::nullopt;
  bytes.resize(n);
  return table_from_tzif(bytes);
}

// The zone's own table, built on first use and rebuilt when a VTIMEZONE is asked about a later year.
const ZoneTable* table_for(const icaltimezone* zone, int year) {
  auto it = zone_sources().find(zone);
  if (it == zone_sources().end() || it->second.unreadable) return nullptr;
  ZoneSource& src = it->second;
  if (src.vtimezone) {
    icaltimetype end = icaltime_null_time();
    end.year = year;
    end.month = 12;
    end.day = 31;
    if (!src.table || src.table->covered_until() < local_seconds(end)) {
      src.table = table_from_vtimezone(src.vtimezone, std::max(year, kFirstZoneYear) + kZoneYearsAhead);
    }
  } else if (!src.table) {
    src.table = read_zoneinfo(src.location);
  }
  if (!src.table) src.unreadable = true;
  return src.table ? &*src.table : nullptr;
}

}  // namespace

void reset_zone_cache() { zone_sources().clear(); }

const icaltimezone* zone_of(icalproperty* prop, icalcomponent* calendar) {
  icalparameter* param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
  if (!param) return nullptr;
  const char* tzid = icalparameter_get_tzid(param);
  if (!tzid || !*tzid) return nullptr;
  if (calendar) {
    if (icaltimezone* z = icalcomponent_get_timezone(calendar, tzid)) {
      zone_sources().try_emplace(z).first->second.vtimezone = icaltimezone_get_component(z);
      return z;
    }
  }
  icaltimezone* z = icaltimezone_get_builtin_timezone(tzid);
  if (!z) z = icaltimezone_get_builtin_timezone_from_tzid(tzid);
  // A built-in zone's location is known without loading it (loading expands it through ICU).
  if (z && icaltimezone_get_location(z)) zone_sources().try_emplace(z).first->second.location = icaltimezone_get_location(z);
  return z;
}

icaltimetype property_time(icalproperty* prop, icalcomponent* calendar) {
  if (!prop) return icaltime_null_time();
  icalvalue* value = icalproperty_get_value(prop);
  if (!value) return icaltime_null_time();
  const icalvalue_kind kind = icalvalue_isa(value);
  if (kind != ICAL_DATETIME_VALUE && kind != ICAL_DATE_VALUE) return icaltime_null_time();
  icaltimetype t = icalvalue_get_datetime(value);
  if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) return icaltime_null_time();
  if (!t.is_date && !icaltime_is_utc(t)) t.zone = zone_of(prop, calendar);
  return t;
}

records::Instant to_instant(icaltimetype t, const Clock& clock) {
  t.is_date = 0;
  if (icaltime_is_utc(t)) return civil_seconds(t);
  if (t.zone) {
    if (const ZoneTable* table = table_for(t.zone, t.year)) {
      if (const auto offset = table->offset_at(local_seconds(t))) return civil_seconds(t) - *offset;
    }
    icaltimezone_convert_time(&t, const_cast<icaltimezone*>(t.zone), icaltimezone_get_utc_timezone());
    return civil_seconds(t);
  }
  // Floating: local wall-clock time. Two rounds find the offset in force at that instant.
  const records::Instant naive = civil_seconds(t);
  const records::Instant guess = naive - clock.utc_offset(naive);
  return naive - clock.utc_offset(guess);
}

}  // namespace cairn::calendar::detail

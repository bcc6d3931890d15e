// UTC conversion of libical times, done with Cairn's own civil-date arithmetic after libical's
// zone conversion so years past 2038 and before 1970 convert like any other.
#include "ical_time.hpp"

namespace cairn::calendar::detail {

namespace {

records::Instant civil_seconds(const icaltimetype& t) {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) return 0;
  return days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * 86400 +
         t.hour * 3600 + t.minute * 60 + t.second;
}

}  // namespace

const icaltimezone* zone_of(icalproperty* prop, icalcomponent* calendar) {
  icalparameter* param = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
  if (!param) return nullptr;
  const char* tzid = icalparameter_get_tzid(param);
  if (!tzid || !*tzid) return nullptr;
  if (calendar) {
    if (icaltimezone* z = icalcomponent_get_timezone(calendar, tzid)) return z;
  }
  if (icaltimezone* z = icaltimezone_get_builtin_timezone(tzid)) return z;
  return icaltimezone_get_builtin_timezone_from_tzid(tzid);
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
    icaltimezone_convert_time(&t, const_cast<icaltimezone*>(t.zone), icaltimezone_get_utc_timezone());
    return civil_seconds(t);
  }
  // Floating: local wall-clock time. Two rounds find the offset in force at that instant.
  const records::Instant naive = civil_seconds(t);
  const records::Instant guess = naive - clock.utc_offset(naive);
  return naive - clock.utc_offset(guess);
}

}  // namespace cairn::calendar::detail

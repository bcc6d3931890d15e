// Reading a VEVENT into an Event and expanding a master's recurrence set (RFC 5545 3.8.5: DTSTART,
// RRULE and RDATE instances, minus EXDATE). Only properties that carry time, status or
// participants are read; SUMMARY, DESCRIPTION and LOCATION are never touched.
#include "event.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "ical_time.hpp"
#include "recurrence.hpp"

namespace cairn::calendar::detail {

namespace {

std::string normalise_address(const char* raw) {
  std::string s = raw ? raw : "";
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  s.erase(0, b);
  if (s.rfind("mailto:", 0) == 0) s.erase(0, 7);
  return s;
}

bool is_person(icalproperty* attendee) {
  icalparameter* p = icalproperty_get_first_parameter(attendee, ICAL_CUTYPE_PARAMETER);
  if (!p) return true;
  const icalparameter_cutype t = icalparameter_get_cutype(p);
  return t != ICAL_CUTYPE_ROOM && t != ICAL_CUTYPE_RESOURCE;
}

bool declined(icalproperty* attendee) {
  icalparameter* p = icalproperty_get_first_parameter(attendee, ICAL_PARTSTAT_PARAMETER);
  return p && icalparameter_get_partstat(p) == ICAL_PARTSTAT_DECLINED;
}

// Participants: distinct people among the ATTENDEEs plus the ORGANIZER when not among them.
void count_participants(icalcomponent* ev, const std::vector<std::string>& self_emails, Event& out) {
  std::set<std::string> people;
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    if (!is_person(p)) continue;
    const std::string addr = normalise_address(icalproperty_get_attendee(p));
    if (addr.empty()) continue;
    people.insert(addr);
    if (declined(p) && std::find(self_emails.begin(), self_emails.end(), addr) != self_emails.end())
      out.counts = false;
  }
  if (icalproperty* org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY)) {
    const std::string addr = normalise_address(icalproperty_get_organizer(org));
    if (!addr.empty()) people.insert(addr);
  }
  out.attendees = static_cast<int>(std::min<std::size_t>(people.size(), 1000000));
}

// DTEND, else DURATION; <= 0 means "no duration".
records::Instant read_duration(icalcomponent* ev, icalcomponent* cal, const Event& e, const Clock& clock) {
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY)) {
    const icaltimetype end = property_time(p, cal);
    if (icaltime_is_null_time(end) || end.is_date) return 0;
    return to_instant(end, clock) - e.start;
  }
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY)) {
    const icaldurationtype d = icalproperty_get_duration(p);
    if (icaldurationtype_is_bad_duration(d) || d.is_neg) return 0;
    return icaldurationtype_as_int(d);
  }
  return 0;
}

// A DATE-valued EXDATE/RDATE of a timed series means "the instance on that day".
records::Instant instance_on(icaltimetype t, const Event& e, const Clock& clock) {
  if (t.is_date) {
    icaltimetype at = e.dtstart;
    at.year = t.year;
    at.month = t.month;
    at.day = t.day;
    return to_instant(at, clock);
  }
  return to_instant(t, clock);
}

// Whether an instance is after the rule's UNTIL, compared as libical's iterator compares: a
// DATE-TIME UNTIL against the instance in UTC (`instant`), a DATE UNTIL against the instance's
// own wall-clock date (`local`), which ends the series before an instance on that date.
bool past_until(const icaltimetype& until, records::Instant instant, LocalSeconds local) {
  if (icaltime_is_null_time(until)) return false;
  if (until.is_date) return local / 86400 >= local_seconds(until) / 86400;
  return instant > local_seconds(until);
}

void read_recurrence(icalcomponent* ev, icalcomponent* cal, const Clock& clock, Event& e) {
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY))
    e.rrules.push_back(p);
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
    const icaldatetimeperiodtype r = icalproperty_get_rdate(p);
    icaltimetype t = icaltime_is_null_time(r.time) ? r.period.start : r.time;
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) continue;
    if (!t.is_date && !icaltime_is_utc(t)) t.zone = zone_of(p, cal);
    e.rdates.push_back(instance_on(t, e, clock));
  }
  for (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
    const icaltimetype t = property_time(p, cal);
    if (icaltime_is_null_time(t)) continue;
    e.exdates.push_back(instance_on(t, e, clock));
  }
  e.recurring = !e.rrules.empty() || !e.rdates.empty();
}

}  // namespace

ReadOutcome read_event(icalcomponent* ev, icalcomponent* cal, const std::vector<std::string>& self_emails,
                       const Clock& clock, EventSet& events) {
  Event e;
  e.dtstart = property_time(icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY), cal);
  if (icaltime_is_null_time(e.dtstart)) return ReadOutcome::unreadable;
  if (e.dtstart.is_date) return ReadOutcome::not_a_meeting;  // all-day: see parse.hpp
  e.start = to_instant(e.dtstart, clock);
  e.duration = read_duration(ev, cal, e, clock);
  if (e.duration <= 0) return ReadOutcome::not_a_meeting;

  const char* uid = icalcomponent_get_uid(ev);
  // RFC 5545 requires a UID; without one, the start and length stand in so the hash stays stable.
  e.uid = (uid && *uid) ? uid : "cairn-no-uid:" + std::to_string(e.start) + ":" + std::to_string(e.duration);
  e.sequence = icalcomponent_get_sequence(ev);
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY))
    e.cancelled = icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
  if (icalproperty* p = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY)) {
    const icalproperty_transp t = icalproperty_get_transp(p);
    if (t == ICAL_TRANSP_TRANSPARENT || t == ICAL_TRANSP_TRANSPARENTNOCONFLICT) e.counts = false;
  }
  if (e.cancelled) e.counts = false;
  count_participants(ev, self_emails, e);

  if (icalproperty* rid = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) {
    const icaltimetype t = property_time(rid, cal);
    if (icaltime_is_null_time(t)) return ReadOutcome::unreadable;
    e.is_override = true;
    e.recurrence_id = to_instant(t, clock);  // a DATE RECURRENCE-ID names that day's midnight
    auto key = std::make_pair(e.uid, e.recurrence_id);
    auto it = events.overrides.find(key);
    if (it == events.overrides.end() || it->second.sequence <= e.sequence) events.overrides[key] = std::move(e);
    return ReadOutcome::kept;
  }
  read_recurrence(ev, cal, clock, e);
  auto it = events.masters.find(e.uid);
  if (it == events.masters.end() || it->second.sequence <= e.sequence) events.masters[e.uid] = std::move(e);
  return ReadOutcome::kept;
}

Expansion expand(const Event& m, records::Instant from, records::Instant to, std::size_t& budget,
                 const Clock& clock) {
  Expansion x;
  std::set<records::Instant> starts;
  auto take = [&](records::Instant s) {
    if (s >= from && s < to) starts.insert(s);
  };
  take(m.start);  // DTSTART is always the first instance, even when the rule would not produce it
  for (icalproperty* p : m.rrules) {
    const icalrecurrencetype rule = icalproperty_get_rrule(p);
    if (own_rule_supported(rule, local_seconds(m.dtstart))) {
      // Own expansion: no ICU calendar (recurrence.hpp). UNTIL is compared as libical compares it.
      const bool within_budget = expand_rule(rule, local_seconds(m.dtstart), budget, [&](LocalSeconds at) {
        icaltimetype t = local_time(at);
        t.zone = m.dtstart.zone;
        const records::Instant s = to_instant(t, clock);
        if (past_until(rule.until, s, at) || s >= to) return false;
        take(s);
        return true;
      });
      if (!within_budget) x.truncated = true;
      continue;
    }
    icalrecur_iterator* it = icalrecur_iterator_new(rule, m.dtstart);
    if (!it) continue;  // a rule libical refuses adds no instance
    for (icaltimetype t = icalrecur_iterator_next(it); !icaltime_is_null_time(t); t = icalrecur_iterator_next(it)) {
      if (budget == 0) {
        x.truncated = true;
        break;
      }
      --budget;
      t.zone = m.dtstart.zone;
      const records::Instant s = to_instant(t, clock);
      if (s >= to) break;
      take(s);
    }
    icalrecur_iterator_free(it);
  }
  for (records::Instant s : m.rdates) take(s);
  for (records::Instant s : m.exdates) starts.erase(s);
  x.starts.assign(starts.begin(), starts.end());
  return x;
}

}  // namespace cairn::calendar::detail

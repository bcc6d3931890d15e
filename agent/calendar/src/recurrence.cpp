// Own RRULE expansion for the common shapes (contract and reasons in recurrence.hpp). Each period
// (a day, a week from WKST, a month, a year) yields its candidate days in order; BYSETPOS picks
// among them; instances before DTSTART are dropped and do not count towards COUNT.
#include "recurrence.hpp"

#include <algorithm>
#include <vector>

#include "cairn/base/clock.hpp"

namespace cairn::calendar::detail {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr int kMaxEmptyPeriods = 1000;

struct Rule {
  std::vector<int> months;                        // 1..12
  std::vector<int> month_days;                    // ±1..31
  std::vector<std::pair<int, int>> days;          // (weekday 0 = Monday, ordinal or 0)
  std::vector<int> set_pos;                       // ±1..366
};

template <std::size_t N>
std::vector<int> list_of(const short (&a)[N]) {
  std::vector<int> out;
  for (std::size_t i = 0; i < N && a[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) out.push_back(a[i]);
  return out;
}

template <std::size_t N>
bool empty(const short (&a)[N]) {
  return a[0] == ICAL_RECURRENCE_ARRAY_MAX;
}

int our_weekday(icalrecurrencetype_weekday wd) { return (static_cast<int>(wd) + 5) % 7; }  // SU=1 -> 6

Rule read_rule(const icalrecurrencetype& r) {
  Rule out;
  out.months = list_of(r.by_month);
  out.month_days = list_of(r.by_month_day);
  out.set_pos = list_of(r.by_set_pos);
  for (int d : list_of(r.by_day))
    out.days.emplace_back(our_weekday(icalrecurrencetype_day_day_of_week(static_cast<short>(d))),
                          icalrecurrencetype_day_position(static_cast<short>(d)));
  return out;
}

int days_in_month(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  return static_cast<int>(days_from_civil(next_year, static_cast<unsigned>(next_month), 1) -
                          days_from_civil(year, static_cast<unsigned>(month), 1));
}

bool has_month(const Rule& r, int month) {
  return r.months.empty() || std::find(r.months.begin(), r.months.end(), month) != r.months.end();
}

// Candidate days of one month (BYMONTHDAY and BYDAY, intersected when both are given; DTSTART's
// day of month when neither is), as day numbers, ascending.
std::vector<std::int64_t> month_candidates(const Rule& r, int year, int month, int start_mday) {
  const int len = days_in_month(year, month);
  const std::int64_t first = days_from_civil(year, static_cast<unsigned>(month), 1);
  std::vector<bool> by_mday(static_cast<std::size_t>(len) + 1, r.month_days.empty());
  for (int d : r.month_days) {
    const int day = d > 0 ? d : len + 1 + d;
    if (day >= 1 && day <= len) by_mday[static_cast<std::size_t>(day)] = true;
  }
  std::vector<bool> by_wday(static_cast<std::size_t>(len) + 1, r.days.empty());
  for (const auto& [wd, pos] : r.days) {
    std::vector<int> matching;
    for (int day = 1; day <= len; ++day)
      if (weekday_of_day(first + day - 1) == wd) matching.push_back(day);
    if (pos == 0) {
      for (int day : matching) by_wday[static_cast<std::size_t>(day)] = true;
    } else {
      const int n = static_cast<int>(matching.size());
      const int idx = pos > 0 ? pos - 1 : n + pos;
      if (idx >= 0 && idx < n) by_wday[static_cast<std::size_t>(matching[static_cast<std::size_t>(idx)])] = true;
    }
  }
  std::vector<std::int64_t> out;
  if (r.month_days.empty() && r.days.empty()) {
    if (start_mday <= len) out.push_back(first + start_mday - 1);
    return out;
  }
  for (int day = 1; day <= len; ++day)
    if (by_mday[static_cast<std::size_t>(day)] && by_wday[static_cast<std::size_t>(day)]) out.push_back(first + day - 1);
  return out;
}

std::vector<std::int64_t> apply_set_pos(const Rule& r, std::vector<std::int64_t> days) {
  if (r.set_pos.empty()) return days;
  std::vector<std::int64_t> out;
  const int n = static_cast<int>(days.size());
  for (int p : r.set_pos) {
    const int idx = p > 0 ? p - 1 : n + p;
    if (idx >= 0 && idx < n) out.push_back(days[static_cast<std::size_t>(idx)]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The candidate days of period k (counted in INTERVALs from DTSTART's period).
std::vector<std::int64_t> period_days(const icalrecurrencetype& rule, const Rule& r, std::int64_t start_day,
                                      std::int64_t k) {
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(start_day, y, m, d);
  const std::int64_t step = k * rule.interval;
  std::vector<std::int64_t> out;
  switch (rule.freq) {
    case ICAL_DAILY_RECURRENCE: {
      const std::int64_t day = start_day + step;
      int dy = 0;
      unsigned dm = 0, dd = 0;
      civil_from_days(day, dy, dm, dd);
      if (!has_month(r, static_cast<int>(dm))) break;
      const auto in_month = month_candidates(r, dy, static_cast<int>(dm), static_cast<int>(dd));
      if (std::find(in_month.begin(), in_month.end(), day) != in_month.end()) out.push_back(day);
      break;
    }
    case ICAL_WEEKLY_RECURRENCE: {
      const int wkst = our_weekday(rule.week_start);
      const std::int64_t week = start_day - ((weekday_of_day(start_day) - wkst + 7) % 7) + 7 * step;
      for (int i = 0; i < 7; ++i) {
        const std::int64_t day = week + i;
        const int wd = weekday_of_day(day);
        const bool wanted = r.days.empty() ? wd == weekday_of_day(start_day)
                                           : std::any_of(r.days.begin(), r.days.end(),
                                                         [&](const auto& x) { return x.first == wd; });
        int dy = 0;
        unsigned dm = 0, dd = 0;
        civil_from_days(day, dy, dm, dd);
        if (wanted && has_month(r, static_cast<int>(dm))) out.push_back(day);
      }
      break;
    }
    case ICAL_MONTHLY_RECURRENCE: {
      const std::int64_t index = static_cast<std::int64_t>(y) * 12 + (m - 1) + step;
      const int year = static_cast<int>(index / 12);
      const int month = static_cast<int>(index % 12) + 1;
      if (has_month(r, month)) out = month_candidates(r, year, month, static_cast<int>(d));
      break;
    }
    case ICAL_YEARLY_RECURRENCE: {
      const int year = y + static_cast<int>(step);
      for (int month = 1; month <= 12; ++month) {
        if (r.months.empty() ? month != static_cast<int>(m) : !has_month(r, month)) continue;
        const auto days = month_candidates(r, year, month, static_cast<int>(d));
        out.insert(out.end(), days.begin(), days.end());
      }
      break;
    }
    default: break;
  }
  return apply_set_pos(r, std::move(out));
}

// A date (and time) that exists on the calendar. libical reads UNTIL=20240681 or T250000 as given
// and compares it field by field, where local_seconds() would roll it over into the next month or
// day; only real ones compare alike both ways.
bool real_time(const icaltimetype& t) {
  if (icaltime_is_null_time(t)) return true;
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > days_in_month(t.year, t.month)) return false;
  return t.is_date || (t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 && t.second >= 0 && t.second <= 59);
}

}  // namespace

LocalSeconds local_seconds(const icaltimetype& t) {
  return days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)) * kDay +
         t.hour * 3600 + t.minute * 60 + t.second;
}

icaltimetype local_time(LocalSeconds s) {
  icaltimetype t = icaltime_null_time();
  std::int64_t day = s / kDay;
  std::int64_t sec = s % kDay;
  if (sec < 0) {
    sec += kDay;
    --day;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(day, y, m, d);
  t.year = y;
  t.month = static_cast<int>(m);
  t.day = static_cast<int>(d);
  t.hour = static_cast<int>(sec / 3600);
  t.minute = static_cast<int>(sec / 60 % 60);
  t.second = static_cast<int>(sec % 60);
  return t;
}

bool own_rule_supported(const icalrecurrencetype& rule, LocalSeconds dtstart) {
  if (rule.rscale || rule.interval < 1 || !real_time(rule.until)) return false;
  if (!empty(rule.by_second) || !empty(rule.by_minute) || !empty(rule.by_hour) || !empty(rule.by_year_day) ||
      !empty(rule.by_week_no))
    return false;
  const Rule r = read_rule(rule);
  for (int m : r.months)
    if (m < 1 || m > 12) return false;  // includes RSCALE leap months
  const bool ordinals = std::any_of(r.days.begin(), r.days.end(), [](const auto& x) { return x.second != 0; });
  switch (rule.freq) {
    case ICAL_DAILY_RECURRENCE:  // libical ignores a negative BYMONTHDAY here (RFC 5545 does not): its way
      return !ordinals && r.set_pos.empty() &&
             std::none_of(r.month_days.begin(), r.month_days.end(), [](int d) { return d < 0; });
    case ICAL_WEEKLY_RECURRENCE: {  // libical ignores BYSETPOS in a weekly rule: its way too
      if (ordinals || !r.month_days.empty() || !r.set_pos.empty()) return false;
      // Every other week on one weekday that is not DTSTART's: libical's first instance follows
      // neither WKST nor RFC 5545 (FREQ=WEEKLY;INTERVAL=2;BYDAY=SU from a Wednesday skips the
      // Sunday four days later, whatever WKST says): a recurrence_fuzz finding, left to libical.
      const bool one_weekday = !r.days.empty() && std::all_of(r.days.begin(), r.days.end(), [&](const auto& x) {
        return x.first == r.days.front().first;
      });
      const std::int64_t start_day = (dtstart >= 0 ? dtstart : dtstart - (kDay - 1)) / kDay;
      return !(rule.interval > 1 && one_weekday && r.days.front().first != weekday_of_day(start_day));
    }
    case ICAL_MONTHLY_RECURRENCE: return true;
    case ICAL_YEARLY_RECURRENCE: return r.months.size() > 0 || (r.days.empty() && r.month_days.empty());
    default: return false;
  }
}

bool expand_rule(const icalrecurrencetype& rule, LocalSeconds dtstart, std::size_t& budget,
                 const std::function<bool(LocalSeconds)>& take) {
  if (!own_rule_supported(rule, dtstart)) return true;
  const Rule r = read_rule(rule);
  const std::int64_t start_day = (dtstart >= 0 ? dtstart : dtstart - (kDay - 1)) / kDay;
  const LocalSeconds time_of_day = dtstart - start_day * kDay;
  int emitted = 0;
  int empty_periods = 0;
  for (std::int64_t k = 0;; ++k) {
    if (budget == 0) return false;
    --budget;
    const auto days = period_days(rule, r, start_day, k);
    // A rule no period can satisfy (the 30th of February) ends here instead of spending the budget;
    // the longest real gap (29 February across a century) is a handful of periods.
    empty_periods = days.empty() ? empty_periods + 1 : 0;
    if (empty_periods > kMaxEmptyPeriods) return true;
    for (std::int64_t day : days) {
      const LocalSeconds at = day * kDay + time_of_day;
      if (at < dtstart) continue;
      if (budget == 0) return false;
      --budget;
      if (!take(at)) return true;
      if (rule.count > 0 && ++emitted >= rule.count) return true;
    }
  }
}

}  // namespace cairn::calendar::detail

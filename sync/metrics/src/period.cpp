// Cadences and periods in the employee's local calendar (see catalog.hpp).
#include <cstdio>

#include "cairn/base/clock.hpp"
#include "cairn/metrics/catalog.hpp"

namespace cairn::metrics {
namespace {

// Strict digits: exactly `n` ASCII digits at text[pos...].
bool digits(const std::string& text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

// Monday of ISO week 1: the week that holds 4 January.
std::int64_t iso_week1_monday(int year) { return week_start_day(days_from_civil(year, 1, 4)); }

int iso_weeks_in_year(int year) {
  // 28 December always lies in the last ISO week of its year.
  return static_cast<int>((week_start_day(days_from_civil(year, 12, 28)) - iso_week1_monday(year)) / 7 + 1);
}

std::int64_t days_in_month(int year, unsigned month) {
  const int ny = month == 12 ? year + 1 : year;
  const unsigned nm = month == 12 ? 1 : month + 1;
  return days_from_civil(ny, nm, 1) - days_from_civil(year, month, 1);
}

std::string month_label(int y, unsigned m) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u", y, m);
  return buf;
}

std::string quarter_label(int y, unsigned q) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-Q%u", y, q);
  return buf;
}

Error bad_label(Cadence c, const std::string& label) {
  const char* form = c == Cadence::week ? "YYYY-Www, e.g. 2026-W47" : c == Cadence::month ? "YYYY-MM, e.g. 2026-11"
                                                                                          : "YYYY-Qn, e.g. 2026-Q4";
  // The label is the caller's own input (a plan or a flag), never a record value: safe to echo,
  // but cut so a hostile plan cannot flood the terminal.
  return make_error(Errc::usage, "period \"" + label.substr(0, 32) + "\" is not a " + std::string(dp::cadence_name(c)) + " (" + form + ")");
}

}  // namespace

std::optional<Cadence> cadence_from_name(std::string_view name) {
  if (name == "week") return Cadence::week;
  if (name == "month") return Cadence::month;
  if (name == "quarter") return Cadence::quarter;
  return std::nullopt;
}

Result<Period> parse_period(Cadence cadence, const std::string& label) {
  int year = 0, n = 0;
  if (!digits(label, 0, 4, year) || year < 1970 || label.size() < 6 || label[4] != '-') return bad_label(cadence, label);
  Period p;
  p.cadence = cadence;
  p.label = label;
  switch (cadence) {
    case Cadence::week:
      if (label.size() != 8 || label[5] != 'W' || !digits(label, 6, 2, n) || n < 1 || n > iso_weeks_in_year(year))
        return bad_label(cadence, label);
      p.first_day = iso_week1_monday(year) + 7 * static_cast<std::int64_t>(n - 1);
      p.last_day = p.first_day + 6;
      break;
    case Cadence::month:
      if (label.size() != 7 || !digits(label, 5, 2, n) || n < 1 || n > 12) return bad_label(cadence, label);
      p.first_day = days_from_civil(year, static_cast<unsigned>(n), 1);
      p.last_day = p.first_day + days_in_month(year, static_cast<unsigned>(n)) - 1;
      break;
    case Cadence::quarter:
      if (label.size() != 7 || label[5] != 'Q' || !digits(label, 6, 1, n) || n < 1 || n > 4)
        return bad_label(cadence, label);
      p.first_day = days_from_civil(year, static_cast<unsigned>(3 * n - 2), 1);
      p.last_day = (n == 4 ? days_from_civil(year + 1, 1, 1) : days_from_civil(year, static_cast<unsigned>(3 * n + 1), 1)) - 1;
      break;
  }
  return p;
}

Period period_containing(Cadence cadence, std::int64_t local_day) {
  Period p;
  p.cadence = cadence;
  int y;
  unsigned m, d;
  civil_from_days(local_day, y, m, d);
  switch (cadence) {
    case Cadence::week:
      p.first_day = week_start_day(local_day);
      p.last_day = p.first_day + 6;
      p.label = iso_week_string(local_day);
      break;
    case Cadence::month:
      p.first_day = days_from_civil(y, m, 1);
      p.last_day = p.first_day + days_in_month(y, m) - 1;
      p.label = month_label(y, m);
      break;
    case Cadence::quarter: {
      const unsigned q = (m - 1) / 3 + 1;
      p.first_day = days_from_civil(y, 3 * q - 2, 1);
      p.last_day = (q == 4 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, 3 * q + 1, 1)) - 1;
      p.label = quarter_label(y, q);
      break;
    }
  }
  return p;
}

Period period_before(const Period& p) { return period_containing(p.cadence, p.first_day - 1); }

double weeks_in(const Period& p) { return static_cast<double>(p.last_day - p.first_day + 1) / 7.0; }

}  // namespace cairn::metrics

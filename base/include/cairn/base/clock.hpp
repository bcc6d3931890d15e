// Time as Cairn sees it: a Clock interface (so tests can stop or move time) and calendar helpers
// that cut days and ISO weeks in the employee's local time from UTC instants plus offsets.
#pragma once

#include <cstdint>
#include <string>

namespace cairn {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now() const = 0;                         // UTC seconds since the epoch
  virtual std::int32_t utc_offset(std::int64_t instant) const = 0;  // local offset in seconds
};

// The real clock: time(2) and the process's local time zone (TZ honoured).
const Clock& system_clock();

// A clock that only moves when told to; offset is fixed.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start, std::int32_t offset = 0) : now_(start), offset_(offset) {}
  std::int64_t now() const override { return now_; }
  std::int32_t utc_offset(std::int64_t) const override { return offset_; }
  void advance(std::int64_t seconds) { now_ += seconds; }
  void set(std::int64_t t) { now_ = t; }

 private:
  std::int64_t now_;
  std::int32_t offset_;
};

// Days since 1970-01-01 of the local date of (instant + offset).
std::int64_t local_day(std::int64_t instant, std::int32_t utc_offset);
// Seconds since local midnight.
std::int32_t local_second_of_day(std::int64_t instant, std::int32_t utc_offset);
// 0 = Monday ... 6 = Sunday, for a local day number.
int weekday_of_day(std::int64_t day);
// Local day number of the Monday starting the ISO week that holds `day`.
std::int64_t week_start_day(std::int64_t day);
// "2026-11-22" for a local day number; "2026-W47" for any day in that ISO week.
std::string day_string(std::int64_t day);
std::string iso_week_string(std::int64_t day);
// UTC instant as "2026-11-22T10:00:00Z".
std::string iso8601_utc(std::int64_t instant);
// Civil date conversions (proleptic Gregorian).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day);

}  // namespace cairn

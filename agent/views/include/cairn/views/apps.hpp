// Time per application over a range of local days, the way ActivityWatch and RescueTime users
// expect it: active (non-idle) time per window class, largest first. `cairn apps --range` and
// the panel's "Top applications" table both call apps_in_days, so their numbers match.
//
// Thread safety: time_per_app is pure; apps_in_days reads the store it is given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/store/store.hpp"

namespace cairn::views {

struct AppTime {
  std::string app;       // the window class, as collected
  std::string category;  // the category most of its time fell in
  std::int64_t seconds = 0;
};

// Active spans clipped to [from, to), summed by application class, largest first (ties by name).
std::vector<AppTime> time_per_app(const std::vector<records::ActivitySpan>& spans, records::Instant from,
                                  records::Instant to);

// The instants of local days [first_day, last_day] at utc_offset (seconds east of UTC). A range
// across a daylight-saving change is off by that hour at its ends.
struct Window {
  records::Instant from = 0, to = 0;
};
Window days_window(std::int64_t first_day, std::int64_t last_day, std::int64_t utc_offset);

// time_per_app over days_window(first_day, last_day, utc_offset), read from the store.
Result<std::vector<AppTime>> apps_in_days(const store::Store& s, std::int64_t first_day, std::int64_t last_day,
                                          std::int64_t utc_offset);

}  // namespace cairn::views

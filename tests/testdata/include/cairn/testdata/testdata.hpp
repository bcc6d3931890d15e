// A year of generated, realistic-looking work records, written into a Store through its public
// API in batches: workdays with focus blocks and fragmented stretches, a daily stand-up and other
// meetings, commits with a rising share of AI co-authored ones, self-logged contributions with
// skills and links, goals with revisions, reflections and "did it hold?" answers. Deterministic
// for a given seed. For tests and benchmarks only.
//
// Thread safety: uses the Store it is given from the calling thread only.
#pragma once

#include <cstdint>

#include "cairn/base/result.hpp"
#include "cairn/store/store.hpp"

namespace cairn::testdata {

struct YearSpec {
  std::int64_t last_day = 0;      // local day number of the last generated day (e.g. "today")
  int days = 365;
  std::int32_t utc_offset = 3600;  // fixed local offset of the generated records
  std::uint32_t seed = 7;
  // Approximate targets; the generator aims for these over a full year.
  int commits = 5000;
  int meetings = 2000;
  int contributions = 1000;
};

struct Generated {
  std::int64_t spans = 0, commits = 0, meetings = 0, contributions = 0, goals = 0, reflections = 0, outcomes = 0;
};

Result<Generated> generate_year(store::Store& s, const YearSpec& spec);

}  // namespace cairn::testdata

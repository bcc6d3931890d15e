// The catalog: definitions that validate, with their sensitivities following from the clip ranges.
#include <doctest/doctest.h>

#include <set>

#include "cairn/metrics/catalog.hpp"

using namespace cairn;
using namespace cairn::metrics;

namespace {

const Metric& metric(const char* name) {
  const Metric* m = find(name);
  REQUIRE(m != nullptr);
  return *m;
}

}  // namespace

TEST_CASE("every catalog entry is complete and its spec validates") {
  std::set<std::string> names;
  for (const auto& m : catalog()) {
    CAPTURE(m.name);
    CHECK(names.insert(m.name).second);
    CHECK(m.spec.name == m.name);
    CHECK(validate(m.spec).ok());
    CHECK(m.meaning.size() > 20);
    CHECK_FALSE(m.spec.unit.empty());
    CHECK(m.coordinate_names.size() == m.spec.coordinates);
    CHECK(find(m.name) == &m);
  }
  for (const char* required : {"focus_hours", "meeting_hours", "context_switches_per_active_hour", "ai_assisted_share",
                               "contributions_by_kind", "after_hours_share"})
    CHECK(names.count(required) == 1);
  const Metric& kinds = metric("contributions_by_kind");
  CHECK(kinds.coordinate_names == std::vector<std::string>{"impact", "long-term", "system", "judgment"});
  // Sensitivities follow from the ranges: 4 coordinates of 0..5 per week in hundredths.
  CHECK(kinds.spec.l1() == 4u * 500u);
  CHECK(kinds.spec.l2_squared() == 4u * 500u * 500u);
  CHECK(metric("focus_hours").spec.encoded_range() == 40u * 60u);
  CHECK(metric("after_hours_share").spec.encoded_range() == 1000u);
}

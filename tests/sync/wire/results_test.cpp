// Team results on the wire: the device's signed request (its signature binds the plan and the
// time) and the leader's answer, parsed with caps and never throwing; the words every reader of a
// released figure gets (results_text.hpp).
#include <doctest/doctest.h>

#include "cairn/wire/results.hpp"
#include "cairn/wire/results_text.hpp"

using namespace cairn;

namespace {

wire::TeamRelease one_release(std::size_t values) {
  wire::TeamRelease r{"focus-q", "platform", "2026-Q4", 12, 10, 0, values > 0, {}};
  for (std::size_t i = 0; i < values; ++i)
    r.values.push_back({"focus_hours", "focus_hours", "hours per week", 11.5, 9.0, 14.0, 1.27, 0, 40, "only broad differences",
                        "only broad differences: ±2.50 hours per week at 95%", false, 11.5});
  return r;
}

}  // namespace

TEST_CASE("results request: signed over plan and time; anything changed fails") {
  REQUIRE(crypto::init().ok());
  const auto device = crypto::sign_keypair();
  const auto text = wire::encode_results_request(wire::make_results_request("focus-q", device, 1796212800));
  auto back = wire::parse_results_request(text);
  REQUIRE(back.ok());
  CHECK(back->plan_id == "focus-q");
  CHECK(back->time == 1796212800);
  CHECK(back->device_key == device.public_key);
  auto moved = text;
  moved.replace(moved.find("1796212800"), 10, "1796212801");
  CHECK(wire::parse_results_request(moved).error().message == "results request: the device signature does not verify");
  auto other = text;
  other.replace(other.find("focus-q"), 7, "focus-x");
  CHECK_FALSE(wire::parse_results_request(other).ok());
  CHECK(wire::parse_results_request(std::string(5000, ' ')).error().code == Errc::too_large);
  CHECK(wire::parse_results_request("[1]").error().code == Errc::corrupt);
}

TEST_CASE("results answer: round trip, caps, and no half-released period") {
  const auto text = wire::encode_results_answer({one_release(1), one_release(0)});
  auto back = wire::parse_results_answer(text);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  CHECK((*back)[0].values[0].mean == 11.5);
  CHECK((*back)[0].values[0].verdict == "only broad differences");
  CHECK_FALSE((*back)[1].released);
  // Over the caps: 65 values in a period, 401 periods.
  CHECK(wire::parse_results_answer(wire::encode_results_answer({one_release(65)})).error().message ==
        "a team result has more than 64 values");
  CHECK_FALSE(wire::parse_results_answer(wire::encode_results_answer(std::vector<wire::TeamRelease>(401, one_release(1)))).ok());
  // "released" must agree with the values; a non-number mean is refused; junk is an error, not a throw.
  auto lying = one_release(1);
  lying.released = false;
  CHECK_FALSE(wire::parse_results_answer(wire::encode_results_answer({lying})).ok());
  auto s = wire::encode_results_answer({one_release(1)});
  s.replace(s.find("\"mean\":11.5"), 11, "\"mean\":\"x\"");
  CHECK(wire::parse_results_answer(s).error().code == Errc::corrupt);
  CHECK_FALSE(wire::parse_results_answer("{\"results\":[{\"plan\":1}]}").ok());
  CHECK_FALSE(wire::parse_results_answer("not json").ok());
}

TEST_CASE("results in words: the rounding, the verdict, and a mean outside its range flagged beside the clamped one") {
  CHECK(wire::result_number(975.4) == "975");
  CHECK(wire::result_number(40) == "40.0");
  CHECK(wire::result_number(2.5) == "2.50");
  CHECK(wire::result_number(-0.001) == "0.00");  // never "-0.00"
  auto r = one_release(1);
  auto t = wire::team_value_text(r.values[0]);
  CHECK(t.figure == "focus_hours: team mean 11.5 hours per week, 95% interval 9.00 to 14.0");
  CHECK(t.verdict == "verdict: only broad differences: ±2.50 hours per week at 95%");
  CHECK(t.outside.empty());
  auto& v = r.values[0];
  v.coordinate = "deep";
  v.mean = 975;
  v.out_of_range = true;
  v.clamped_mean = 40;
  t = wire::team_value_text(v);
  CHECK(t.figure.rfind("focus_hours / deep: team mean 975 hours per week", 0) == 0);
  CHECK(t.outside ==
        "OUTSIDE the metric's range 0.00 to 40.0 hours per week: the noise carried the mean there. Clamped to the range: 40.0 "
        "hours per week (post-processing of the released mean, no privacy cost; the mean above is what was released)");
  CHECK(wire::release_count_text(12, 10, 0, true) == "12 reports (k = 10)");
  CHECK(wire::release_count_text(12, 10, 2, true) == "12 reports (k = 10), 2 dropped (held by one aggregator only)");
  CHECK(wire::release_count_text(2, 10, 0, false) == "not released: 2 reports held by both aggregators, below k = 10");
  CHECK(wire::release_count_text(1, 1, 0, true) == "1 report (k = 1)");
  CHECK(wire::release_count_text(1, 10, 0, false) == "not released: 1 report held by both aggregators, below k = 10");
}

// Team results on the wire: the device's signed request (its signature binds the plan and the
// time) and the leader's answer, parsed with caps and never throwing.
#include <doctest/doctest.h>

#include "cairn/wire/results.hpp"

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

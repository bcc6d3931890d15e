// The sample and preview commands' functions.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "cairn/cli/privacy_tools.hpp"

using namespace cairn::dp;
using namespace cairn::cli;

namespace {
std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}
}  // namespace

TEST_CASE("sample writes one integer per line") {
  DeterministicRandom rng(1);
  std::ostringstream out;
  REQUIRE(write_samples(out, "2.5", 1000, rng).ok());
  CHECK(count_lines(out.str()) == 1000);
  std::istringstream in(out.str());
  long long v, sumsq = 0;
  int n = 0;
  while (in >> v) {
    sumsq += v * v;
    ++n;
  }
  CHECK(n == 1000);
  // sigma 2.5: E = 1000 * 6.25 = 6250 (the discrete Gaussian's variance is within 10^-9 of sigma^2
  // at this sigma); sd of the sum of squares = sqrt(1000 * 2 * 6.25^2) ~ 280.
  CHECK(sumsq > 6250 - 5.5 * 280);
  CHECK(sumsq < 6250 + 5.5 * 280);
}

TEST_CASE("gaussian takes sigma, not the variance") {
  DeterministicRandom rng(2);
  std::ostringstream out;
  REQUIRE(write_samples(out, "10", 2000, rng).ok());
  std::istringstream in(out.str());
  long long v, sumsq = 0;
  while (in >> v) sumsq += v * v;
  CHECK(sumsq / 2000.0 > 80);  // variance ~100, not ~10
  CHECK(sumsq / 2000.0 < 120);
}

TEST_CASE("the production source works through the short overload") {
  std::ostringstream out;
  REQUIRE(write_samples(out, "5", 10).ok());
  CHECK(count_lines(out.str()) == 10);
}

TEST_CASE("bad arguments write nothing; gaussian is the only mechanism") {
  DeterministicRandom rng(3);
  std::ostringstream out;
  CHECK(parse_mechanism("laplace").error().code == cairn::Errc::usage);
  CHECK(parse_mechanism("skellam").error().code == cairn::Errc::usage);  // version one's device noise: gone
  CHECK(parse_mechanism("gaussian").value() == Mechanism::discrete_gaussian);
  CHECK(write_samples(out, "-1", 10, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, "2.5", 0, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, "2.5", kMaxSampleCount + 1, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, "0", 10, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, "0.0001", 10, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, "2097153", 10, rng).error().code == cairn::Errc::usage);  // sigma above 2^21
  CHECK(out.str().empty());
}

TEST_CASE("a failed stream is an io error") {
  DeterministicRandom rng(4);
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  CHECK(write_samples(out, "1", 5, rng).error().code == cairn::Errc::io);
}

TEST_CASE("preview_text renders or explains") {
  UtilityPlan plan;
  MetricSpec m;
  m.name = "meeting_hours";
  m.unit = "hours";
  m.scale = 10;
  m.clip_hi = 40;
  plan.metrics = {m};
  auto text = preview_text(plan);
  REQUIRE(text.ok());
  CHECK(text->find("meeting_hours") != std::string::npos);
  plan.budget.epsilon = 0;
  CHECK(preview_text(plan).error().code == cairn::Errc::usage);
}

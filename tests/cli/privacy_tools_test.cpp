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
  REQUIRE(write_samples(out, Mechanism::skellam, "2.5", 1000, rng).ok());
  CHECK(count_lines(out.str()) == 1000);
  std::istringstream in(out.str());
  long long v, sumsq = 0;
  int n = 0;
  while (in >> v) {
    sumsq += v * v;
    ++n;
  }
  CHECK(n == 1000);
  CHECK(sumsq > 1500);  // E = 2500; sd of the sum of squares ~ 170
  CHECK(sumsq < 3500);
}

TEST_CASE("gaussian takes sigma, not the variance") {
  DeterministicRandom rng(2);
  std::ostringstream out;
  REQUIRE(write_samples(out, Mechanism::discrete_gaussian, "10", 2000, rng).ok());
  std::istringstream in(out.str());
  long long v, sumsq = 0;
  while (in >> v) sumsq += v * v;
  CHECK(sumsq / 2000.0 > 80);  // variance ~100, not ~10
  CHECK(sumsq / 2000.0 < 120);
}

TEST_CASE("the production source works through the short overload") {
  std::ostringstream out;
  REQUIRE(write_samples(out, Mechanism::skellam, "5", 10).ok());
  CHECK(count_lines(out.str()) == 10);
}

TEST_CASE("bad arguments write nothing") {
  DeterministicRandom rng(3);
  std::ostringstream out;
  CHECK(parse_mechanism("laplace").error().code == cairn::Errc::usage);
  CHECK(parse_mechanism("gaussian").value() == Mechanism::discrete_gaussian);
  CHECK(write_samples(out, Mechanism::skellam, "-1", 10, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, Mechanism::skellam, "2.5", 0, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, Mechanism::skellam, "2.5", kMaxSampleCount + 1, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, Mechanism::discrete_gaussian, "0", 10, rng).error().code == cairn::Errc::usage);
  CHECK(write_samples(out, Mechanism::discrete_gaussian, "0.0001", 10, rng).error().code == cairn::Errc::usage);
  CHECK(out.str().empty());
}

TEST_CASE("a failed stream is an io error") {
  DeterministicRandom rng(4);
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  CHECK(write_samples(out, Mechanism::skellam, "1", 5, rng).error().code == cairn::Errc::io);
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

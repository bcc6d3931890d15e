// noise_bench: what adding noise costs an aggregator. Each of the two aggregators draws one
// discrete Gaussian sample N_Z(0, sigma_i^2) per coordinate of its aggregate share
// (dp::DiscreteGaussianSampler with SodiumRandom), at the sigma_i^2 dp::calibrate_aggregator_noise
// gives the plan; devices, the leader and the helper each run that calibration to check a plan.
//
// Printed: (1) the calibration's time for plans over the whole metrics catalog (week, month,
// quarter at the default cap, epsilon 2 a year); (2) samples per second at each catalog metric's
// calibrated sigma^2, the random bytes each sample pulls, and how much of the time the CSPRNG alone
// needs for those bytes (same 256-byte requests as RandomSource's refills); (3) the same over a
// sweep of sigma^2 from 1 to the sampler's limit 2^40; (4) the time one aggregator spends noising
// one release of the whole catalog. Each sampler line runs for about `--seconds` of CPU time
// (default 0.5). Every time is the process's CPU time (CLOCK_PROCESS_CPUTIME_ID), not wall time,
// so other programs on a shared machine do not inflate it.
//
// Usage: noise_bench [--seconds S]

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/dp/plan_budget.hpp"
#include "cairn/dp/random.hpp"
#include "cairn/dp/samplers.hpp"
#include "cairn/metrics/catalog.hpp"

using namespace cairn::dp;
namespace {

// CPU seconds this process has used (single-threaded: the same as the thread's).
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
double seconds_since(double t0) { return cpu_now() - t0; }

// Microseconds per sample at sigma2, or a negative value when the sampler refuses it.
double run(const std::string& label, const Rational& sigma2, double budget_seconds) {
  auto sampler = DiscreteGaussianSampler::create(sigma2);
  if (!sampler.ok()) {
    std::printf("%-52s  %s\n", label.c_str(), sampler.error().message.c_str());
    return -1;
  }
  SodiumRandom rng;
  std::uint64_t n = 0;
  std::int64_t sink = 0;
  const double t0 = cpu_now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 64; ++i) sink += (*sampler)(rng);
    n += 64;
    elapsed = seconds_since(t0);
  } while (elapsed < budget_seconds);
  const std::uint64_t bytes = rng.bytes_drawn();

  // The CSPRNG alone: the same bytes in the same request size as RandomSource's refills.
  std::vector<std::uint8_t> buf(256);
  const double t1 = cpu_now();
  for (std::uint64_t done = 0; done < bytes; done += buf.size()) cairn::crypto::random_bytes(buf);
  const double rng_seconds = seconds_since(t1);

  const double us = 1e6 * elapsed / static_cast<double>(n);
  std::printf("%-52s %9.0f samples/s %7.3f us/sample %6.1f B/sample | CSPRNG alone: %6.3f us/sample (%4.1f%%)%s\n",
              label.c_str(), static_cast<double>(n) / elapsed, us, double(bytes) / static_cast<double>(n),
              1e6 * rng_seconds / static_cast<double>(n), 100.0 * rng_seconds / elapsed, sink == 42 ? " " : "");
  return us;
}

struct PlanShape {
  Cadence cadence;
  AggregatorNoise noise;
};

}  // namespace

int main(int argc, char** argv) {
  double budget_seconds = 0.5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0) budget_seconds = std::atof(argv[i + 1]);
  }
  if (!cairn::crypto::init().ok()) return 1;

  // Plans asking for every catalog metric, at the default cap spent in full.
  std::vector<MetricSpec> specs;
  std::uint32_t coordinates = 0;
  for (const auto& m : cairn::metrics::catalog()) {
    specs.push_back(m.spec);
    coordinates += m.spec.coordinates;
  }
  const Budget budget{2.0, 1e-6, BudgetScope::per_year};

  std::printf("(1) calibrate_aggregator_noise, %zu metrics (%u coordinates), epsilon 2 per year at delta 1e-6\n",
              specs.size(), coordinates);
  std::vector<PlanShape> plans;
  for (Cadence c : {Cadence::week, Cadence::month, Cadence::quarter}) {
    constexpr int kRounds = 20;
    const double t0 = cpu_now();
    cairn::Result<AggregatorNoise> noise = calibrate_aggregator_noise(specs, releases_per_year(c), budget);
    for (int r = 1; r < kRounds && noise.ok(); ++r) noise = calibrate_aggregator_noise(specs, releases_per_year(c), budget);
    const double ms = 1e3 * seconds_since(t0) / kRounds;
    if (!noise.ok()) {
      std::printf("  %-8s %s\n", std::string(cadence_name(c)).c_str(), noise.error().message.c_str());
      continue;
    }
    std::printf("  %-8s %3u releases a year: %7.2f ms per calibration; s = %.4g, epsilon %.3g per release\n",
                std::string(cadence_name(c)).c_str(), releases_per_year(c), ms, noise->multiplier,
                noise->epsilon_per_release);
    plans.push_back({c, std::move(*noise)});
  }

  std::printf("(2) DiscreteGaussianSampler (exact, SodiumRandom) at each catalog metric's sigma^2 per layer, %.1f s per line\n",
              budget_seconds);
  std::vector<double> us_per_release(plans.size(), 0);
  for (std::size_t p = 0; p < plans.size(); ++p) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const Rational& s2 = plans[p].noise.sigma2[i];
      char label[96];
      std::snprintf(label, sizeof label, "%-7s %-24.24s s2=%.3Lg", std::string(cadence_name(plans[p].cadence)).c_str(),
                    specs[i].name.c_str(), s2.to_long_double());
      const double us = run(label, s2, budget_seconds);
      if (us > 0) us_per_release[p] += us * specs[i].coordinates;
    }
  }

  std::printf("(3) the same over sigma^2 (the sampler takes sigma^2 below 2^40)\n");
  for (std::uint64_t v : {1ULL, 100ULL, 10000ULL, 1000000ULL, 100000000ULL, 10000000000ULL, (1ULL << 40) - 1}) {
    run("sigma^2 = " + std::to_string(v), Rational::integer(v), budget_seconds);
  }

  std::printf("(4) one aggregator noising one release of all %u coordinates (sum of (2))\n", coordinates);
  for (std::size_t p = 0; p < plans.size(); ++p) {
    std::printf("  %-8s %8.2f us per release per aggregator\n", std::string(cadence_name(plans[p].cadence)).c_str(),
                us_per_release[p]);
  }
  return 0;
}

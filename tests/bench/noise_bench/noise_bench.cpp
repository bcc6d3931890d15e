// noise_bench: how fast the exact Skellam sampler runs at the parameters the default plans use,
// and how much of that time is the CSPRNG itself. For each parameter it draws samples from
// SodiumRandom for about `--seconds` (default 0.5), counts the bytes the RandomSource pulled, then
// times crypto::random_bytes (randombytes_buf) alone producing the same number of bytes in the same 256-byte requests.
//
// Usage: noise_bench [--seconds S]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cairn/crypto/sodium.hpp"
#include "cairn/dp/calibration.hpp"
#include "cairn/dp/random.hpp"
#include "cairn/dp/samplers.hpp"

using namespace cairn::dp;
using Clock = std::chrono::steady_clock;

namespace {

struct Case {
  std::string label;
  Rational mu_per_device;  // the variance one device adds per coordinate
};

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void run(const Case& c, double budget_seconds) {
  auto sampler = SkellamSampler::create(c.mu_per_device);
  if (!sampler.ok()) {
    std::printf("%-44s  %s\n", c.label.c_str(), sampler.error().message.c_str());
    return;
  }
  SodiumRandom rng;
  std::uint64_t n = 0;
  std::int64_t sink = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 64; ++i) sink += (*sampler)(rng);
    n += 64;
    elapsed = seconds_since(t0);
  } while (elapsed < budget_seconds);
  const std::uint64_t bytes = rng.bytes_drawn();

  // The CSPRNG alone: the same bytes in the same request size as RandomSource's refills.
  std::vector<std::uint8_t> buf(256);
  const auto t1 = Clock::now();
  for (std::uint64_t done = 0; done < bytes; done += buf.size()) cairn::crypto::random_bytes(buf);
  const double rng_seconds = seconds_since(t1);

  std::printf("%-48s %10.0f samples/s %9.3f us/sample %8.1f B/sample | CSPRNG alone for those bytes: %8.3f us/sample (%4.1f%%)%s\n",
              c.label.c_str(), n / elapsed, 1e6 * elapsed / n, double(bytes) / n, 1e6 * rng_seconds / n,
              100.0 * rng_seconds / elapsed, sink == 42 ? " " : "");
}

MetricSpec metric(const char* name, const char* unit, std::int64_t scale, double lo, double hi, std::uint32_t coords = 1) {
  MetricSpec m;
  m.name = name;
  m.unit = unit;
  m.scale = scale;
  m.clip_lo = lo;
  m.clip_hi = hi;
  m.coordinates = coords;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  double budget_seconds = 0.5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0) budget_seconds = std::atof(argv[i + 1]);
  }
  if (!cairn::crypto::init().ok()) return 1;

  std::vector<Case> cases;
  for (std::uint64_t v : {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 100000000ULL}) {
    cases.push_back({"Sk(mu/k), mu/k = " + std::to_string(v), Rational::integer(v)});
  }

  // The default plans (until the metrics catalog lands: the catalog's documented encodings).
  // Hours are encoded in tenths, shares in per-mille, counts as integers.
  const std::vector<MetricSpec> metrics = {
      metric("focus_hours", "hours", 10, 0, 40),
      metric("meeting_hours", "hours", 10, 0, 40),
      metric("context_switches_per_active_hour", "switches per hour", 10, 0, 60),
      metric("ai_assisted_share", "share", 1000, 0, 1),
      metric("contributions_by_kind", "contributions", 1, 0, 10, 4),
      metric("after_hours_share", "share", 1000, 0, 1),
  };
  struct PlanShape {
    const char* name;
    std::uint32_t releases;
    std::uint32_t k;
  };
  const Budget budget{2.0, 1e-6, BudgetScope::per_year};  // the default annual cap spent in full
  for (const PlanShape& p : {PlanShape{"weekly", 52, 10}, PlanShape{"monthly", 12, 10}, PlanShape{"quarterly", 4, 25}}) {
    auto cal = calibrate_skellam(metrics, p.releases, budget);
    if (!cal.ok()) {
      std::printf("%s plan: %s\n", p.name, cal.error().message.c_str());
      continue;
    }
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      if (i == 1 || i == 5) continue;  // same encoding as another metric: same parameter
      auto share = device_share(cal->mu[i], p.k);
      std::string label = std::string(p.name) + " k=" + std::to_string(p.k) + " " + metrics[i].name;
      label = label.substr(0, 32) + " mu/k=" + std::to_string(static_cast<unsigned long long>(share->to_long_double()));
      cases.push_back({label, *share});
    }
  }
  std::printf("Skellam sampler (exact, SodiumRandom), %.1f s per line\n", budget_seconds);
  for (const auto& c : cases) run(c, budget_seconds);
  return 0;
}

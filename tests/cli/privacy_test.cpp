// `cairn privacy`: samples an auditor can parse and check, the utility preview, the budget and the
// cap, with the CLI's exit codes (usage 2, wrong passphrase 3, not set up 5, refused 6).
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "cairn/base/paths.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/dp/aggregator_noise.hpp"
#include "fake_io.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using test::FakeIo;
using test::run_cairn;

namespace {

struct Home {
  explicit Home(const char* name) : dir(test::fresh_dir(std::string("cli_privacy/") + name)) {
    ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  }
  std::filesystem::path dir;
};

int sh(const Home& h, std::deque<std::string> input, std::vector<std::string> args, std::string* out = nullptr,
       std::string* err = nullptr) {
  args.insert(args.begin(), {"--home", h.dir.string()});
  FakeIo io(std::move(input));
  int rc = run_cairn(io, std::move(args));
  if (out) *out = io.out_text();
  if (err) *err = io.err_text();
  return rc;
}

// Every line must be a plain decimal integer (what an auditor's script reads).
std::vector<std::int64_t> parse_samples(const std::string& text) {
  std::vector<std::int64_t> v;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::int64_t x = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), x);
    REQUIRE(ec == std::errc{});
    REQUIRE(end == line.data() + line.size());
    v.push_back(x);
  }
  return v;
}

void mean_var(const std::vector<std::int64_t>& v, double& mean, double& var) {
  double s = 0, s2 = 0;
  for (auto x : v) s += static_cast<double>(x);
  mean = s / static_cast<double>(v.size());
  for (auto x : v) s2 += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
  var = s2 / static_cast<double>(v.size() - 1);
}

// The first metric's 95 % half-width from a preview ("team mean ±X unit at 95%").
double half_width(const std::string& preview) {
  const std::string key = "team mean ±";
  auto at = preview.find(key);
  REQUIRE(at != std::string::npos);
  return std::strtod(preview.c_str() + at + key.size(), nullptr);
}

// Charges one release to the ledger of an initialised home, as a report would: the cost of one
// aggregator layer calibrated to epsilon 0.5 per release.
void charge_release(const Home& h, const std::string& pass, const std::string& period) {
  auto paths = resolve_paths(h.dir.string());
  auto keys = crypto::vault_unlock(paths.vault(), crypto::SecretBytes::from(std::string_view(pass)));
  REQUIRE(keys.ok());
  auto s = store::Store::open(paths.store(), keys->store_key(), store::Store::Mode::open_existing);
  REQUIRE(s.ok());
  auto l = budget::open_ledger(*s);
  REQUIRE(l.ok());
  std::vector<dp::MetricSpec> specs{dp::MetricSpec{"focus_hours", "hours per week", 60, 0, 40, 1}};
  auto c = dp::calibrate_aggregator_noise(specs, 1, dp::Budget{0.5, 1e-6, dp::BudgetScope::per_release});
  REQUIRE(c.ok());
  REQUIRE(l->ledger.charge("plan-eng", period, c->cost, std::time(nullptr) - 3600).ok());
}

}  // namespace

TEST_CASE("sample: 10^5 samples of the aggregators' discrete Gaussian parse as integers, mean 0, variance sigma^2") {
  Home h("sample");  // never initialised: sampling needs no vault
  std::string out, err;
  // No --mechanism: the discrete Gaussian each aggregator adds is the only noise there is.
  REQUIRE(sh(h, {}, {"privacy", "sample", "--param", "2.5", "--count", "100000"}, &out, &err) == cli::kOk);
  CHECK(err.empty());
  auto v = parse_samples(out);
  REQUIRE(v.size() == 100000);
  double mean, var;
  mean_var(v, mean, var);
  // N_Z(0, 6.25): sd of the mean sqrt(6.25/1e5) = 0.0079; sd of the sample variance
  // sqrt(2 sigma^4 / n) = 0.028.
  CHECK(std::fabs(mean) < 5.5 * 0.0079);
  CHECK(std::fabs(var - 6.25) < 5.5 * 0.028);
}

TEST_CASE("sample: the discrete Gaussian takes sigma and has variance sigma^2") {
  Home h("gauss");
  std::string out;
  REQUIRE(sh(h, {}, {"privacy", "sample", "--mechanism", "gaussian", "--param", "3", "--count", "100000"}, &out) ==
          cli::kOk);
  auto v = parse_samples(out);
  REQUIRE(v.size() == 100000);
  double mean, var;
  mean_var(v, mean, var);
  CHECK(std::fabs(mean) < 5.5 * std::sqrt(9.0 / 1e5));
  CHECK(std::fabs(var - 9) < 5.5 * std::sqrt(2 * 81.0 / 1e5));
}

TEST_CASE("sample: bad arguments are usage errors and print no samples") {
  Home h("sample_bad");
  std::string out, err;
  CHECK(sh(h, {}, {"privacy", "sample", "--mechanism", "laplace", "--param", "1", "--count", "5"}, &out, &err) == cli::kUsage);
  CHECK(out.empty());
  CHECK(err.find("--mechanism must be gaussian") != std::string::npos);
  // Version one's device-side Skellam noise is gone: asking for it is a usage error, not samples.
  CHECK(sh(h, {}, {"privacy", "sample", "--mechanism", "skellam", "--param", "10", "--count", "5"}, &out) == cli::kUsage);
  CHECK(out.empty());
  CHECK(sh(h, {}, {"privacy", "sample", "--param", "x", "--count", "5"}, &out) == cli::kUsage);
  CHECK(out.empty());
  CHECK(sh(h, {}, {"privacy", "sample", "--param", "1", "--count", "0"}, &out) == cli::kUsage);
  CHECK(sh(h, {}, {"privacy", "sample", "--param", "1"}) == cli::kUsage);
  CHECK(sh(h, {}, {"privacy"}) == cli::kUsage);
}

TEST_CASE("preview: catalog metrics only, honest about weekly means for small teams") {
  Home h("preview");
  std::string out, err;
  REQUIRE(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--metric", "meeting_hours", "--k", "10", "--cadence",
                     "week", "--epsilon", "2"},
             &out, &err) == cli::kOk);
  CHECK(out.find("at most 53 releases in any rolling year") != std::string::npos);
  CHECK(out.find("as long as one of them follows the protocol") != std::string::npos);
  CHECK(out.find("it does not change the noise") != std::string::npos);
  CHECK(out.find("focus_hours (hours per week, clipped to 0–40") != std::string::npos);
  CHECK(out.find("too noisy to be useful") != std::string::npos);
  CHECK(out.find("What the metrics mean") != std::string::npos);
  // A quarterly release over 200 reports is far more precise than a weekly one over 10.
  std::string quarterly;
  REQUIRE(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "10", "--reports", "200", "--cadence",
                     "quarter", "--epsilon", "2", "--per-year"},
             &quarterly) == cli::kOk);
  CHECK(quarterly.find("at most 5 releases in any rolling year") != std::string::npos);
  CHECK(half_width(quarterly) < half_width(out) / 10);
  // Spending epsilon 2 on each release instead of on the year buys a narrower interval.
  const double per_year = half_width(quarterly);
  REQUIRE(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "10", "--reports", "200", "--cadence",
                     "quarter", "--epsilon", "2", "--per-release"},
             &quarterly) == cli::kOk);
  CHECK(quarterly.find("epsilon 2 per release") != std::string::npos);
  CHECK(half_width(quarterly) < per_year);

  CHECK(sh(h, {}, {"privacy", "preview", "--metric", "keystrokes", "--k", "10", "--cadence", "week", "--epsilon", "1"},
           &out, &err) == cli::kUsage);
  CHECK(err.find("unknown metric") != std::string::npos);
  CHECK(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "10", "--cadence", "year", "--epsilon", "1"}) ==
        cli::kUsage);
  CHECK(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "10", "--cadence", "week", "--epsilon", "1",
                   "--per-release", "--per-year"}) == cli::kUsage);
  CHECK(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "0", "--cadence", "week", "--epsilon", "1"}) ==
        cli::kUsage);
  CHECK(sh(h, {}, {"privacy", "preview", "--metric", "focus_hours", "--k", "10", "--cadence", "week", "--epsilon", "0"}) ==
        cli::kUsage);
}

TEST_CASE("metrics lists the catalog without a passphrase") {
  Home h("metrics");
  std::string out;
  REQUIRE(sh(h, {}, {"privacy", "metrics"}, &out) == cli::kOk);
  for (const char* m : {"focus_hours", "meeting_hours", "context_switches_per_active_hour", "ai_assisted_share",
                        "contributions_by_kind", "after_hours_share"})
    CHECK(out.find(m) != std::string::npos);
  CHECK(out.find("impact long-term system judgment") != std::string::npos);
}

TEST_CASE("budget and cap: need the passphrase; lowering allowed, raising needs --i-understand") {
  Home h("budget");
  CHECK(sh(h, {"pw"}, {"privacy", "budget"}) == cli::kNotSetUp);
  REQUIRE(sh(h, {"pw"}, {"init", "--weak-passphrase-ok"}) == cli::kOk);
  std::string out, err;
  REQUIRE(sh(h, {"pw"}, {"privacy", "budget"}, &out) == cli::kOk);
  CHECK(out.find("spent      epsilon 0\n") != std::string::npos);
  CHECK(out.find("cap        epsilon 2 (the default)") != std::string::npos);
  CHECK(out.find("0 in the past year, 0 in the ledger") != std::string::npos);
  CHECK(sh(h, {"wrong"}, {"privacy", "budget"}) == cli::kWrongSecret);
  CHECK(sh(h, {}, {"privacy", "budget"}) == cli::kUsage);  // no passphrase given

  charge_release(h, "pw", "2026-W47");
  REQUIRE(sh(h, {"pw"}, {"privacy", "budget"}, &out) == cli::kOk);
  CHECK(out.find("1 in the past year, 1 in the ledger") != std::string::npos);
  CHECK(out.find("plan-eng  2026-W47  epsilon 0.5") != std::string::npos);
  CHECK(out.find("spent      epsilon 0\n") == std::string::npos);

  REQUIRE(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "1"}, &out) == cli::kOk);
  CHECK(out.find("now epsilon 1 at delta 1e-06") != std::string::npos);
  CHECK(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "3"}, &out, &err) == cli::kRefused);
  CHECK(err.find("--i-understand") != std::string::npos);
  REQUIRE(sh(h, {"pw"}, {"privacy", "budget"}, &out) == cli::kOk);
  CHECK(out.find("cap        epsilon 1\n") != std::string::npos);  // the refusal changed nothing
  CHECK(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "0"}) == cli::kUsage);
  CHECK(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "lots"}) == cli::kUsage);
  CHECK(sh(h, {"pw"}, {"privacy", "cap"}) == cli::kUsage);
  REQUIRE(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "3", "--i-understand"}) == cli::kOk);
  REQUIRE(sh(h, {"pw"}, {"privacy", "cap", "--epsilon", "0.1"}, &out) == cli::kOk);
  CHECK(out.find("Reports are refused until") != std::string::npos);  // already spent more than 0.1
}

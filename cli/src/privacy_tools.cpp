// The sample and preview commands' logic (see privacy_tools.hpp).
#include "cairn/cli/privacy_tools.hpp"

#include <charconv>

#include "cairn/dp/samplers.hpp"

namespace cairn::cli {

using namespace dp;

Result<Mechanism> parse_mechanism(std::string_view name) {
  if (name == "gaussian") return Mechanism::discrete_gaussian;
  return make_error(Errc::usage, "--mechanism must be gaussian (the discrete Gaussian each aggregator adds)");
}

Status write_samples(std::ostream& out, std::string_view sigma, std::uint64_t count, RandomSource& rng) {
  if (count == 0 || count > kMaxSampleCount) {
    return make_error(Errc::usage, "--count must be between 1 and " + std::to_string(kMaxSampleCount));
  }
  auto x = Rational::parse(sigma);
  if (!x.ok()) return make_error(Errc::usage, "--param: " + x.error().message);
  // sigma = p/q gives sigma^2 = p^2/q^2 exactly; the sampler's limits bound p and q.
  if (x->num > (std::uint64_t{1} << 21) || x->den > (std::uint64_t{1} << 10)) {
    return make_error(Errc::usage, "--param: sigma must be at most 2^20 with at most 3 decimals");
  }
  auto s2 = CAIRN_TRY(Rational::make(x->num * x->num, x->den * x->den));
  auto sampler = DiscreteGaussianSampler::create(s2);
  if (!sampler.ok()) return make_error(Errc::usage, "--param: " + sampler.error().message);
  char line[32];
  for (std::uint64_t i = 0; i < count; ++i) {
    auto [end, ec] = std::to_chars(line, line + sizeof line - 1, (*sampler)(rng));
    (void)ec;  // 32 bytes always hold an int64
    *end++ = '\n';
    out.write(line, end - line);
    if (!out) return make_error(Errc::io, "could not write the samples (output closed or disk full)");
  }
  out.flush();
  if (!out) return make_error(Errc::io, "could not write the samples (output closed or disk full)");
  return ok_status();
}

Status write_samples(std::ostream& out, std::string_view sigma, std::uint64_t count) {
  SodiumRandom rng;
  return write_samples(out, sigma, count, rng);
}

Result<std::string> preview_text(const UtilityPlan& plan) {
  const UtilityPreview p = CAIRN_TRY(utility_preview(plan));
  return render_utility_preview(plan, p);
}

}  // namespace cairn::cli

// What `cairn privacy sample` and `cairn privacy preview` do, as functions over an std::ostream so
// the command stays a thin wrapper and tests call them directly. The maths (samplers, accounting,
// preview) is cairn_dp's; this is the command's logic over it.
//
//   cairn privacy sample --param SIGMA --count N [--mechanism gaussian]
//     Samples of the discrete Gaussian N_Z(0, SIGMA^2), the noise each aggregator adds to its
//     aggregate share (dp::DiscreteGaussianSampler, the production sampler and source). SIGMA (not
//     sigma^2) is parsed exactly as a rational ("2.5" is 5/2). One sample per line.
//
// Thread safety: pure functions over the stream and random source given.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "cairn/base/result.hpp"
#include "cairn/dp/accounting.hpp"
#include "cairn/dp/preview.hpp"
#include "cairn/dp/random.hpp"

namespace cairn::cli {

inline constexpr std::uint64_t kMaxSampleCount = 100'000'000;

// "gaussian" (the only noise anyone adds); Errc::usage otherwise.
Result<dp::Mechanism> parse_mechanism(std::string_view name);

// Writes `count` discrete Gaussian samples with standard deviation `sigma`, one per line.
// Errc::usage for a bad sigma or a count of 0 or above kMaxSampleCount (nothing written then);
// Errc::io if the stream fails.
Status write_samples(std::ostream& out, std::string_view sigma, std::uint64_t count, dp::RandomSource& rng);
// The same with the production source (SodiumRandom).
Status write_samples(std::ostream& out, std::string_view sigma, std::uint64_t count);

// The text `cairn privacy preview` prints for a plan (utility_preview() then
// render_utility_preview()).
Result<std::string> preview_text(const dp::UtilityPlan& plan);

}  // namespace cairn::cli

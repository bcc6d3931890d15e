// What `cairn privacy sample` and `cairn privacy preview` do, as functions over an std::ostream so
// the command stays a thin wrapper and tests call them directly. The maths (samplers, accounting,
// preview) is cairn_dp's; this is the command's logic over it.
//
//   cairn privacy sample --mechanism skellam|gaussian --param X --count N
//     X is the variance mu for Skellam and sigma (not sigma^2) for the discrete Gaussian, parsed
//     exactly as a rational ("2.5" is 5/2). One sample per line, from the production sampler.
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

// "skellam" or "gaussian"; Errc::usage otherwise.
Result<dp::Mechanism> parse_mechanism(std::string_view name);

// Writes `count` samples, one per line. Errc::usage for a bad parameter or a count of 0 or above
// kMaxSampleCount (nothing written then); Errc::io if the stream fails.
Status write_samples(std::ostream& out, dp::Mechanism mechanism, std::string_view param, std::uint64_t count,
                     dp::RandomSource& rng);
// The same with the production source (SodiumRandom).
Status write_samples(std::ostream& out, dp::Mechanism mechanism, std::string_view param, std::uint64_t count);

// The text `cairn privacy preview` prints for a plan (preview() then render_preview()).
Result<std::string> preview_text(const dp::UtilityPlan& plan);

}  // namespace cairn::cli

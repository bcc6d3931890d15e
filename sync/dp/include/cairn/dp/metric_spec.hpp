// MetricSpec: what the privacy code needs to know about one metric of the catalog — its unit, how
// it is encoded as an integer and its clip range. The catalog (written elsewhere) fills these;
// calibration, the preview and the sensitivity of a release are pure functions over them.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>

#include "cairn/base/result.hpp"

namespace cairn::dp {

struct MetricSpec {
  std::string name;               // "focus_hours"
  std::string unit;               // plain-language unit for people: "hours", "share", "switches per hour"
  std::int64_t scale = 1;         // integer units per unit: 60 = minutes for hours, 1000 = per-mille for shares
  double clip_lo = 0;             // clip range, in units
  double clip_hi = 0;
  std::uint32_t coordinates = 1;  // e.g. contributions by impact kind: one coordinate per kind

  std::int64_t encoded_lo() const;  // round(clip_lo * scale)
  std::int64_t encoded_hi() const;  // round(clip_hi * scale)
  // Per-coordinate sensitivity: one employee's value moves by at most this many integer units.
  std::uint64_t encoded_range() const { return static_cast<std::uint64_t>(encoded_hi() - encoded_lo()); }
  double range() const { return clip_hi - clip_lo; }
  // Clip `value` (in units) to the range and encode it as an integer. NaN encodes as clip_lo.
  std::int64_t encode(double value) const;
  // Sensitivities of this metric's block of coordinates: L1 = c * range, L2^2 = c * range^2.
  std::uint64_t l1() const { return coordinates * encoded_range(); }
  std::uint64_t l2_squared() const { return coordinates * encoded_range() * encoded_range(); }
};

// Errc::usage with the metric's name when scale < 1, the range is empty or not finite, there are no
// coordinates, or the encoded range is above 2^20 (noise for it would exceed the samplers' limits).
Status validate(const MetricSpec& metric);

}  // namespace cairn::dp

// MetricSpec encoding and validation (see metric_spec.hpp).
#include "cairn/dp/metric_spec.hpp"

#include <cmath>

namespace cairn::dp {

std::int64_t MetricSpec::encoded_lo() const { return std::llround(clip_lo * static_cast<double>(scale)); }
std::int64_t MetricSpec::encoded_hi() const { return std::llround(clip_hi * static_cast<double>(scale)); }

std::int64_t MetricSpec::encode(double value) const {
  if (std::isnan(value)) return encoded_lo();
  const double clipped = std::fmin(std::fmax(value, clip_lo), clip_hi);
  const std::int64_t v = std::llround(clipped * static_cast<double>(scale));
  // Rounding can step one unit past an end that is not a multiple of 1/scale: clip again.
  if (v < encoded_lo()) return encoded_lo();
  if (v > encoded_hi()) return encoded_hi();
  return v;
}

Status validate(const MetricSpec& m) {
  const std::string who = "metric '" + m.name + "': ";
  if (m.scale < 1) return make_error(Errc::usage, who + "scale must be at least 1 integer unit per unit");
  if (!std::isfinite(m.clip_lo) || !std::isfinite(m.clip_hi) || !(m.clip_hi > m.clip_lo)) {
    return make_error(Errc::usage, who + "clip range must be finite with clip_hi > clip_lo");
  }
  if (std::fabs(m.clip_lo) * static_cast<double>(m.scale) > 4e18 ||
      std::fabs(m.clip_hi) * static_cast<double>(m.scale) > 4e18) {
    return make_error(Errc::usage, who + "clip range times scale is too large");
  }
  if (m.coordinates == 0) return make_error(Errc::usage, who + "needs at least one coordinate");
  if (m.encoded_hi() <= m.encoded_lo()) return make_error(Errc::usage, who + "range is empty after encoding");
  if (m.encoded_range() > (std::uint64_t{1} << 20)) {
    return make_error(Errc::usage, who + "encoded range above 2^20 units; use a coarser scale");
  }
  if (m.coordinates > 4096) return make_error(Errc::usage, who + "more than 4096 coordinates");
  return ok_status();
}

}  // namespace cairn::dp

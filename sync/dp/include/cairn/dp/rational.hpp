// Non-negative rationals p/q for noise parameters. Every sampler takes its parameter as a Rational
// so the sampling path never touches floating point (docs/privacy.md, "Exact sampling"). Parsing
// accepts exactly what a person types: "12", "2.5", "5/2" — "2.5" becomes 5/2, not 2.4999….
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cairn/base/result.hpp"

namespace cairn::dp {

struct Rational {
  std::uint64_t num = 0;
  std::uint64_t den = 1;  // > 0; always in lowest terms when built by make()/parse()

  // Reduces to lowest terms. Errc::usage when den == 0.
  static Result<Rational> make(std::uint64_t num, std::uint64_t den);
  static Rational integer(std::uint64_t n) { return Rational{n, 1}; }
  // "12", "2.5", "0.001", "5/2". No sign, no exponent, no spaces; at most 18 digits each side.
  static Result<Rational> parse(std::string_view text);

  bool is_zero() const { return num == 0; }
  // For display and accounting only — never on a sampling path.
  long double to_long_double() const { return static_cast<long double>(num) / static_cast<long double>(den); }
  std::string to_string() const;  // "5/2" or "12"

  friend bool operator==(const Rational&, const Rational&) = default;
};

// The smallest multiple of 1/den that is >= x (x >= 0, finite). Used to turn an accountant's
// floating-point answer into an exact noise parameter: rounding up only adds noise, so the charged
// privacy cost (computed from the rounded value) stays an upper bound.
Rational rational_at_least(long double x, std::uint64_t den);

}  // namespace cairn::dp

// Rational parsing and arithmetic for noise parameters (exact; see rational.hpp).
#include "cairn/dp/rational.hpp"

#include <cmath>
#include <numeric>

namespace cairn::dp {

Result<Rational> Rational::make(std::uint64_t num, std::uint64_t den) {
  if (den == 0) return make_error(Errc::usage, "a fraction's denominator must not be zero");
  const std::uint64_t g = std::gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (num == 0) den = 1;
  return Rational{num, den};
}

namespace {

// Up to 18 decimal digits fit in a uint64 without overflow checks.
constexpr std::size_t kMaxDigits = 18;

bool parse_digits(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > kMaxDigits) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  out = v;
  return true;
}

Error bad_number(std::string_view text) {
  return make_error(Errc::usage, "'" + std::string(text.substr(0, 40)) +
                                     "' is not a non-negative number such as 12, 2.5 or 5/2");
}

}  // namespace

Result<Rational> Rational::parse(std::string_view text) {
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    std::uint64_t p = 0, q = 0;
    if (!parse_digits(text.substr(0, slash), p) || !parse_digits(text.substr(slash + 1), q)) {
      return bad_number(text);
    }
    if (q == 0) return make_error(Errc::usage, "a fraction's denominator must not be zero");
    return make(p, q);
  }
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) {
    std::uint64_t p = 0;
    if (!parse_digits(text, p)) return bad_number(text);
    return Rational{p, 1};
  }
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return bad_number(text);
  if (whole.size() + frac.size() > kMaxDigits) return bad_number(text);
  std::uint64_t w = 0, f = 0;
  if (!whole.empty() && !parse_digits(whole, w)) return bad_number(text);
  if (!frac.empty() && !parse_digits(frac, f)) return bad_number(text);
  std::uint64_t scale = 1;
  for (std::size_t i = 0; i < frac.size(); ++i) scale *= 10;
  return make(w * scale + f, scale);  // total digits <= 18, so w*scale + f < 10^18
}

std::string Rational::to_string() const {
  if (den == 1) return std::to_string(num);
  return std::to_string(num) + "/" + std::to_string(den);
}

Rational rational_at_least(long double x, std::uint64_t den) {
  if (den == 0) std::abort();
  if (!(x > 0)) return Rational{0, 1};
  const long double scaled = std::ceil(x * static_cast<long double>(den));
  if (!(scaled < 1.8e19L)) std::abort();  // callers bound x; an overflow here is a bug
  auto r = Rational::make(static_cast<std::uint64_t>(scaled), den);
  return r.value();
}

}  // namespace cairn::dp

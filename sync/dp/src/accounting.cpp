// RDP curves, composition and (epsilon, delta) conversion (see accounting.hpp, docs/privacy.md).
#include "cairn/dp/accounting.hpp"

#include "accounting_detail.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cairn::dp {

std::string_view mechanism_name(Mechanism m) {
  switch (m) {
    case Mechanism::skellam: return "skellam";
    case Mechanism::discrete_gaussian: return "gaussian";
  }
  return "unknown";
}

namespace {

std::vector<double> make_orders() {
  std::vector<double> orders;
  for (int a = 2; a <= 64; ++a) orders.push_back(a);
  for (int a = 68; a <= 256; a += 4) orders.push_back(a);
  for (int a = 264; a <= 1024; a += 8) orders.push_back(a);
  for (int a = 1088; a <= 8192; a += 64) orders.push_back(a);
  return orders;
}

const std::vector<double>& orders_vector() {
  static const std::vector<double> orders = make_orders();
  return orders;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

std::span<const double> rdp_orders() { return orders_vector(); }

double skellam_rdp(double alpha, double mu, double l1, double l2_squared) {
  if (l1 == 0 && l2_squared == 0) return 0;
  if (!(mu > 0)) return kInf;
  const double gaussian_part = alpha * l2_squared / (2 * mu);
  const double a = ((2 * alpha - 1) * l2_squared + 6 * l1) / (4 * mu * mu);
  const double b = 3 * l1 / (2 * mu);
  return gaussian_part + std::min(a, b);
}

double gaussian_rdp(double alpha, double sigma2, double l2_squared) {
  if (l2_squared == 0) return 0;
  if (!(sigma2 > 0)) return kInf;
  return alpha * l2_squared / (2 * sigma2);
}

double gaussian_rho(double sigma2, double l2_squared) { return gaussian_rdp(1.0, sigma2, l2_squared); }

RdpCurve zero_curve() { return RdpCurve{std::vector<double>(orders_vector().size(), 0.0)}; }

RdpCurve zcdp_curve(double rho) {
  RdpCurve c = zero_curve();
  const auto& orders = orders_vector();
  for (std::size_t i = 0; i < orders.size(); ++i) c.rdp[i] = orders[i] * rho;
  return c;
}

RdpCurve rdp_curve(const NoiseTerm& term) {
  RdpCurve c = zero_curve();
  const auto& orders = orders_vector();
  const double var = static_cast<double>(term.variance.to_long_double());
  const double l1 = static_cast<double>(term.l1);
  const double l2sq = static_cast<double>(term.l2_squared);
  for (std::size_t i = 0; i < orders.size(); ++i) {
    c.rdp[i] = term.mechanism == Mechanism::skellam ? skellam_rdp(orders[i], var, l1, l2sq)
                                                    : gaussian_rdp(orders[i], var, l2sq);
  }
  return c;
}

RdpCurve rdp_curve(const ReleaseCost& cost) {
  RdpCurve c = zero_curve();
  for (const auto& term : cost) c = compose(c, rdp_curve(term));
  return c;
}

RdpCurve compose(const RdpCurve& a, const RdpCurve& b) {
  if (a.rdp.size() != b.rdp.size()) std::abort();  // curves from another grid: a bug
  RdpCurve c = a;
  for (std::size_t i = 0; i < c.rdp.size(); ++i) c.rdp[i] += b.rdp[i];
  return c;
}

RdpCurve repeat(const RdpCurve& a, std::uint64_t times) {
  RdpCurve c = a;
  for (auto& v : c.rdp) v *= static_cast<double>(times);
  return c;
}

double epsilon_for_delta(const RdpCurve& curve, double delta) {
  if (!(delta > 0 && delta < 1)) std::abort();
  // Nothing released (every divergence 0) is (0, 0)-DP; the grid formula would leave a small residue.
  if (std::all_of(curve.rdp.begin(), curve.rdp.end(), [](double v) { return v == 0; })) return 0;
  const auto& orders = orders_vector();
  const double log_inv_delta = -std::log(delta);
  double best = kInf;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    const double a = orders[i];
    const double eps = curve.rdp[i] + (log_inv_delta + (a - 1) * std::log1p(-1 / a) - std::log(a)) / (a - 1);
    best = std::min(best, eps);
  }
  return std::max(best, 0.0);
}

double epsilon_for_delta_classic(const RdpCurve& curve, double delta) {
  if (!(delta > 0 && delta < 1)) std::abort();
  const auto& orders = orders_vector();
  const double log_inv_delta = -std::log(delta);
  double best = kInf;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    best = std::min(best, curve.rdp[i] + log_inv_delta / (orders[i] - 1));
  }
  return std::max(best, 0.0);
}

double zcdp_epsilon_bound(double rho, double delta) { return rho + 2 * std::sqrt(rho * -std::log(delta)); }

namespace {

Status check_target(double epsilon, double delta, std::uint64_t releases) {
  if (!(epsilon > 0) || !std::isfinite(epsilon)) return make_error(Errc::usage, "epsilon must be a positive number");
  if (!(delta > 0 && delta < 1)) return make_error(Errc::usage, "delta must be strictly between 0 and 1");
  if (releases == 0) return make_error(Errc::usage, "the number of releases must be at least 1");
  return ok_status();
}

}  // namespace

Result<double> gaussian_sigma2_for_epsilon(double epsilon, double delta, double l2_squared,
                                           std::uint64_t releases) {
  CAIRN_TRY(check_target(epsilon, delta, releases));
  if (l2_squared == 0) return 0.0;
  return detail::smallest_variance(epsilon, [&](double s2) {
    return epsilon_for_delta(zcdp_curve(gaussian_rho(s2, l2_squared) * static_cast<double>(releases)), delta);
  });
}

}  // namespace cairn::dp

// Privacy accounting in Rényi differential privacy (Mironov 2017) on a fixed grid of integer
// orders alpha: the discrete Gaussian's zCDP (Canonne, Kamath, Steinke 2020; Bun, Steinke 2016),
// which is what every release is charged now (one aggregator layer, aggregator_noise.hpp).
// Composition adds the curves order by order; conversion to (epsilon, delta) uses CKS 2020
// Proposition 12 minimised over the grid. Formulas and references: docs/privacy.md, "Accounting".
//
// Mechanism::skellam and skellam_rdp (Agarwal, Kairouz, Liu 2021) remain for one reason: ledger
// entries charged by version-one devices (device-side Skellam noise, removed) stay in an
// employee's hash-chained ledger, and while they are inside the rolling year they must still count
// against the cap at what was charged. Nothing charges a Skellam term any more.
//
// Floating point is fine here: accounting decides parameters, it never touches a sample. Every
// cost is computed from exact mechanism parameters (a NoiseTerm), so a ledger stores integers and
// recomputes the same curve on any machine.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cairn/base/result.hpp"
#include "cairn/dp/rational.hpp"

namespace cairn::dp {

// skellam: only in ledger entries charged before version two (see above); never charged now.
enum class Mechanism : std::uint8_t { skellam = 1, discrete_gaussian = 2 };
std::string_view mechanism_name(Mechanism m);  // "skellam", "gaussian"

// One block of coordinates released with independent noise of one variance.
struct NoiseTerm {
  Mechanism mechanism = Mechanism::discrete_gaussian;
  Rational variance;             // sigma^2 for the discrete Gaussian (mu for a past Skellam entry), encoded units^2
  std::uint64_t l1 = 0;          // Delta_1: L1 sensitivity of the block (encoded units)
  std::uint64_t l2_squared = 0;  // Delta_2^2: squared L2 sensitivity of the block
  friend bool operator==(const NoiseTerm&, const NoiseTerm&) = default;
};
// A release's cost: the noise terms of all its coordinates (independent blocks compose).
using ReleaseCost = std::vector<NoiseTerm>;

// The Rényi orders of every curve: 2..64, then coarser steps up to 8192 (all integers, because the
// Skellam bound for past entries is proved for integer alpha). rdp[i] belongs to rdp_orders()[i].
std::span<const double> rdp_orders();

struct RdpCurve {
  std::vector<double> rdp;  // same length as rdp_orders()
};

// AKL 2021, for ledger entries charged by version one:
// eps(alpha) <= alpha D2^2/(2 mu) + min(((2 alpha - 1) D2^2 + 6 D1)/(4 mu^2), 3 D1/(2 mu)).
double skellam_rdp(double alpha, double mu, double l1, double l2_squared);
// Discrete Gaussian: eps(alpha) = alpha D2^2 / (2 sigma^2), i.e. rho = D2^2/(2 sigma^2) zCDP.
double gaussian_rdp(double alpha, double sigma2, double l2_squared);
double gaussian_rho(double sigma2, double l2_squared);

RdpCurve zero_curve();
RdpCurve zcdp_curve(double rho);  // rdp(alpha) = alpha * rho
RdpCurve rdp_curve(const NoiseTerm& term);
RdpCurve rdp_curve(const ReleaseCost& cost);  // sum over terms
// Composition: order-wise sum.
RdpCurve compose(const RdpCurve& a, const RdpCurve& b);
RdpCurve repeat(const RdpCurve& a, std::uint64_t times);  // `times` identical releases

// CKS 2020 Prop. 12: eps = min_alpha rdp(alpha) + (log(1/delta) + (alpha-1) log(1-1/alpha) - log alpha)/(alpha-1),
// floored at 0. REQUIRES 0 < delta < 1.
double epsilon_for_delta(const RdpCurve& curve, double delta);
// The classic conversion (Mironov 2017 Prop. 3): min_alpha rdp(alpha) + log(1/delta)/(alpha-1).
// Never smaller than epsilon_for_delta; kept as a cross-check and for readers who know it.
double epsilon_for_delta_classic(const RdpCurve& curve, double delta);
// Bun–Steinke 2016 Prop. 1.3 for rho-zCDP: rho + 2 sqrt(rho log(1/delta)).
double zcdp_epsilon_bound(double rho, double delta);

// Inverse (bisection; monotone in the variance): the smallest sigma^2 such that `releases`
// releases of a discrete Gaussian block with sensitivity l2_squared cost at most epsilon at delta.
// Errc::usage for a non-positive epsilon, a delta outside (0,1) or zero releases.
Result<double> gaussian_sigma2_for_epsilon(double epsilon, double delta, double l2_squared,
                                           std::uint64_t releases = 1);

}  // namespace cairn::dp

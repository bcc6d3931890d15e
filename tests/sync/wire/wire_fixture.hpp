// Shared by the wire and device tests: a plan of real catalog metrics with the noise its budget
// needs, and both aggregators' Prio3 preparation of one report (what P2's aggregators run), so a
// test can show a report is valid.
#pragma once

#include <vector>

#include "cairn/crypto/sodium.hpp"
#include "cairn/metrics/catalog.hpp"
#include "cairn/vdaf/prio3.hpp"
#include "cairn/wire/envelope.hpp"
#include "cairn/wire/plan.hpp"
#include "cairn/wire/plan_check.hpp"
#include "cairn/wire/prio3_plan.hpp"

namespace cairn::test {

inline wire::Plan sample_plan(const crypto::BoxPublicKey& leader, const crypto::BoxPublicKey& helper,
                              const std::string& cadence = "week") {
  wire::Plan p;
  p.id = "team-a-2026";
  p.org = "Acme";
  p.team = "platform";
  p.purpose = "How much focus time the team gets";
  p.cadence = cadence;
  p.k = 5;
  p.budget = {1.0, 1e-6, dp::BudgetScope::per_year};
  for (const char* name : {"focus_hours", "meeting_hours", "contributions_by_kind"}) {
    const auto* m = metrics::find(name);
    p.metrics.push_back({m->name, m->spec.coordinates, m->spec.scale, dp::Rational{1, 1}});
  }
  p.leader = {"http://127.0.0.1:1", leader};
  p.helper = {"http://127.0.0.1:2", helper};
  p.created = 1700000000;
  auto noise = wire::plan_noise(p).value();
  for (std::size_t i = 0; i < p.metrics.size(); ++i) p.metrics[i].sigma2 = noise.required.sigma2[i];
  return p;
}

// Runs prep_init for aggregator 0 and 1, combines the prep shares and runs prep_next on both:
// the two output shares of a valid report, or the error that made it invalid.
inline Result<std::vector<vdaf::Bytes>> prepare_both(const wire::Prio3Scheme& s, const wire::Envelope& e,
                                                     const vdaf::Bytes& leader_input, const vdaf::Bytes& helper_input) {
  std::vector<std::uint8_t> vk(vdaf::Prio3::kVerifyKeySize);
  crypto::random_bytes(vk);
  const auto ctx = wire::prio3_context(e.ctx.plan_id, e.ctx.period);
  auto l = CAIRN_TRY(s.vdaf.prep_init(vk, ctx, 0, e.ctx.report_id, e.public_share, leader_input));
  auto h = CAIRN_TRY(s.vdaf.prep_init(vk, ctx, 1, e.ctx.report_id, e.public_share, helper_input));
  std::vector<vdaf::Bytes> shares{l.prep_share, h.prep_share};
  auto msg = CAIRN_TRY(s.vdaf.prep_shares_to_prep(ctx, shares));
  auto lo = CAIRN_TRY(s.vdaf.prep_next(ctx, l.state, msg));
  auto ho = CAIRN_TRY(s.vdaf.prep_next(ctx, h.state, msg));
  return std::vector<vdaf::Bytes>{lo, ho};
}

}  // namespace cairn::test

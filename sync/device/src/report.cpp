// Device-side report preparation: see report.hpp.
#include "cairn/device/report.hpp"

#include <algorithm>

#include "cairn/dp/samplers.hpp"

namespace cairn::device {

using namespace wire;

Result<PreparedReport> prepare_report(const Plan& plan, std::span<const dp::MetricSpec> specs, const std::string& period,
                                      std::span<const std::int64_t> encoded_values, dp::Ledger& ledger,
                                      const crypto::SignKeyPair& device, std::int64_t now, dp::RandomSource& rng) {
  if (encoded_values.size() != plan.coordinates())
    return make_error(Errc::internal, "report values do not match the plan's coordinates");
  if (period.empty() || period.size() > kMaxLabelBytes) return make_error(Errc::usage, "period label is empty or too long");
  auto cal = CAIRN_TRY(check_plan_calibration(plan, specs));

  // Samplers first: a parameter the sampler refuses must fail before the ledger is charged.
  std::vector<dp::SkellamSampler> samplers;
  for (std::size_t i = 0; i < plan.metrics.size(); ++i) {
    auto share = CAIRN_TRY(dp::device_share(cal.mu[i], plan.k));
    samplers.push_back(CAIRN_TRY(dp::SkellamSampler::create(share)));
  }
  // Clip again: whatever the caller passed, a value outside the range would break the sensitivity.
  std::vector<std::int64_t> values(encoded_values.begin(), encoded_values.end());
  {
    std::size_t c = 0;
    for (const auto& s : specs)
      for (std::uint32_t j = 0; j < s.coordinates; ++j, ++c)
        values[c] = std::clamp(values[c], s.encoded_lo(), s.encoded_hi());
  }

  auto check = ledger.check(cal.cost, now);
  auto entry = CAIRN_TRY(ledger.charge(plan.id, period, cal.cost, now));
  (void)entry;

  PreparedReport out;
  out.values = values;
  out.noise.resize(values.size());
  std::vector<std::int64_t> y(values.size());
  {
    std::size_t c = 0;
    for (std::size_t i = 0; i < specs.size(); ++i)
      for (std::uint32_t j = 0; j < specs[i].coordinates; ++j, ++c) {
        out.noise[c] = samplers[i](rng);
        y[c] = values[c] + out.noise[c];
      }
  }
  ReportContext ctx;
  ctx.plan_id = plan.id;
  ctx.period = period;
  ctx.report_id = new_report_id();
  ctx.device_key = device.public_key;
  out.ledger = ledger.head();
  auto shares = split(y);
  auto env = make_envelope(ctx, out.ledger, shares, Recipients{plan.leader.box_key, plan.helper.box_key}, device);
  crypto::wipe(shares.helper);
  out.envelope = encode(env);
  out.report_id = report_id_hex(ctx.report_id);
  out.cost = cal.cost;
  out.epsilon_release = dp::epsilon_for_delta(dp::rdp_curve(cal.cost), ledger.cap().delta);
  out.spent_after = check.after_epsilon;
  out.cap_epsilon = check.cap_epsilon;
  return out;
}

}  // namespace cairn::device

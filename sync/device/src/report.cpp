// Device-side report preparation: see report.hpp.
#include "cairn/device/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cairn/dp/aggregator_noise.hpp"
#include "cairn/wire/plan_check.hpp"
#include "cairn/wire/prio3_plan.hpp"

namespace cairn::device {

using namespace wire;

Result<PreparedReport> prepare_report(const Plan& plan, const std::string& label, std::span<const std::int64_t> encoded_values,
                                      const dp::Ledger& ledger, const crypto::SignKeyPair& device, std::int64_t now) {
  if (encoded_values.size() != plan.coordinates())
    return make_error(Errc::internal, "report values do not match the plan's coordinates");
  const auto checked = CAIRN_TRY(check_plan(plan));
  const auto period = CAIRN_TRY(report_period(plan, label, now));
  const auto scheme = CAIRN_TRY(prio3_for(plan));
  for (const auto& e : ledger.entries())
    if (e.plan_id == plan.id && e.period == period.label)
      return make_error(Errc::refused, "plan " + plan.id + " " + period.label + " was already reported by this employee");

  PreparedReport out;
  out.measurement = encode_measurement(scheme, encoded_values);
  out.values.resize(scheme.length);
  for (std::size_t i = 0; i < scheme.length; ++i) out.values[i] = static_cast<std::int64_t>(out.measurement[i]) + scheme.lo[i];

  // The cap BEFORE anything is sharded or shown, for a charge timed at the period's end (never
  // earlier than the chain's last entry, which the ledger requires; later only widens the window
  // conservatively). Charged only at approval: the envelope carries the head it will then have.
  out.charged_at = period_end_time(period);
  if (!ledger.entries().empty()) out.charged_at = std::max(out.charged_at, ledger.entries().back().time);
  const auto check = ledger.check(checked.cost, out.charged_at);
  if (!check.allowed) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "a report for plan %s %s would take your privacy spending for the past year to epsilon %.3g, above "
                  "your cap of %.3g (already spent %.3g); nothing was prepared",
                  plan.id.c_str(), period.label.c_str(), check.after_epsilon, check.cap_epsilon, check.spent_epsilon);
    return make_error(Errc::refused, buf);
  }
  const auto next = ledger.next_entry(plan.id, period.label, checked.cost, out.charged_at);

  ReportContext ctx;
  ctx.plan_id = plan.id;
  ctx.period = period.label;
  ctx.report_id = new_report_id();
  ctx.device_key = device.public_key;
  out.ledger = dp::ChainHead{next.seq + 1, next.hash};
  auto shares = CAIRN_TRY(shard(scheme, ctx, out.measurement));
  auto env = make_envelope(ctx, out.ledger, shares, Recipients{plan.leader.box_key, plan.helper.box_key}, device);
  crypto::wipe(shares.leader_input);
  crypto::wipe(shares.helper_input);
  out.envelope = encode(env);
  out.report_id = report_id_hex(ctx.report_id);
  out.cost = checked.cost;
  out.epsilon_release = dp::epsilon_for_delta(dp::rdp_curve(checked.cost), ledger.cap().delta);
  out.spent_after = check.after_epsilon;
  out.cap_epsilon = check.cap_epsilon;
  for (std::size_t i = 0; i < plan.metrics.size(); ++i) {
    MetricNoise n;
    n.metric = plan.metrics[i].name;
    n.unit = checked.specs[i].unit;
    n.sigma2_per_layer = plan.metrics[i].sigma2;
    n.sum_sd_units = std::sqrt(dp::released_noise_variance(n.sigma2_per_layer)) / static_cast<double>(checked.specs[i].scale);
    n.mean_se_units = n.sum_sd_units / static_cast<double>(std::max<std::uint32_t>(plan.k, 1));
    out.noise.push_back(n);
  }
  return out;
}

Result<ChargedReport> charge_report(const Plan& plan, const std::string& label, crypto::ByteView envelope,
                                    dp::Ledger& ledger, const crypto::SignKeyPair& device, std::int64_t charged_at) {
  auto env = CAIRN_TRY(parse_envelope(envelope));
  if (env.ctx.plan_id != plan.id || env.ctx.period != label || env.ctx.device_key != device.public_key)
    return make_error(Errc::corrupt, "the prepared report does not match its plan, period or this device");
  ChargedReport out;
  const dp::LedgerEntry* have = nullptr;
  for (const auto& e : ledger.entries())
    if (e.plan_id == plan.id && e.period == label) have = &e;
  if (have) {
    out.entry = *have;
  } else {
    const auto checked = CAIRN_TRY(check_plan(plan));
    out.entry = CAIRN_TRY(ledger.charge(plan.id, label, checked.cost, charged_at));
    out.charged_now = true;
  }
  const dp::ChainHead head{out.entry.seq + 1, out.entry.hash};
  if (env.ledger != head) {
    env.ledger = head;
    env.signature = crypto::sign_detached(device, signed_part(env));
    out.resigned = true;
    out.envelope = encode(env);
  } else {
    out.envelope.assign(envelope.begin(), envelope.end());
  }
  return out;
}

}  // namespace cairn::device

// `cairn privacy ...`: audit the aggregators' noise (sample), preview a plan's precision (preview),
// list the metrics catalog (metrics) — none of these needs the passphrase — and see or set the
// employee's own privacy budget (budget, cap), which live in the encrypted store.
#include <cmath>
#include <cstdio>
#include <memory>

#include "cairn/base/text.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/cli/privacy_tools.hpp"
#include "cairn/metrics/catalog.hpp"
#include "extensions.hpp"

namespace cairn::cli {
namespace {

struct PrivacyArgs {
  std::string mechanism = "gaussian", param;
  std::uint64_t count = 0;
  std::vector<std::string> metrics;
  std::uint32_t k = 0;
  std::uint32_t reports = 0;
  std::string cadence;
  double epsilon = 0;
  double delta = 1e-6;
  bool per_release = false, per_year = false;
  bool i_understand = false;
};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Plan ids and periods come from outside (a plan): shown through safe_outside_text.
std::string printable(const std::string& s) { return safe_outside_text(s); }

int cmd_sample(Context& ctx, const PrivacyArgs& a) {
  if (auto mech = parse_mechanism(a.mechanism); !mech.ok()) return fail(ctx, mech.error());
  if (auto st = write_samples(ctx.io.out(), a.param, a.count); !st.ok()) return fail(ctx, st.error());
  return kOk;
}

int cmd_preview(Context& ctx, const PrivacyArgs& a) {
  auto cadence = metrics::cadence_from_name(a.cadence);
  if (!cadence) return fail(ctx, make_error(Errc::usage, "--cadence must be week, month or quarter"));
  auto specs = metrics::specs_for(a.metrics);
  if (!specs.ok()) return fail(ctx, specs.error());
  dp::UtilityPlan plan;
  plan.metrics = std::move(specs).value();
  plan.k = a.k;
  plan.expected_reports = a.reports;
  plan.cadence = *cadence;
  plan.budget = dp::Budget{a.epsilon, a.delta, a.per_release ? dp::BudgetScope::per_release : dp::BudgetScope::per_year};
  auto text = preview_text(plan);
  if (!text.ok()) return fail(ctx, text.error());
  auto& out = ctx.io.out();
  out << "Cadence: " << a.cadence << " (" << dp::releases_per_year(*cadence)
      << " releases can fall in one rolling year of the budget)\n"
      << *text << "What the metrics mean:\n";
  for (const auto& name : a.metrics) out << "  " << name << ": " << metrics::find(name)->meaning << "\n";
  return kOk;
}

int cmd_metrics(Context& ctx) {
  auto& out = ctx.io.out();
  for (const auto& m : metrics::catalog()) {
    out << m.name << " — " << m.meaning << "\n"
        << "  unit: " << m.spec.unit << ", clipped to " << num(m.spec.clip_lo) << "–" << num(m.spec.clip_hi)
        << ", encoded as integers in steps of 1/" << m.spec.scale;
    if (m.spec.coordinates > 1) {
      out << ", one number each for:";
      for (const auto& c : m.coordinate_names) out << " " << c;
    }
    out << "\n";
  }
  return kOk;
}

int cmd_budget(Context& ctx) {
  auto session = unlock(ctx);
  if (!session.ok()) return fail(ctx, session.error());
  auto l = budget::open_ledger(session->store);
  if (!l.ok()) return fail(ctx, l.error());
  const auto& ledger = l->ledger;
  const std::int64_t now = ctx.clock.now();
  const double spent = ledger.spent_epsilon(now);
  const auto cap = ledger.cap();
  std::vector<const dp::LedgerEntry*> recent;
  for (const auto& e : ledger.entries())
    if (e.time > now - dp::kBudgetWindowSeconds) recent.push_back(&e);
  auto& out = ctx.io.out();
  out << "Privacy budget over the past year (rolling " << dp::kBudgetWindowSeconds / 86400 << " days), at delta "
      << num(cap.delta) << ":\n"
      << "  spent      epsilon " << num(spent) << "\n"
      << "  cap        epsilon " << num(cap.epsilon)
      << (cap.epsilon == dp::default_cap().epsilon && cap.delta == dp::default_cap().delta ? " (the default)" : "") << "\n"
      << "  remaining  epsilon " << num(std::max(0.0, cap.epsilon - spent)) << "\n"
      << "  releases   " << recent.size() << " in the past year, " << ledger.entries().size() << " in the ledger\n";
  const auto head = ledger.head();
  out << "  chain head " << head.length << " entries, " << budget::hash_hex(head.head).substr(0, 16)
      << "… (every report carries it; the helper checks it never goes back)\n";
  if (!recent.empty()) out << "Releases in the past year:\n";
  for (const auto* e : recent) {
    const double eps = dp::epsilon_for_delta(dp::rdp_curve(e->cost), cap.delta);
    out << "  " << day_string(local_day(e->time, ctx.clock.utc_offset(e->time))) << "  " << printable(e->plan_id)
        << "  " << printable(e->period) << "  epsilon " << num(eps) << "\n";
  }
  return kOk;
}

int cmd_cap(Context& ctx, const PrivacyArgs& a) {
  auto session = unlock(ctx);
  if (!session.ok()) return fail(ctx, session.error());
  auto current = budget::load_cap(session->store);
  if (!current.ok()) {
    // An unreadable cap is replaced by the one being set, but never silently by a weaker one.
    if (current.error().code != Errc::corrupt) return fail(ctx, current.error());
    current = dp::default_cap();
  }
  const dp::BudgetCap cap{a.epsilon, current->delta};
  if (auto st = budget::save_cap(session->store, cap, a.i_understand); !st.ok()) return fail(ctx, st.error());
  auto l = budget::open_ledger(session->store);
  if (!l.ok()) return fail(ctx, l.error());
  const double spent = l->ledger.spent_epsilon(ctx.clock.now());
  auto& out = ctx.io.out();
  out << "Your annual privacy cap is now epsilon " << num(cap.epsilon) << " at delta " << num(cap.delta)
      << " (default: epsilon " << num(dp::default_cap().epsilon) << "). Spent over the past year: epsilon " << num(spent)
      << ".\n";
  if (spent >= cap.epsilon) out << "Reports are refused until older releases leave the one-year window.\n";
  return kOk;
}

}  // namespace

void add_privacy(CLI::App& app, Extensions& ext) {
  auto a = std::make_shared<PrivacyArgs>();
  auto* priv = app.add_subcommand("privacy", "Audit the noise, preview a plan's precision, see or set your privacy budget");
  priv->require_subcommand(1);

  auto* sample = priv->add_subcommand(
      "sample", "Print samples of the discrete Gaussian noise each aggregator adds, one per line, from the production sampler");
  sample->add_option("--mechanism", a->mechanism, "gaussian (the default and the only noise anyone adds)");
  sample->add_option("--param", a->param, "sigma, the standard deviation (exact, e.g. 2.5 or 5/2)")->required();
  sample->add_option("--count", a->count, "How many samples")->required();

  auto* preview = priv->add_subcommand("preview", "How precise a plan's team means would be (no passphrase)");
  preview->add_option("--metric", a->metrics, "A catalog metric (repeatable; see `cairn privacy metrics`)")->required();
  preview->add_option("-k,--k", a->k, "Smallest group released (does not change the noise)")->required();
  preview->add_option("--reports", a->reports, "Reports expected per release (default: k)");
  preview->add_option("--cadence", a->cadence, "week | month | quarter")->required();
  preview->add_option("--epsilon", a->epsilon, "The plan's privacy cost")->required();
  preview->add_option("--delta", a->delta, "delta of the cost (default 1e-6)");
  auto* per_release = preview->add_flag("--per-release", a->per_release, "epsilon is the cost of each release");
  auto* per_year = preview->add_flag("--per-year", a->per_year, "epsilon is the cost of a year of releases (default)");
  per_release->excludes(per_year);

  auto* list = priv->add_subcommand("metrics", "The metrics a plan may ask for, with their meaning and range");
  auto* budget = priv->add_subcommand("budget", "Your privacy spending over the past year and your cap");
  auto* cap = priv->add_subcommand("cap", "Set your annual privacy cap (lowering is always allowed)");
  cap->add_option("--epsilon", a->epsilon, "The new cap")->required();
  cap->add_flag("--i-understand", a->i_understand, "Allow a cap above the default (weaker protection)");

  ext.handlers.push_back([=](Context& ctx) -> int {
    if (sample->parsed()) return cmd_sample(ctx, *a);
    if (preview->parsed()) return cmd_preview(ctx, *a);
    if (list->parsed()) return cmd_metrics(ctx);
    if (budget->parsed()) return cmd_budget(ctx);
    if (cap->parsed()) return cmd_cap(ctx, *a);
    return -1;
  });
}

}  // namespace cairn::cli

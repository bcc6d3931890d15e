// log, export, import: the employee's own record.
#include "cairn/consent/consent.hpp"
#include "commands.hpp"

namespace cairn::cli {

int cmd_log(Context& ctx, const LogArgs& a) {
  auto kind = records::impact_kind_from_name(a.kind);
  if (!kind) return fail(ctx, make_error(Errc::usage, "--kind is one of: impact, long-term, system, judgment"));
  if (a.text.empty()) return fail(ctx, make_error(Errc::usage, "say what changed and for whom, e.g. cairn log \"...\""));
  auto consent = consent::load(consent::file_in(ctx.paths.config));
  if (!consent.ok()) return fail(ctx, consent.error());
  if (!consent->enabled(records::Source::self))
    return fail(ctx, make_error(Errc::refused, "logging is turned off (`cairn consent grant self` turns it back on)"));
  auto s = unlock(ctx);
  if (!s.ok()) return fail(ctx, s.error());
  records::Contribution c;
  c.time = ctx.clock.now();
  c.utc_offset = ctx.clock.utc_offset(c.time);
  c.text = a.text;
  c.kind = *kind;
  c.skills = a.skills;
  c.links = a.links;
  c.ai_assisted = a.ai_assisted;
  auto id = s->store.add_contribution(c);
  if (!id.ok()) return fail(ctx, id.error());
  ctx.io.out() << "Logged contribution #" << *id << ".\n";
  return kOk;
}

int cmd_export(Context& ctx, const std::string& format) {
  if (format != "json") return fail(ctx, make_error(Errc::usage, "--format json is the only export format"));
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto doc = s->store.export_json();
  if (!doc.ok()) return fail(ctx, doc.error());
  ctx.io.out() << *doc << "\n";
  return kOk;
}

int cmd_import(Context& ctx) {
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  const auto& r = s->imported;
  ctx.io.out() << "Imported " << r.batches << " batch(es): " << r.counts.spans << " activity spans, " << r.counts.commits
               << " commits, " << r.counts.meetings << " meetings, " << r.counts.consent_events << " consent change(s)";
  if (r.rejected) ctx.io.out() << "; " << r.rejected << " damaged batch(es) set aside in inbox/rejected";
  ctx.io.out() << ".\n";
  return kOk;
}

int cmd_verify(Context& ctx) {
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  if (auto st = s->store.verify(); !st.ok()) return fail(ctx, st.error());
  auto c = s->store.counts();
  if (!c.ok()) return fail(ctx, c.error());
  ctx.io.out() << "The vault opens and every page of the store authenticates (" << c->spans << " activity spans, "
               << c->commits << " commits, " << c->meetings << " meetings, " << c->contributions << " contributions).\n";
  return kOk;
}

}  // namespace cairn::cli

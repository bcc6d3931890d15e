// `cairn contributions [--range R] [--markdown [--output FILE]]`: what the employee logged, with
// the goal each serves, its impact kind, skills, evidence and "did it hold?" answers; or the same
// as a Markdown brag document (brag.cpp), written 0600 when it goes to a file.
#include <ostream>

#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "output_file.hpp"
#include "views.hpp"

namespace cairn::cli {
namespace {

std::string goal_title(const BragInput& in, std::int64_t id) {
  for (const auto& g : in.goals)
    if (g.id == id) return safe_outside_text(g.current.title);
  return "?";
}

void print_list(std::ostream& out, const BragInput& in) {
  out << count_text(in.contributions.size(), "contribution", "contributions") << ", " << in.range << "\n";
  for (const auto& c : in.contributions) {
    out << "\n#" << c.id << "  " << day_string(local_day(c.time, c.utc_offset)) << "  " << records::impact_kind_name(c.kind);
    if (c.ai_assisted) out << "  AI-assisted";
    if (c.goal_id) out << "  goal #" << *c.goal_id << " \"" << goal_title(in, *c.goal_id) << "\"";
    out << "\n  " << safe_outside_text(c.text) << "\n";
    if (!c.skills.empty()) {
      out << "  skills:   ";
      for (std::size_t i = 0; i < c.skills.size(); ++i) out << (i ? ", " : "") << safe_outside_text(c.skills[i]);
      out << "\n";
    }
    for (const auto& l : c.links) out << "  evidence: " << safe_outside_text(l) << "\n";
    if (auto it = in.outcomes.find(c.id); it != in.outcomes.end())
      for (const auto& o : it->second)
        out << "  after " << o.horizon_days << " days: " << safe_outside_text(o.held)
            << (o.note.empty() ? "" : " (" + safe_outside_text(o.note) + ")") << "\n";
  }
}

}  // namespace

int cmd_contributions(Context& ctx, const ContributionsArgs& a) {
  if (!a.output.empty() && !a.markdown) return fail(ctx, make_error(Errc::usage, "--output goes with --markdown"));
  if (a.force && a.output.empty()) return fail(ctx, make_error(Errc::usage, "--force goes with --output FILE"));
  const auto now = ctx.clock.now();
  const auto today = local_day(now, ctx.clock.utc_offset(now));
  auto range = parse_range(a.range, today);
  if (!range.ok()) return fail(ctx, range.error());
  if (!a.output.empty() && std::filesystem::exists(std::filesystem::symlink_status(a.output)) && !a.force)
    return fail(ctx, make_error(Errc::exists, a.output + " already exists; nothing was written (--force replaces it)"));
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto in = read_brag_input(s->store, *range, day_string(today));
  if (!in.ok()) return fail(ctx, in.error());
  if (!a.markdown) {
    print_list(ctx.io.out(), *in);
    return kOk;
  }
  const std::string md = brag_markdown(*in);
  if (a.output.empty()) {
    ctx.io.out() << md;
    return kOk;
  }
  if (auto st = write_private_output(a.output, md, a.force); !st.ok()) return fail(ctx, st.error());
  ctx.io.out() << "Wrote " << count_text(in->contributions.size(), "contribution", "contributions") << " to " << safe_outside_text(a.output)
               << " (readable by you only).\n";
  return kOk;
}

}  // namespace cairn::cli

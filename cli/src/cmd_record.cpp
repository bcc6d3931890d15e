// log (with --date and --goal), export (to standard output or a private file), import, verify:
// the employee's own record.
#include <cctype>

#include "cairn/base/clock.hpp"
#include "cairn/base/plausible.hpp"
#include "cairn/base/text.hpp"
#include "cairn/consent/consent.hpp"
#include "commands.hpp"
#include "output_file.hpp"
#include "view_text.hpp"

namespace cairn::cli {

namespace {

// When a contribution logged with --date happened: now for today, else local noon of that day.
// Errc::usage for a day after today or before 2000 (base/plausible.hpp).
Result<records::Instant> logged_time(const Context& ctx, const std::string& date) {
  const records::Instant now = ctx.clock.now();
  if (date.empty()) return now;
  const std::int64_t day = CAIRN_TRY(parse_day(date));
  const std::int64_t today = local_day(now, ctx.clock.utc_offset(now));
  if (day > today) return make_error(Errc::usage, "--date " + date + " is in the future; log what already happened");
  if (day * 86400 < plausible::kEarliest) return make_error(Errc::usage, "--date " + date + " is before 2000; that cannot be right");
  if (day == today) return now;
  const records::Instant noon = day * 86400 + 12 * 3600;
  return noon - ctx.clock.utc_offset(noon);
}

// A goal by id ("3", "#3") or by exact title (case-insensitive); a clear error otherwise.
Result<std::int64_t> find_goal(const store::Store& s, const std::string& wanted) {
  auto goals = CAIRN_TRY(s.goals());
  std::string digits = wanted.starts_with('#') ? wanted.substr(1) : wanted;
  const bool is_id = !digits.empty() && digits.size() < 18 &&
                     digits.find_first_not_of("0123456789") == std::string::npos;
  auto lower = [](std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  std::vector<std::int64_t> hits;
  for (const auto& g : goals)
    if ((is_id && g.id == std::stoll(digits)) || (!is_id && lower(g.current.title) == lower(wanted))) hits.push_back(g.id);
  if (hits.size() == 1) return hits.front();
  if (hits.size() > 1) {
    std::string ids;
    for (auto id : hits) ids += (ids.empty() ? "#" : ", #") + std::to_string(id);
    return make_error(Errc::usage, "several goals have that title (" + ids + "); give the id with --goal");
  }
  return make_error(Errc::usage, "no goal \"" + wanted + "\" (" + count_text(goals.size(), "goal", "goals") +
                                         " in your record; set goals in the panel's Goals view)");
}

}  // namespace

int cmd_log(Context& ctx, const LogArgs& a) {
  auto kind = records::impact_kind_from_name(a.kind);
  if (!kind) return fail(ctx, make_error(Errc::usage, "--kind is one of: impact, long-term, system, judgment"));
  if (a.text.empty()) return fail(ctx, make_error(Errc::usage, "say what changed and for whom, e.g. cairn log \"...\""));
  auto when = logged_time(ctx, a.date);
  if (!when.ok()) return fail(ctx, when.error());
  auto consent = consent::load(consent::file_in(ctx.paths.config));
  if (!consent.ok()) return fail(ctx, consent.error());
  if (!consent->enabled(records::Source::self))
    return fail(ctx, make_error(Errc::refused, "logging is turned off (`cairn consent grant self` turns it back on)"));
  auto s = unlock(ctx);
  if (!s.ok()) return fail(ctx, s.error());
  records::Contribution c;
  if (!a.goal.empty()) {
    auto goal = find_goal(s->store, a.goal);
    if (!goal.ok()) return fail(ctx, goal.error());
    c.goal_id = *goal;
  }
  c.time = *when;
  c.utc_offset = ctx.clock.utc_offset(c.time);
  c.text = a.text;
  c.kind = *kind;
  c.skills = a.skills;
  c.links = a.links;
  c.ai_assisted = a.ai_assisted;
  auto id = s->store.add_contribution(c);
  if (!id.ok()) return fail(ctx, id.error());
  ctx.io.out() << "Logged contribution #" << *id;
  if (!a.date.empty()) ctx.io.out() << " on " << day_string(local_day(c.time, c.utc_offset));
  if (c.goal_id) ctx.io.out() << ", linked to goal #" << *c.goal_id;
  ctx.io.out() << ".\n";
  return kOk;
}

int cmd_export(Context& ctx, const ExportArgs& a) {
  if (a.format != "json") return fail(ctx, make_error(Errc::usage, "--format json is the only export format"));
  if (a.force && a.output.empty()) return fail(ctx, make_error(Errc::usage, "--force goes with --output FILE"));
  if (!a.output.empty() && std::filesystem::exists(std::filesystem::symlink_status(a.output)) && !a.force)
    return fail(ctx, make_error(Errc::exists, a.output + " already exists; nothing was written (--force replaces it)"));
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  auto doc = s->store.export_json();
  if (!doc.ok()) return fail(ctx, doc.error());
  if (a.output.empty()) {
    ctx.io.out() << *doc << "\n";
    return kOk;
  }
  if (auto st = write_private_output(a.output, *doc + "\n", a.force); !st.ok()) return fail(ctx, st.error());
  ctx.io.out() << "Wrote your record to " << safe_outside_text(a.output) << " (readable by you only).\n";
  return kOk;
}

int cmd_import(Context& ctx) {
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  const auto& r = s->imported;
  ctx.io.out() << "Imported " << count_text(r.batches, "batch", "batches") << ": "
               << count_text(r.counts.spans, "activity span", "activity spans") << ", "
               << count_text(r.counts.commits, "commit", "commits") << ", " << count_text(r.counts.meetings, "meeting", "meetings")
               << ", " << count_text(r.counts.consent_events, "consent change", "consent changes");
  if (r.rejected) ctx.io.out() << "; " << count_text(r.rejected, "damaged batch", "damaged batches") << " set aside in inbox/rejected";
  ctx.io.out() << ".\n";
  return kOk;
}

int cmd_verify(Context& ctx, bool repair) {
  auto s = unlock(ctx, true);
  if (!s.ok()) return fail(ctx, s.error());
  if (auto st = s->store.verify(); !st.ok()) return fail(ctx, st.error());
  const auto now = ctx.clock.now();
  auto bad = repair ? s->store.remove_implausible_rows(now) : s->store.implausible_rows(now);
  if (!bad.ok()) return fail(ctx, bad.error());
  auto c = s->store.counts();
  if (!c.ok()) return fail(ctx, c.error());
  ctx.io.out() << "The vault opens and every page of the store authenticates ("
               << count_text(c->spans, "activity span", "activity spans") << ", " << count_text(c->commits, "commit", "commits")
               << ", " << count_text(c->meetings, "meeting", "meetings") << ", "
               << count_text(c->contributions, "contribution", "contributions") << ").\n";
  if (bad->total() == 0) return kOk;
  const std::string what = count_text(bad->spans, "activity span", "activity spans") + ", " +
                           count_text(bad->commits, "commit", "commits") + ", " + count_text(bad->meetings, "meeting", "meetings");
  const std::string implausible = count_text(bad->total(), "implausible record", "implausible records");
  if (repair) {
    ctx.io.out() << "Repaired: removed " << implausible << " (" << what
                 << "); the day totals were rebuilt and the repair is logged.\n";
    return kOk;
  }
  return fail(ctx, make_error(Errc::corrupt, "the store holds " + implausible + " (" + what +
                                                 ": times before 2000 or in the future, spans longer than a day); "
                                                 "`cairn verify --repair` removes them"));
}

}  // namespace cairn::cli

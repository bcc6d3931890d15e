// The worker's journal (see worker.hpp): the employee's own entries (contributions, outcomes,
// goals, reflections), the review built from them, and the sources they turn on, off or erase.
// After a change the journal is read again and every part that shows it is rebuilt.
#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/views/brag.hpp"
#include "cairn/views/private_file.hpp"
#include "format.hpp"
#include "review.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

Status WorkerState::refresh_journal() {
  journal = CAIRN_TRY(load_journal(*store));
  next.year = CAIRN_TRY(build_year(*store, today));
  // Every week's contributions and prompts may have changed: read them again while idle (the
  // day strips stay; they come from the spans).
  drop_weeks();
  plan_warmup(week);
  CAIRN_TRY(rebuild_week());
  next.contributions = build_contributions(journal, today);
  next.goals = build_goals(journal, today);
  next.skills = build_skills(journal, today);
  next.review = build_review_part(journal, *next.year, review_from, review_to);
  next.counts.reset();
  return ok_status();
}

namespace {

// The common ending of an edit: on success reload the journal and say `done`, else the error.
void after_edit(WorkerState& st, Status s, const char* done) {
  if (s.ok()) s = st.refresh_journal();
  if (s.ok()) say(st.next, done);
  else say(st.next, s.error().message, true);
}

}  // namespace

bool Worker::handle(cmd::SelectContribution& x) {
  State& st = *state_;
  if (!st.store) return false;
  st.next.evidence.reset();
  for (const auto& ct : st.journal.contributions)
    if (ct.id == x.id) {
      if (auto e = build_evidence(*st.store, ct); e.ok()) st.next.evidence = e.value();
      else say(st.next, e.error().message, true);
    }
  return true;
}

bool Worker::handle(cmd::SaveContribution& x) {
  State& st = *state_;
  if (!st.store) return false;
  Status s;
  if (x.c.id == 0) {
    if (auto id = st.store->add_contribution(x.c); !id.ok()) s = id.error();
  } else {
    s = st.store->update_contribution(x.c);
  }
  after_edit(st, s, x.c.id == 0 ? "Contribution saved." : "Changes saved.");
  return true;
}

bool Worker::handle(cmd::DeleteContribution& x) {
  State& st = *state_;
  if (!st.store) return false;
  Status s = st.store->delete_contribution(x.id);
  if (s.ok()) s = st.refresh_journal();
  if (s.ok()) {
    st.next.evidence.reset();
    say(st.next, "Contribution deleted.");
  } else say(st.next, s.error().message, true);
  return true;
}

bool Worker::handle(cmd::AddOutcome& x) {
  State& st = *state_;
  if (!st.store) return false;
  x.o.time = clock_.now();
  after_edit(st, st.store->add_outcome(x.o), "Noted. Thank you for looking back.");
  return true;
}

bool Worker::handle(cmd::AddGoal& x) {
  State& st = *state_;
  if (!st.store) return false;
  x.first.time = clock_.now();
  auto r = st.store->add_goal(x.first, clock_.now());
  after_edit(st, r.ok() ? ok_status() : Status(r.error()), "Goal added.");
  return true;
}

bool Worker::handle(cmd::ReviseGoal& x) {
  State& st = *state_;
  if (!st.store) return false;
  x.revision.time = clock_.now();
  after_edit(st, st.store->revise_goal(x.id, x.revision), "Goal revised; the earlier version stays in its history.");
  return true;
}

bool Worker::handle(cmd::SaveReflection& x) {
  State& st = *state_;
  if (!st.store) return false;
  x.r.updated = clock_.now();
  Status s = st.store->put_reflection(x.r);
  if (s.ok()) {
    (void)st.rebuild_week();
    say(st.next, x.r.skipped ? "Skipped this week. That is fine." : "Reflection saved.");
  } else say(st.next, s.error().message, true);
  return true;
}

bool Worker::handle(cmd::BuildReview& x) {
  State& st = *state_;
  if (!st.store) return false;
  st.review_from = std::min(x.from_day, x.to_day);
  st.review_to = std::max(x.from_day, x.to_day);
  if (st.next.year) st.next.review = build_review_part(st.journal, *st.next.year, st.review_from, st.review_to);
  return true;
}

namespace {

// Writes an export the employee asked for: 0600, atomic, an existing file only replaced on request.
void write_export(Snapshot& n, const std::filesystem::path& file, const std::string& text, bool replace,
                  const std::string& what) {
  std::error_code ec;
  auto parent = file.parent_path();
  if (file.empty() || file.filename().empty()) return say(n, "Choose a file name for the export.", true);
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    return say(n, "The folder " + parent.string() + " does not exist.", true);
  auto s = views::write_private_output(file, text, replace);
  if (s.ok()) return say(n, "Exported " + what + " to " + file.string() + " (plain text, readable by you only).");
  if (s.error().code == Errc::exists)
    return say(n, file.string() + " already exists; nothing was written. Tick \"Replace an existing file\" to overwrite it.", true);
  say(n, s.error().message, true);
}

}  // namespace

bool Worker::handle(cmd::ExportReview& x) {
  State& st = *state_;
  if (!st.store || !st.next.review) return false;
  write_export(st.next, x.file, review_markdown(*st.next.review), x.replace, "the draft");
  return true;
}

bool Worker::handle(cmd::ExportContributions& x) {
  State& st = *state_;
  if (!st.store) return false;
  const auto& j = st.journal;
  const auto in = views::brag_input(j.contributions, j.goals, j.outcomes, "everything", day_string(st.today));
  write_export(st.next, x.file, views::brag_markdown(in), x.replace,
               count_text(static_cast<std::int64_t>(in.contributions.size()), "contribution", "contributions"));
  return true;
}

bool Worker::handle(cmd::SetSource& x) {
  State& st = *state_;
  // Turning a source on or off never needs the passphrase: it works while locked too (then
  // without a message, as the views show the new state).
  auto r = x.on ? consent::grant(paths_.config, x.source, clock_.now())
                : consent::revoke(paths_.config, x.source, false, clock_.now());
  if (!r.ok()) say(st.next, r.error().message, true);
  else if (st.store)
    say(st.next, std::string(records::source_name(x.source)) + (x.on ? " is on." : " is off. Nothing more is collected from it."));
  st.next.consent = build_consent(paths_, st.store ? &*st.store : nullptr);
  return true;
}

bool Worker::handle(cmd::DeleteSourceData& x) {
  State& st = *state_;
  if (!st.store) return false;
  Status s = st.store->delete_source_data(x.source, clock_.now());
  // The day strips were read from the deleted records: read them again.
  st.timelines.clear();
  st.drop_weeks();
  st.plan_warmup(st.week);
  if (s.ok()) s = st.refresh_journal();
  if (s.ok()) say(st.next, std::string("Deleted the stored data of ") + records::source_name(x.source) + ".");
  else say(st.next, s.error().message, true);
  st.next.consent = build_consent(paths_, &*st.store);
  return true;
}

}  // namespace cairn::ui

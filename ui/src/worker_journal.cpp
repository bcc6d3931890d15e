// The worker's journal (see worker.hpp): the employee's own entries (contributions, outcomes,
// goals, reflections), the review built from them, and the sources they turn on, off or erase.
// After a change the journal is read again and every part that shows it is rebuilt.
#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
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

bool Worker::handle(cmd::ExportReview& x) {
  State& st = *state_;
  Snapshot& n = st.next;
  if (!st.store || !n.review) return false;
  std::error_code ec;
  auto parent = x.file.parent_path();
  if (x.file.empty() || x.file.filename().empty()) say(n, "Choose a file name for the export.", true);
  else if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
    say(n, "The folder " + parent.string() + " does not exist.", true);
  else if (auto s = fs::write_file_atomic(x.file, review_markdown(*n.review)); !s.ok()) say(n, s.error().message, true);
  else say(n, "Exported to " + x.file.string() + " (plain text, readable by anyone with access to that file).");
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

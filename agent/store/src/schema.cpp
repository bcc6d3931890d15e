// The store's schema and its migrations. Each migration runs once, in order, inside one
// transaction that also bumps PRAGMA user_version, so a crash mid-migration leaves the previous
// version intact. Append new migrations; never edit a shipped one.
//
// SQLite here is 3.15 (SQLCipher 3.4.1): no UPSERT, no window functions, no JSON1.
#include <iterator>

#include "impl.hpp"

namespace cairn::store {
namespace {

constexpr const char* kMigrations[] = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE activity_spans (
  id INTEGER PRIMARY KEY,
  start INTEGER NOT NULL, end INTEGER NOT NULL, utc_offset INTEGER NOT NULL,
  idle INTEGER NOT NULL, app_class TEXT NOT NULL, category TEXT NOT NULL, title TEXT);
CREATE INDEX activity_spans_start ON activity_spans(start);

CREATE TABLE commits (
  id INTEGER PRIMARY KEY,
  repo TEXT NOT NULL, commit_id TEXT NOT NULL, time INTEGER NOT NULL, utc_offset INTEGER NOT NULL,
  lines_added INTEGER NOT NULL, lines_removed INTEGER NOT NULL, files_changed INTEGER NOT NULL,
  ai_assisted INTEGER NOT NULL, ai_tool TEXT NOT NULL, message TEXT,
  UNIQUE (repo, commit_id));
CREATE INDEX commits_time ON commits(time);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE, start INTEGER NOT NULL, end INTEGER NOT NULL, utc_offset INTEGER NOT NULL,
  attendees INTEGER NOT NULL, recurring INTEGER NOT NULL, one_on_one INTEGER NOT NULL);
CREATE INDEX meetings_start ON meetings(start);

CREATE TABLE goals (id INTEGER PRIMARY KEY, created INTEGER NOT NULL);
CREATE TABLE goal_revisions (
  id INTEGER PRIMARY KEY, goal_id INTEGER NOT NULL REFERENCES goals(id),
  time INTEGER NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL);
CREATE INDEX goal_revisions_goal ON goal_revisions(goal_id);

CREATE TABLE contributions (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL, utc_offset INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
  ai_assisted INTEGER NOT NULL, goal_id INTEGER REFERENCES goals(id));
CREATE INDEX contributions_time ON contributions(time);
CREATE TABLE contribution_skills (contribution_id INTEGER NOT NULL, skill TEXT NOT NULL);
CREATE INDEX contribution_skills_c ON contribution_skills(contribution_id);
CREATE TABLE contribution_links (contribution_id INTEGER NOT NULL, url TEXT NOT NULL);
CREATE INDEX contribution_links_c ON contribution_links(contribution_id);
CREATE TABLE outcomes (
  id INTEGER PRIMARY KEY, contribution_id INTEGER NOT NULL, time INTEGER NOT NULL,
  horizon_days INTEGER NOT NULL, held TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX outcomes_c ON outcomes(contribution_id);

CREATE TABLE reflections (
  week TEXT PRIMARY KEY, updated INTEGER NOT NULL,
  changed TEXT NOT NULL, helped TEXT NOT NULL, judgment TEXT NOT NULL, skipped INTEGER NOT NULL);

CREATE TABLE consent_log (
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, source TEXT NOT NULL, action TEXT NOT NULL,
  detail TEXT NOT NULL);

CREATE TABLE imported_batches (batch_id TEXT PRIMARY KEY, imported_at INTEGER NOT NULL);

CREATE TABLE day_rollups (
  day INTEGER PRIMARY KEY,
  active INTEGER NOT NULL, idle INTEGER NOT NULL, focus INTEGER NOT NULL, fragmented INTEGER NOT NULL,
  meeting INTEGER NOT NULL, after_hours INTEGER NOT NULL, switches INTEGER NOT NULL,
  commits INTEGER NOT NULL, ai_commits INTEGER NOT NULL, lines_changed INTEGER NOT NULL,
  meetings INTEGER NOT NULL, one_on_ones INTEGER NOT NULL,
  contributions INTEGER NOT NULL, ai_contributions INTEGER NOT NULL,
  cat0 INTEGER NOT NULL, cat1 INTEGER NOT NULL, cat2 INTEGER NOT NULL, cat3 INTEGER NOT NULL,
  cat4 INTEGER NOT NULL, cat5 INTEGER NOT NULL, cat6 INTEGER NOT NULL);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Filled by the privacy and sharing code (sync/): the hash-chained budget ledger and the
-- reports that left the device.
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, plan_id TEXT NOT NULL, period TEXT NOT NULL,
  cost TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE shared_reports (
  id INTEGER PRIMARY KEY, report_id TEXT NOT NULL UNIQUE, plan_id TEXT NOT NULL, period TEXT NOT NULL,
  state TEXT NOT NULL, created INTEGER NOT NULL, decided INTEGER, uploaded INTEGER,
  detail TEXT NOT NULL, envelope BLOB);
)sql",
    // 2: collection plans seen by the device (sharing).
    R"sql(
CREATE TABLE plans (plan_id TEXT PRIMARY KEY, state TEXT NOT NULL, body TEXT NOT NULL, updated INTEGER NOT NULL);
)sql",
    // 3: the employee's corrections of collected activity (marks.cpp): a stretch [start, end) marked
    // as a break or moved to a category, applied to stored spans and to spans imported later.
    R"sql(
CREATE TABLE activity_marks (
  id INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL, as_what TEXT NOT NULL, made INTEGER NOT NULL);
CREATE INDEX activity_marks_start ON activity_marks(start);
)sql",
};

}  // namespace

Status migrate(sql::Db& db, int& version_out) {
  auto current = CAIRN_TRY(db.scalar("PRAGMA user_version"));
  const int target = static_cast<int>(std::size(kMigrations));
  if (current > target)
    return make_error(Errc::corrupt, "the store was written by a newer Cairn (schema " + std::to_string(current) +
                                         "); update Cairn to open it");
  for (auto v = current; v < target; ++v) {
    CAIRN_TRY(sql::transaction(db, [&]() -> Status {
      CAIRN_TRY(db.exec(kMigrations[v]));
      return db.exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
    }));
  }
  version_out = target;
  return ok_status();
}

}  // namespace cairn::store

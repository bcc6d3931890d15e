// Finding and removing rows that no collector could have written (base/plausible.hpp): the
// repair behind `cairn verify --repair`. The WHERE clauses mirror agent/inbox/src/plausible.cpp,
// which refuses the same records before they are stored.
#include <string>

#include "cairn/base/plausible.hpp"
#include "cairn/base/text.hpp"
#include "impl.hpp"

namespace cairn::store {
namespace {

using namespace cairn::plausible;

// ?1 earliest instant, ?2 latest instant, ?3 max offset; the per-table caps are literals.
std::string bad_interval(std::int64_t max_seconds) {
  return "start < ?1 OR start > ?2 OR end < ?1 OR end > ?2 OR end < start OR end - start > " +
         std::to_string(max_seconds) + " OR utc_offset < -?3 OR utc_offset > ?3";
}

std::string where_spans() { return bad_interval(kMaxSpanSeconds); }
std::string where_meetings() {
  return bad_interval(kMaxMeetingSeconds) + " OR attendees < 0 OR attendees > " + std::to_string(kMaxAttendees);
}
std::string where_commits() {
  const auto lines = std::to_string(kMaxCommitLines);
  return "time < ?1 OR time > ?2 OR utc_offset < -?3 OR utc_offset > ?3 OR lines_added < 0 OR lines_removed < 0"
         " OR lines_added > " + lines + " OR lines_removed > " + lines +
         " OR files_changed < 0 OR files_changed > " + std::to_string(kMaxCommitFiles);
}

Result<std::int64_t> count_where(const sql::Db& cdb, const char* table, const std::string& where, Instant now) {
  auto& db = const_cast<sql::Db&>(cdb);
  auto st = CAIRN_TRY(db.prepare(("SELECT count(*) FROM " + std::string(table) + " WHERE " + where).c_str()));
  st.bind(1, kEarliest).bind(2, latest(now)).bind(3, static_cast<std::int64_t>(kMaxUtcOffset));
  CAIRN_TRY(st.step());
  return st.i64(0);
}

Result<std::int64_t> delete_where(sql::Db& db, const char* table, const std::string& where, Instant now) {
  auto st = CAIRN_TRY(db.prepare(("DELETE FROM " + std::string(table) + " WHERE " + where).c_str()));
  CAIRN_TRY(st.bind(1, kEarliest).bind(2, latest(now)).bind(3, static_cast<std::int64_t>(kMaxUtcOffset)).run());
  return static_cast<std::int64_t>(db.changes());
}

}  // namespace

Result<ImplausibleRows> Store::implausible_rows(Instant now) const {
  ImplausibleRows r;
  r.spans = CAIRN_TRY(count_where(impl_->db, "activity_spans", where_spans(), now));
  r.commits = CAIRN_TRY(count_where(impl_->db, "commits", where_commits(), now));
  r.meetings = CAIRN_TRY(count_where(impl_->db, "meetings", where_meetings(), now));
  return r;
}

Result<ImplausibleRows> Store::remove_implausible_rows(Instant now) {
  ImplausibleRows r;
  CAIRN_TRY(in_transaction(*impl_, [&]() -> Status {
    r.spans = CAIRN_TRY(delete_where(impl_->db, "activity_spans", where_spans(), now));
    r.commits = CAIRN_TRY(delete_where(impl_->db, "commits", where_commits(), now));
    r.meetings = CAIRN_TRY(delete_where(impl_->db, "meetings", where_meetings(), now));
    // Rollups: none outside the plausible window; inside it, recomputed without the removed rows.
    const std::int64_t lo = local_day(kEarliest, 0) - 1, hi = local_day(latest(now), 0) + 1;
    auto drop = CAIRN_TRY(impl_->db.prepare("DELETE FROM day_rollups WHERE day < ? OR day > ?"));
    CAIRN_TRY(drop.bind(1, lo).bind(2, hi).run());
    auto first = CAIRN_TRY(impl_->db.scalar("SELECT coalesce(min(day), 0) FROM day_rollups"));
    auto last = CAIRN_TRY(impl_->db.scalar("SELECT coalesce(max(day), -1) FROM day_rollups"));
    if (r.total() > 0 && first <= last) CAIRN_TRY(rebuild_rollups(first, last));
    auto clear = CAIRN_TRY(impl_->db.prepare("DELETE FROM settings WHERE key = 'rollups.dirty'"));
    CAIRN_TRY(clear.run());
    if (r.total() > 0)
      CAIRN_TRY(log_consent({now, "store", "repair",
                             "removed " + count_text(r.total(), "implausible record", "implausible records") + ": " +
                                 count_text(r.spans, "activity span", "activity spans") + ", " +
                                 count_text(r.commits, "commit", "commits") + ", " +
                                 count_text(r.meetings, "meeting", "meetings")}));
    return ok_status();
  }));
  return r;
}

}  // namespace cairn::store

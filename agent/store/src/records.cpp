// Collected records: activity spans, commits, meetings; the consent log and deleting a source.
#include <algorithm>

#include "impl.hpp"

namespace cairn::store {

Status Store::add_spans(std::span<const ActivitySpan> spans) {
  return in_transaction(*impl_, [&]() -> Status {
    auto& st = *CAIRN_TRY(impl_->cached(
        "INSERT INTO activity_spans(start, end, utc_offset, idle, app_class, category, title) VALUES (?,?,?,?,?,?,?)"));
    if (spans.empty()) return ok_status();
    Instant lo = spans.front().start, hi = spans.front().end;
    for (const auto& s : spans) {
      if (s.end < s.start) return make_error(Errc::corrupt, "an activity span ends before it starts");
      lo = std::min(lo, s.start);
      hi = std::max(hi, s.end);
    }
    // The employee's corrections (marks.cpp) apply to spans delivered after them too.
    const auto marks = CAIRN_TRY(marks_between(impl_->db, lo, hi));
    auto insert = [&](const ActivitySpan& s) -> Status {
      CAIRN_TRY(st.bind(1, s.start).bind(2, s.end).bind(3, s.utc_offset).bind(4, s.idle).bind(5, s.app_class)
                    .bind(6, s.category).bind(7, s.title).run());
      impl_->touch(s.start, s.utc_offset, s.end);
      return ok_status();
    };
    for (const auto& s : spans) {
      if (marks.empty()) {
        CAIRN_TRY(insert(s));
        continue;
      }
      for (const auto& piece : apply_marks(s, marks)) CAIRN_TRY(insert(piece));
    }
    return ok_status();
  });
}

Status Store::add_commits(std::span<const CommitRecord> commits) {
  return in_transaction(*impl_, [&]() -> Status {
    auto& st = *CAIRN_TRY(impl_->cached(
        "INSERT OR IGNORE INTO commits(repo, commit_id, time, utc_offset, lines_added, lines_removed, files_changed,"
        " ai_assisted, ai_tool, message) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    for (const auto& c : commits) {
      CAIRN_TRY(st.bind(1, c.repo).bind(2, c.id).bind(3, c.time).bind(4, c.utc_offset).bind(5, c.lines_added)
                    .bind(6, c.lines_removed).bind(7, c.files_changed).bind(8, c.ai_assisted).bind(9, c.ai_tool)
                    .bind(10, c.message).run());
      impl_->touch(c.time, c.utc_offset, c.time);
    }
    return ok_status();
  });
}

Status Store::add_meetings(std::span<const MeetingRecord> meetings) {
  return in_transaction(*impl_, [&]() -> Status {
    // A re-exported calendar may move an occurrence: the newest copy wins.
    auto& st = *CAIRN_TRY(impl_->cached(
        "INSERT OR REPLACE INTO meetings(uid, start, end, utc_offset, attendees, recurring, one_on_one)"
        " VALUES (?,?,?,?,?,?,?)"));
    for (const auto& m : meetings) {
      if (m.end < m.start) return make_error(Errc::corrupt, "a meeting ends before it starts");
      CAIRN_TRY(st.bind(1, m.uid).bind(2, m.start).bind(3, m.end).bind(4, m.utc_offset).bind(5, m.attendees)
                    .bind(6, m.recurring).bind(7, m.one_on_one).run());
      impl_->touch(m.start, m.utc_offset, m.end);
    }
    return ok_status();
  });
}

Result<std::vector<ActivitySpan>> Store::spans(Instant from, Instant to) const {
  // Spans are short (minutes), so "start in [from - 1 day, to)" plus an end filter uses the index.
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT start, end, utc_offset, idle, app_class, category, title FROM activity_spans"
      " WHERE start >= ? AND start < ? AND end > ? ORDER BY start"));
  st.bind(1, from - 86400).bind(2, to).bind(3, from);
  std::vector<ActivitySpan> out;
  while (CAIRN_TRY(st.step()))
    out.push_back({st.i64(0), st.i64(1), st.i32(2), st.i32(3) != 0, st.text(4), st.text(5), st.opt_text(6)});
  return out;
}

Result<std::vector<CommitRecord>> Store::commits(Instant from, Instant to) const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT repo, commit_id, time, utc_offset, lines_added, lines_removed, files_changed, ai_assisted, ai_tool,"
      " message FROM commits WHERE time >= ? AND time < ? ORDER BY time"));
  st.bind(1, from).bind(2, to);
  std::vector<CommitRecord> out;
  while (CAIRN_TRY(st.step()))
    out.push_back({st.text(0), st.text(1), st.i64(2), st.i32(3), st.i32(4), st.i32(5), st.i32(6), st.i32(7) != 0,
                   st.text(8), st.opt_text(9)});
  return out;
}

Result<std::vector<MeetingRecord>> Store::meetings(Instant from, Instant to) const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT uid, start, end, utc_offset, attendees, recurring, one_on_one FROM meetings"
      " WHERE start >= ? AND start < ? AND end > ? ORDER BY start"));
  st.bind(1, from - 86400).bind(2, to).bind(3, from);
  std::vector<MeetingRecord> out;
  while (CAIRN_TRY(st.step()))
    out.push_back({st.text(0), st.i64(1), st.i64(2), st.i32(3), st.i32(4), st.i32(5) != 0, st.i32(6) != 0});
  return out;
}

Status Store::log_consent(const ConsentEvent& e) {
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare("INSERT INTO consent_log(time, source, action, detail) VALUES (?,?,?,?)"));
    return st.bind(1, e.time).bind(2, e.source).bind(3, e.action).bind(4, e.detail).run();
  });
}

Result<std::vector<ConsentEvent>> Store::consent_log() const {
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT time, source, action, detail FROM consent_log ORDER BY id"));
  std::vector<ConsentEvent> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.i64(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

Result<std::int64_t> Store::prune_spans_before(Instant cutoff) {
  std::int64_t removed = 0;
  CAIRN_TRY(in_transaction(*impl_, [&]() -> Status {
    // "start < cutoff" lets the start index bound the scan; spans are minutes long.
    auto st = CAIRN_TRY(impl_->db.prepare("DELETE FROM activity_spans WHERE start < ?1 AND end < ?1"));
    CAIRN_TRY(st.bind(1, cutoff).run());
    removed = impl_->db.changes();
    // Marks over time whose spans are gone have nothing left to correct.
    auto marks = CAIRN_TRY(impl_->db.prepare("DELETE FROM activity_marks WHERE end < ?"));
    return marks.bind(1, cutoff).run();
  }));
  return removed;
}

Status Store::delete_source_data(records::Source source, Instant now) {
  return in_transaction(*impl_, [&]() -> Status {
    const char* sql = nullptr;
    switch (source) {
      case records::Source::activity: sql = "DELETE FROM activity_spans; DELETE FROM activity_marks;"; break;
      case records::Source::activity_titles: sql = "UPDATE activity_spans SET title = NULL WHERE title IS NOT NULL"; break;
      case records::Source::git: sql = "DELETE FROM commits"; break;
      case records::Source::calendar: sql = "DELETE FROM meetings"; break;
      case records::Source::self:
        sql = "DELETE FROM contribution_skills; DELETE FROM contribution_links; DELETE FROM outcomes;"
              " DELETE FROM contributions; DELETE FROM reflections;";
        break;
    }
    CAIRN_TRY(impl_->db.exec(sql));
    CAIRN_TRY(log_consent({now, records::source_name(source), "delete-data", "records removed from the store"}));
    // Rollups derive from the deleted records: recompute them all.
    auto lo = CAIRN_TRY(impl_->db.scalar("SELECT coalesce(min(day), 0) FROM day_rollups"));
    auto hi = CAIRN_TRY(impl_->db.scalar("SELECT coalesce(max(day), -1) FROM day_rollups"));
    if (lo <= hi) CAIRN_TRY(rebuild_rollups(lo, hi));
    return ok_status();
  });
}

}  // namespace cairn::store

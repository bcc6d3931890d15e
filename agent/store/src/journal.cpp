// The employee's own words: contributions (with skills, links and later outcomes), goals with
// their revision history, and weekly reflections.
#include <algorithm>
#include <map>

#include "impl.hpp"

namespace cairn::store {
namespace {

Status validate(const Contribution& c) {
  if (c.text.empty()) return make_error(Errc::usage, "a contribution needs a description of what changed and for whom");
  if (c.text.size() > 10000) return make_error(Errc::too_large, "a contribution description is limited to 10000 bytes");
  if (c.skills.size() > 50 || c.links.size() > 50) return make_error(Errc::too_large, "at most 50 skills and 50 links");
  return ok_status();
}

Status write_tags(sql::Db& db, const Contribution& c, std::int64_t id) {
  auto del_s = CAIRN_TRY(db.prepare("DELETE FROM contribution_skills WHERE contribution_id = ?"));
  CAIRN_TRY(del_s.bind(1, id).run());
  auto del_l = CAIRN_TRY(db.prepare("DELETE FROM contribution_links WHERE contribution_id = ?"));
  CAIRN_TRY(del_l.bind(1, id).run());
  auto ins_s = CAIRN_TRY(db.prepare("INSERT INTO contribution_skills(contribution_id, skill) VALUES (?, ?)"));
  for (const auto& s : c.skills) CAIRN_TRY(ins_s.bind(1, id).bind(2, s).run());
  auto ins_l = CAIRN_TRY(db.prepare("INSERT INTO contribution_links(contribution_id, url) VALUES (?, ?)"));
  for (const auto& l : c.links) CAIRN_TRY(ins_l.bind(1, id).bind(2, l).run());
  return ok_status();
}

Result<std::vector<Contribution>> load_contributions(const sql::Db& cdb, const char* where, Instant a, Instant b) {
  auto& db = const_cast<sql::Db&>(cdb);
  std::string q = std::string("SELECT id, time, utc_offset, text, kind, ai_assisted, goal_id FROM contributions ") +
                  where + " ORDER BY time, id";
  auto st = CAIRN_TRY(db.prepare(q));
  st.bind(1, a).bind(2, b);
  std::vector<Contribution> out;
  std::map<std::int64_t, std::size_t> index;
  while (CAIRN_TRY(st.step())) {
    Contribution c;
    c.id = st.i64(0);
    c.time = st.i64(1);
    c.utc_offset = st.i32(2);
    c.text = st.text(3);
    c.kind = records::impact_kind_from_name(st.text(4)).value_or(records::ImpactKind::impact);
    c.ai_assisted = st.i32(5) != 0;
    if (!st.is_null(6)) c.goal_id = st.i64(6);
    index[c.id] = out.size();
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  std::int64_t lo = out.front().id, hi = out.front().id;
  for (auto& c : out) { lo = std::min(lo, c.id); hi = std::max(hi, c.id); }
  auto sk = CAIRN_TRY(db.prepare("SELECT contribution_id, skill FROM contribution_skills WHERE contribution_id BETWEEN ? AND ? ORDER BY rowid"));
  sk.bind(1, lo).bind(2, hi);
  while (CAIRN_TRY(sk.step()))
    if (auto it = index.find(sk.i64(0)); it != index.end()) out[it->second].skills.push_back(sk.text(1));
  auto ln = CAIRN_TRY(db.prepare("SELECT contribution_id, url FROM contribution_links WHERE contribution_id BETWEEN ? AND ? ORDER BY rowid"));
  ln.bind(1, lo).bind(2, hi);
  while (CAIRN_TRY(ln.step()))
    if (auto it = index.find(ln.i64(0)); it != index.end()) out[it->second].links.push_back(ln.text(1));
  return out;
}

}  // namespace

Result<std::int64_t> Store::add_contribution(const Contribution& c) {
  CAIRN_TRY(validate(c));
  std::int64_t id = 0;
  CAIRN_TRY(in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT INTO contributions(time, utc_offset, text, kind, ai_assisted, goal_id) VALUES (?,?,?,?,?,?)"));
    CAIRN_TRY(st.bind(1, c.time).bind(2, c.utc_offset).bind(3, c.text).bind(4, records::impact_kind_name(c.kind))
                  .bind(5, c.ai_assisted).bind(6, c.goal_id).run());
    id = impl_->db.last_insert_id();
    CAIRN_TRY(write_tags(impl_->db, c, id));
    std::int64_t day = local_day(c.time, c.utc_offset);
    return rebuild_rollups(day, day);
  }));
  return id;
}

Status Store::update_contribution(const Contribution& c) {
  CAIRN_TRY(validate(c));
  auto before = CAIRN_TRY(contribution(c.id));
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare(
        "UPDATE contributions SET time=?, utc_offset=?, text=?, kind=?, ai_assisted=?, goal_id=? WHERE id=?"));
    CAIRN_TRY(st.bind(1, c.time).bind(2, c.utc_offset).bind(3, c.text).bind(4, records::impact_kind_name(c.kind))
                  .bind(5, c.ai_assisted).bind(6, c.goal_id).bind(7, c.id).run());
    CAIRN_TRY(write_tags(impl_->db, c, c.id));
    std::int64_t d0 = local_day(before.time, before.utc_offset), d1 = local_day(c.time, c.utc_offset);
    return rebuild_rollups(std::min(d0, d1), std::max(d0, d1));
  });
}

Status Store::delete_contribution(std::int64_t id) {
  auto before = CAIRN_TRY(contribution(id));
  return in_transaction(*impl_, [&]() -> Status {
    for (const char* sql : {"DELETE FROM contribution_skills WHERE contribution_id = ?",
                            "DELETE FROM contribution_links WHERE contribution_id = ?",
                            "DELETE FROM outcomes WHERE contribution_id = ?", "DELETE FROM contributions WHERE id = ?"}) {
      auto st = CAIRN_TRY(impl_->db.prepare(sql));
      CAIRN_TRY(st.bind(1, id).run());
    }
    std::int64_t day = local_day(before.time, before.utc_offset);
    return rebuild_rollups(day, day);
  });
}

Result<std::vector<Contribution>> Store::contributions(Instant from, Instant to) const {
  return load_contributions(impl_->db, "WHERE time >= ?1 AND time < ?2", from, to);
}

Result<Contribution> Store::contribution(std::int64_t id) const {
  auto v = CAIRN_TRY(load_contributions(impl_->db, "WHERE id >= ?1 AND id <= ?2", id, id));
  if (v.empty()) return make_error(Errc::not_found, "no contribution with id " + std::to_string(id));
  return v.front();
}

Status Store::add_outcome(const Outcome& o) {
  if (o.held != "held" && o.held != "partly" && o.held != "did-not-hold")
    return make_error(Errc::usage, "an outcome is one of: held, partly, did-not-hold");
  CAIRN_TRY(contribution(o.contribution_id));
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT INTO outcomes(contribution_id, time, horizon_days, held, note) VALUES (?,?,?,?,?)"));
    return st.bind(1, o.contribution_id).bind(2, o.time).bind(3, o.horizon_days).bind(4, o.held).bind(5, o.note).run();
  });
}

Result<std::vector<Outcome>> Store::outcomes(std::int64_t contribution_id) const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT id, contribution_id, time, horizon_days, held, note FROM outcomes WHERE contribution_id = ? ORDER BY time"));
  st.bind(1, contribution_id);
  std::vector<Outcome> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.i64(0), st.i64(1), st.i64(2), st.i32(3), st.text(4), st.text(5)});
  return out;
}

Result<std::vector<Outcome>> Store::all_outcomes() const {
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT id, contribution_id, time, horizon_days, held, note FROM outcomes ORDER BY time"));
  std::vector<Outcome> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.i64(0), st.i64(1), st.i64(2), st.i32(3), st.text(4), st.text(5)});
  return out;
}

Result<std::int64_t> Store::add_goal(const GoalRevision& first, Instant created) {
  if (first.title.empty()) return make_error(Errc::usage, "a goal needs a title");
  std::int64_t id = 0;
  CAIRN_TRY(in_transaction(*impl_, [&]() -> Status {
    auto g = CAIRN_TRY(impl_->db.prepare("INSERT INTO goals(created) VALUES (?)"));
    CAIRN_TRY(g.bind(1, created).run());
    id = impl_->db.last_insert_id();
    return revise_goal(id, first);
  }));
  return id;
}

Status Store::revise_goal(std::int64_t goal_id, const GoalRevision& r) {
  if (r.title.empty()) return make_error(Errc::usage, "a goal needs a title");
  if (r.status != "active" && r.status != "done" && r.status != "dropped")
    return make_error(Errc::usage, "a goal's status is one of: active, done, dropped");
  return in_transaction(*impl_, [&]() -> Status {
    auto exists = CAIRN_TRY(impl_->db.prepare("SELECT 1 FROM goals WHERE id = ?"));
    exists.bind(1, goal_id);
    if (!CAIRN_TRY(exists.step())) return make_error(Errc::not_found, "no goal with id " + std::to_string(goal_id));
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT INTO goal_revisions(goal_id, time, title, description, status) VALUES (?,?,?,?,?)"));
    return st.bind(1, goal_id).bind(2, r.time).bind(3, r.title).bind(4, r.description).bind(5, r.status).run();
  });
}

Result<std::vector<Goal>> Store::goals() const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT g.id, g.created, r.time, r.title, r.description, r.status FROM goals g"
      " JOIN goal_revisions r ON r.goal_id = g.id ORDER BY g.id, r.id"));
  std::vector<Goal> out;
  while (CAIRN_TRY(st.step())) {
    if (out.empty() || out.back().id != st.i64(0)) out.push_back(Goal{st.i64(0), st.i64(1), {}, {}});
    out.back().history.push_back({st.i64(2), st.text(3), st.text(4), st.text(5)});
  }
  for (auto& g : out) g.current = g.history.back();
  return out;
}

Status Store::put_reflection(const Reflection& r) {
  if (r.week.size() != 8 || r.week[4] != '-' || r.week[5] != 'W')
    return make_error(Errc::usage, "a reflection's week looks like 2026-W47");
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare(
        "INSERT OR REPLACE INTO reflections(week, updated, changed, helped, judgment, skipped) VALUES (?,?,?,?,?,?)"));
    return st.bind(1, r.week).bind(2, r.updated).bind(3, r.changed).bind(4, r.helped).bind(5, r.judgment)
        .bind(6, r.skipped).run();
  });
}

Result<std::optional<Reflection>> Store::reflection(const std::string& week) const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT week, updated, changed, helped, judgment, skipped FROM reflections WHERE week = ?"));
  st.bind(1, week);
  if (!CAIRN_TRY(st.step())) return std::optional<Reflection>();
  return std::optional<Reflection>(Reflection{st.text(0), st.i64(1), st.text(2), st.text(3), st.text(4), st.i32(5) != 0});
}

Result<std::vector<Reflection>> Store::reflections() const {
  auto st = CAIRN_TRY(impl_->db.prepare(
      "SELECT week, updated, changed, helped, judgment, skipped FROM reflections ORDER BY week"));
  std::vector<Reflection> out;
  while (CAIRN_TRY(st.step())) out.push_back({st.text(0), st.i64(1), st.text(2), st.text(3), st.text(4), st.i32(5) != 0});
  return out;
}

}  // namespace cairn::store

// The employee's explicit export: everything in the record as one JSON document. This is the one
// place (besides the unlocked panel) where record values leave the store in plaintext, and only
// to the standard output the employee directed.
#include "cairn/base/clock.hpp"
#include "cairn/base/json.hpp"
#include "impl.hpp"

namespace cairn::store {

using json = cairn::json::Json;  // written only: the document is built, never read back here

Result<std::string> Store::export_json() const {
  constexpr Instant kAll0 = std::numeric_limits<std::int32_t>::min(), kAll1 = std::numeric_limits<std::int64_t>::max() / 2;
  json doc;
  doc["format"] = "cairn-export";
  doc["version"] = 1;
  doc["schema"] = impl_->schema_version;

  json spans = json::array();
  for (const auto& s : CAIRN_TRY(this->spans(kAll0, kAll1))) {
    json j{{"start", iso8601_utc(s.start)}, {"end", iso8601_utc(s.end)}, {"utc_offset", s.utc_offset},
           {"idle", s.idle}, {"app_class", s.app_class}, {"category", s.category}};
    if (s.title) j["title"] = *s.title;
    spans.push_back(std::move(j));
  }
  doc["activity_spans"] = std::move(spans);

  json marks = json::array();  // the employee's corrections, already applied to the spans above
  for (const auto& m : CAIRN_TRY(activity_marks()))
    marks.push_back({{"start", iso8601_utc(m.from)}, {"end", iso8601_utc(m.to)}, {"as", m.as}, {"made", iso8601_utc(m.made)}});
  doc["activity_marks"] = std::move(marks);

  json commits = json::array();
  for (const auto& c : CAIRN_TRY(this->commits(kAll0, kAll1))) {
    json j{{"repo", c.repo}, {"id", c.id}, {"time", iso8601_utc(c.time)}, {"utc_offset", c.utc_offset},
           {"lines_added", c.lines_added}, {"lines_removed", c.lines_removed}, {"files_changed", c.files_changed},
           {"ai_assisted", c.ai_assisted}, {"ai_tool", c.ai_tool}};
    if (c.message) j["message"] = *c.message;
    commits.push_back(std::move(j));
  }
  doc["commits"] = std::move(commits);

  json meetings = json::array();
  for (const auto& m : CAIRN_TRY(this->meetings(kAll0, kAll1)))
    meetings.push_back({{"uid", m.uid}, {"start", iso8601_utc(m.start)}, {"end", iso8601_utc(m.end)},
                        {"utc_offset", m.utc_offset}, {"attendees", m.attendees}, {"recurring", m.recurring},
                        {"one_on_one", m.one_on_one}});
  doc["meetings"] = std::move(meetings);

  json contributions = json::array();
  for (const auto& c : CAIRN_TRY(this->contributions(kAll0, kAll1))) {
    json j{{"id", c.id}, {"time", iso8601_utc(c.time)}, {"utc_offset", c.utc_offset}, {"text", c.text},
           {"kind", records::impact_kind_name(c.kind)}, {"skills", c.skills}, {"links", c.links},
           {"ai_assisted", c.ai_assisted}};
    if (c.goal_id) j["goal_id"] = *c.goal_id;
    json outs = json::array();
    for (const auto& o : CAIRN_TRY(outcomes(c.id)))
      outs.push_back({{"time", iso8601_utc(o.time)}, {"horizon_days", o.horizon_days}, {"held", o.held}, {"note", o.note}});
    j["outcomes"] = std::move(outs);
    contributions.push_back(std::move(j));
  }
  doc["contributions"] = std::move(contributions);

  json goals = json::array();
  for (const auto& g : CAIRN_TRY(this->goals())) {
    json hist = json::array();
    for (const auto& r : g.history)
      hist.push_back({{"time", iso8601_utc(r.time)}, {"title", r.title}, {"description", r.description}, {"status", r.status}});
    goals.push_back({{"id", g.id}, {"created", iso8601_utc(g.created)}, {"history", std::move(hist)}});
  }
  doc["goals"] = std::move(goals);

  json reflections = json::array();
  for (const auto& r : CAIRN_TRY(this->reflections()))
    reflections.push_back({{"week", r.week}, {"updated", iso8601_utc(r.updated)}, {"changed", r.changed},
                           {"helped", r.helped}, {"judgment", r.judgment}, {"skipped", r.skipped}});
  doc["reflections"] = std::move(reflections);

  json consent = json::array();
  for (const auto& e : CAIRN_TRY(consent_log()))
    consent.push_back({{"time", iso8601_utc(e.time)}, {"source", e.source}, {"action", e.action}, {"detail", e.detail}});
  doc["consent_log"] = std::move(consent);

  // The sharing side owns these tables; export them raw so nothing in the record is hidden.
  json ledger = json::array();
  {
    auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare(
        "SELECT seq, time, plan_id, period, cost, prev_hash, hash FROM ledger ORDER BY seq"));
    while (CAIRN_TRY(st.step()))
      ledger.push_back({{"seq", st.i64(0)}, {"time", iso8601_utc(st.i64(1))}, {"plan_id", st.text(2)},
                        {"period", st.text(3)}, {"cost", st.text(4)}, {"prev_hash", st.text(5)}, {"hash", st.text(6)}});
  }
  doc["privacy_ledger"] = std::move(ledger);
  json shared = json::array();
  {
    auto st = CAIRN_TRY(const_cast<sql::Db&>(impl_->db).prepare(
        "SELECT report_id, plan_id, period, state, created, detail FROM shared_reports ORDER BY id"));
    while (CAIRN_TRY(st.step()))
      shared.push_back({{"report_id", st.text(0)}, {"plan_id", st.text(1)}, {"period", st.text(2)},
                        {"state", st.text(3)}, {"created", iso8601_utc(st.i64(4))}, {"detail", st.text(5)}});
  }
  doc["shared_reports"] = std::move(shared);
  return doc.dump(2);
}

}  // namespace cairn::store

// Snapshot builders: turn store reads into the plain parts the views draw.
#include "builders.hpp"

#include <algorithm>
#include <set>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "cairn/store/summary.hpp"
#include "format.hpp"

namespace cairn::ui {
namespace {

constexpr std::int64_t kFarFuture = 4102444800;  // 2100-01-01

// Clips [start, end) to local days and appends merged segments.
void add_segment(WeekTimeline& w, std::int64_t start_day, std::int64_t start, std::int64_t end, std::int32_t offset,
                 int kind) {
  while (start < end) {
    std::int64_t day = local_day(start, offset);
    std::int64_t day_end = (day + 1) * 86400 - offset;
    std::int64_t stop = std::min(end, day_end);
    std::int64_t idx = day - start_day;
    if (idx >= 0 && idx < 7) {
      auto& segs = w.days[static_cast<std::size_t>(idx)];
      std::int32_t from = local_second_of_day(start, offset);
      std::int32_t to = static_cast<std::int32_t>(from + (stop - start));
      // Merge with the previous piece of the same kind when the gap is under a minute: the strip
      // is a few hundred pixels wide, finer detail would only cost draw calls.
      if (!segs.empty() && segs.back().kind == kind && from - segs.back().to < 60) segs.back().to = std::max(segs.back().to, to);
      else segs.push_back({from, to, kind});
    }
    start = stop;
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "- " + l + "\n";
  return out;
}

}  // namespace

std::int64_t day_of(const records::Contribution& c) { return local_day(c.time, c.utc_offset); }

Result<Journal> load_journal(const store::Store& s) {
  Journal j;
  j.contributions = CAIRN_TRY(s.contributions(0, kFarFuture));
  std::sort(j.contributions.begin(), j.contributions.end(),
            [](const auto& a, const auto& b) { return a.time < b.time || (a.time == b.time && a.id < b.id); });
  j.outcomes = CAIRN_TRY(s.all_outcomes());
  j.goals = CAIRN_TRY(s.goals());
  return j;
}

std::size_t approx_bytes(const WeekData& w) {
  auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };  // beyond SSO
  std::size_t n = sizeof(WeekData) + str(w.label);
  for (const auto& p : w.prefill) n += str(p);
  n += w.contributions.capacity() * sizeof(records::Contribution);
  for (const auto& c : w.contributions) {
    n += str(c.text) + c.skills.capacity() * sizeof(std::string) + c.links.capacity() * sizeof(std::string);
    for (const auto& s : c.skills) n += str(s);
    for (const auto& s : c.links) n += str(s);
  }
  if (w.reflection) n += str(w.reflection->changed) + str(w.reflection->helped) + str(w.reflection->judgment);
  if (w.timeline) {
    n += sizeof(WeekTimeline) + 16;  // + the shared_ptr control block
    for (const auto& d : w.timeline->days) n += d.capacity() * sizeof(Segment);
  }
  return n;
}

Result<std::shared_ptr<const WeekTimeline>> build_week_timeline(const store::Store& s, std::int64_t start_day) {
  auto w = std::make_shared<WeekTimeline>();
  const records::Instant lo = start_day * 86400 - 14 * 3600, hi = (start_day + 7) * 86400 + 14 * 3600;
  auto spans = CAIRN_TRY(s.spans(lo, hi));
  auto meetings = CAIRN_TRY(s.meetings(lo, hi));
  for (const auto& sp : spans)
    if (!sp.idle) add_segment(*w, start_day, sp.start, sp.end, sp.utc_offset, store::category_index(sp.category));
  for (const auto& m : meetings) add_segment(*w, start_day, m.start, m.end, m.utc_offset, 7);
  for (auto& segs : w->days)
    std::sort(segs.begin(), segs.end(), [](const Segment& a, const Segment& b) { return a.from < b.from; });
  for (const auto& b : store::focus_blocks(spans, meetings)) {
    // Count only blocks that start inside this week (local time of the first span is close enough).
    std::int32_t off = spans.empty() ? 0 : spans.front().utc_offset;
    std::int64_t d = local_day(b.start, off);
    if (d < start_day || d > start_day + 6) continue;
    ++w->focus_blocks;
    w->longest_focus_seconds = std::max<std::int64_t>(w->longest_focus_seconds, b.end - b.start);
  }
  return std::shared_ptr<const WeekTimeline>(std::move(w));
}

Result<std::shared_ptr<const WeekData>> build_week(const store::Store& s, std::int64_t start_day, const Journal& j,
                                                   std::shared_ptr<const WeekTimeline> timeline) {
  auto w = std::make_shared<WeekData>();
  w->start_day = start_day;
  w->label = week_label(start_day);
  w->timeline = std::move(timeline);
  auto rows = CAIRN_TRY(s.rollups(start_day, start_day + 6));
  for (int i = 0; i < 7; ++i) w->days[static_cast<std::size_t>(i)].day = start_day + i;
  for (const auto& r : rows) {
    auto idx = r.day - start_day;
    if (idx >= 0 && idx < 7) w->days[static_cast<std::size_t>(idx)] = r;
    store::accumulate_rollup(w->total, r);
  }
  for (const auto& c : j.contributions) {
    auto d = day_of(c);
    if (d >= start_day && d <= start_day + 6) w->contributions.push_back(c);
  }
  w->reflection = CAIRN_TRY(s.reflection(iso_week_string(start_day)));

  // Pre-fill the three prompts with what the record already knows; the employee edits or skips.
  std::vector<std::string> changed, helped, judged;
  for (const auto& c : w->contributions) {
    switch (c.kind) {
      case records::ImpactKind::impact:
      case records::ImpactKind::long_term: changed.push_back(c.text); break;
      case records::ImpactKind::system: helped.push_back(c.text); break;
      case records::ImpactKind::judgment: judged.push_back(c.text); break;
    }
  }
  const auto& t = w->total;
  if (changed.empty() && t.commits > 0)
    changed.push_back(count_text(t.commits, "commit", "commits") + " and " + hours_text(t.focus_seconds) + " of focus time");
  if (t.one_on_ones > 0) helped.push_back(count_text(t.one_on_ones, "one-to-one meeting", "one-to-one meetings"));
  w->prefill[0] = join_lines(changed);
  w->prefill[1] = join_lines(helped);
  w->prefill[2] = join_lines(judged);
  return std::shared_ptr<const WeekData>(std::move(w));
}

Result<std::shared_ptr<const YearData>> build_year(const store::Store& s, std::int64_t today) {
  auto y = std::make_shared<YearData>();
  const std::int64_t last_week = week_start_day(today);
  const std::int64_t first_week = last_week - 52 * 7;
  auto rows = CAIRN_TRY(s.rollups(first_week - 90, today));  // a little earlier for follow-ups and reviews
  for (std::int64_t wk = first_week; wk <= last_week; wk += 7) y->weeks.push_back({wk, 0, 0});
  for (const auto& r : rows) {
    y->days[r.day] = r;
    if (r.day < first_week) continue;
    auto idx = static_cast<std::size_t>((r.day - first_week) / 7);
    if (idx < y->weeks.size()) {
      y->weeks[idx].active_hours += static_cast<float>(r.active_seconds) / 3600.0f;
      y->weeks[idx].focus_hours += static_cast<float>(r.focus_seconds) / 3600.0f;
    }
  }
  return std::shared_ptr<const YearData>(std::move(y));
}

std::shared_ptr<const ContributionData> build_contributions(const Journal& j, std::int64_t today) {
  auto d = std::make_shared<ContributionData>();
  std::map<std::int64_t, std::vector<store::Outcome>> by_id;
  for (const auto& o : j.outcomes) by_id[o.contribution_id].push_back(o);
  std::set<std::string> skills;
  d->entries.reserve(j.contributions.size());
  for (auto it = j.contributions.rbegin(); it != j.contributions.rend(); ++it) {
    ContributionEntry e{*it, {}, day_of(*it)};
    if (auto f = by_id.find(it->id); f != by_id.end()) e.outcomes = f->second;
    for (const auto& sk : it->skills) skills.insert(sk);
    d->entries.push_back(std::move(e));
  }
  // "Did it hold?": a prompt is due once an entry is 30 (or 90) days old and has no answer at that
  // horizon. Only the last half year is asked about: older entries are not chased.
  for (auto it = d->entries.rbegin(); it != d->entries.rend(); ++it) {
    std::int64_t age = today - it->day;
    if (age > 180) continue;
    // Ask once per entry: at 90 days if it is that old, else at 30.
    int h = age >= 90 ? 90 : age >= 30 ? 30 : 0;
    if (h == 0) continue;
    bool answered = std::any_of(it->outcomes.begin(), it->outcomes.end(),
                                [&](const store::Outcome& o) { return o.horizon_days == h; });
    if (!answered) d->due.push_back({it->c.id, h, age});
  }
  d->known_skills.assign(skills.begin(), skills.end());
  return d;
}

std::shared_ptr<const GoalsData> build_goals(const Journal& j, std::int64_t today) {
  auto g = std::make_shared<GoalsData>();
  g->goals = j.goals;
  for (auto it = j.contributions.rbegin(); it != j.contributions.rend(); ++it) {
    if (it->goal_id) g->linked[*it->goal_id].push_back(it->id);
    else if (today - day_of(*it) <= g->unmatched_window_days) g->unmatched.push_back(it->id);
  }
  return g;
}

std::shared_ptr<const SkillsData> build_skills(const Journal& j, std::int64_t today) {
  auto out = std::make_shared<SkillsData>();
  int ty; unsigned tm, td;
  civil_from_days(today, ty, tm, td);
  // Twelve calendar months ending with the current one.
  std::vector<std::pair<int, unsigned>> months;
  for (int i = 11; i >= 0; --i) {
    int y = ty;
    int m = static_cast<int>(tm) - i;
    while (m <= 0) { m += 12; --y; }
    months.push_back({y, static_cast<unsigned>(m)});
    out->months.push_back(month_name(static_cast<unsigned>(m)));
  }
  std::map<std::string, SkillRow> rows;
  for (const auto& c : j.contributions) {
    auto d = day_of(c);
    int y; unsigned m, dd;
    civil_from_days(d, y, m, dd);
    int idx = -1;
    for (std::size_t i = 0; i < months.size(); ++i)
      if (months[i].first == y && months[i].second == m) idx = static_cast<int>(i);
    if (idx < 0) continue;
    for (const auto& sk : c.skills) {
      auto& r = rows[sk];
      if (r.per_month.empty()) { r.name = sk; r.per_month.assign(12, 0); }
      ++r.per_month[static_cast<std::size_t>(idx)];
      ++r.total;
      r.last_day = std::max(r.last_day, d);
    }
  }
  for (auto& [k, r] : rows) out->rows.push_back(std::move(r));
  std::sort(out->rows.begin(), out->rows.end(), [](const SkillRow& a, const SkillRow& b) {
    return a.last_day != b.last_day ? a.last_day > b.last_day : a.name < b.name;
  });
  return out;
}

Result<std::shared_ptr<const Evidence>> build_evidence(const store::Store& s, const records::Contribution& c) {
  auto e = std::make_shared<Evidence>();
  e->contribution_id = c.id;
  std::int64_t day = day_of(c);
  // The work that led up to an entry: the three days before it and the day itself.
  e->from_day = day - 3;
  e->to_day = day;
  records::Instant lo = e->from_day * 86400 - c.utc_offset, hi = (day + 1) * 86400 - c.utc_offset;
  e->commits = CAIRN_TRY(s.commits(lo, hi));
  e->meetings = CAIRN_TRY(s.meetings(lo, hi));
  return std::shared_ptr<const Evidence>(std::move(e));
}

std::shared_ptr<const ReviewDraft> build_review_part(const Journal& j, const YearData& y, std::int64_t from_day,
                                                     std::int64_t to_day) {
  ReviewInput in{from_day, to_day, &j.contributions, &j.outcomes, &j.goals, &y.days};
  return std::make_shared<const ReviewDraft>(build_review(in));
}

std::shared_ptr<const ConsentData> build_consent(const Paths& paths, const store::Store* s) {
  auto d = std::make_shared<ConsentData>();
  if (auto st = consent::load(paths.consent()); st.ok()) d->state = st.value();
  d->activity_status = activity_status::activity_status_line(paths.data);
  if (s) {
    if (auto log = s->consent_log(); log.ok()) d->log = log.value();
  }
  // Changes not imported yet live in the config folder's change log; show them too.
  if (auto ev = consent::read_events(consent::events_in(paths.config)); ev.ok()) {
    for (const auto& e : ev.value()) {
      bool seen = std::any_of(d->log.begin(), d->log.end(), [&](const store::ConsentEvent& x) {
        return x.time == e.time && x.source == e.source && x.action == e.action;
      });
      if (!seen) d->log.push_back({e.time, e.source, e.action, e.detail});
    }
  }
  std::sort(d->log.begin(), d->log.end(), [](const auto& a, const auto& b) { return a.time > b.time; });
  if (d->log.size() > 50) d->log.resize(50);
  return d;
}

}  // namespace cairn::ui

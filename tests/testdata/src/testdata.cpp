// The year generator (see testdata.hpp). Shapes, not statistics: enough variety that every chart
// and list in the panel has something real to show, at the volumes of a busy year.
#include "cairn/testdata/testdata.hpp"

#include <algorithm>
#include <random>

#include "cairn/base/clock.hpp"

namespace cairn::testdata {
namespace {

using records::ActivitySpan;
using records::CommitRecord;
using records::Contribution;
using records::MeetingRecord;

struct App {
  const char* cls;
  const char* category;
};
const App kDev[] = {{"code", "development"}, {"jetbrains-idea", "development"}, {"gnome-terminal", "development"}};
const App kFrag[] = {{"slack", "communication"}, {"thunderbird", "communication"}, {"firefox", "browsing"},
                     {"libreoffice-writer", "documents"}, {"code", "development"}, {"claude", "ai-assistant"},
                     {"gnome-terminal", "development"}, {"obsidian", "documents"}};
const App kMeetingApp{"zoom", "meetings"};

const char* kVerbs[] = {"Cut", "Shipped", "Rewrote", "Unblocked", "Documented", "Automated", "Fixed", "Designed",
                        "Migrated", "Simplified", "Reviewed", "Paired on"};
const char* kObjects[] = {"the search API's p95 latency", "the billing export", "flaky integration tests",
                          "the on-call runbook", "the release pipeline", "the onboarding guide",
                          "a data-loss bug in sync", "the permissions model", "the metrics dashboard",
                          "the mobile login flow", "the schema migration tooling", "the incident review process"};
const char* kFor[] = {"for the mobile team", "for support", "for new joiners", "for the data team",
                      "for customers on the EU cluster", "for the platform team", "for on-call engineers",
                      "for finance"};
const char* kSkills[] = {"Go", "SQL", "API design", "mentoring", "incident response", "testing", "observability",
                         "writing", "product sense", "security", "performance", "code review"};
const char* kRepos[] = {"search-service", "billing", "mobile-app", "infra", "docs"};

}  // namespace

Result<Generated> generate_year(store::Store& s, const YearSpec& spec) {
  Generated g;
  std::mt19937 rng(spec.seed);
  auto uni = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng)); };
  auto chance = [&](double p) { return uni(0, 1) < p; };
  const std::int64_t first_day = spec.last_day - spec.days + 1;
  const std::int32_t off = spec.utc_offset;
  auto at = [&](std::int64_t day, double local_seconds) {
    return static_cast<records::Instant>(day * 86400 + static_cast<std::int64_t>(local_seconds) - off);
  };

  // Goals first (contributions link to them), with a revision history for some.
  std::vector<std::int64_t> goal_ids;
  const char* goal_titles[] = {"Make search fast enough that nobody notices it", "Grow as a mentor",
                               "Reduce on-call pages by half", "Own the billing export end to end",
                               "Write things down so others can act without me"};
  for (int i = 0; i < 5; ++i) {
    store::GoalRevision r{at(first_day + i * 20, 9 * 3600), goal_titles[i], "Set with my manager.", "active"};
    auto id = CAIRN_TRY(s.add_goal(r, r.time));
    goal_ids.push_back(id);
    ++g.goals;
  }
  CAIRN_TRY(s.revise_goal(goal_ids[0], {at(first_day + 120, 10 * 3600), "Search p95 under 250 ms",
                                        "Made measurable after the Q2 review.", "active"}));
  CAIRN_TRY(s.revise_goal(goal_ids[3], {at(first_day + 200, 10 * 3600), goal_titles[3], "Handed over.", "done"}));
  CAIRN_TRY(s.revise_goal(goal_ids[2], {at(first_day + 150, 10 * 3600), goal_titles[2],
                                        "Dropped: the team moved to a shared rota.", "dropped"}));

  // Contributions spread over workdays, with later outcomes for some of them.
  std::vector<std::int64_t> workdays;
  for (std::int64_t d = first_day; d <= spec.last_day; ++d)
    if (weekday_of_day(d) < 5) workdays.push_back(d);
  const double per_workday = static_cast<double>(spec.contributions) / static_cast<double>(workdays.size());
  for (std::int64_t d : workdays) {
    int n = std::poisson_distribution<int>(per_workday)(rng);
    for (int k = 0; k < n; ++k) {
      Contribution c;
      c.time = at(d, uni(9.5, 17.5) * 3600);
      c.utc_offset = off;
      c.text = std::string(kVerbs[pick(12)]) + " " + kObjects[pick(12)] + " " + kFor[pick(8)];
      double r = uni(0, 1);
      c.kind = r < 0.45 ? records::ImpactKind::impact
                        : r < 0.65 ? records::ImpactKind::long_term : r < 0.85 ? records::ImpactKind::system : records::ImpactKind::judgment;
      // Skills drift over the year: mentoring grows, Go fades, the rest stay level.
      const double frac = static_cast<double>(d - first_day) / spec.days;
      std::vector<std::string> sks;
      if (chance(0.55 * frac)) sks.push_back("mentoring");
      if (chance(0.45 * (1 - frac))) sks.push_back("Go");
      int ns = 1 + pick(2);
      for (int i = 0; i < ns; ++i) {
        std::string sk = kSkills[pick(12)];
        if (sk == "mentoring" || sk == "Go") continue;
        if (std::find(sks.begin(), sks.end(), sk) == sks.end()) sks.push_back(sk);
      }
      if (sks.empty()) sks.push_back(kSkills[pick(12)]);
      c.skills = std::move(sks);
      if (chance(0.6)) c.links.push_back("https://git.example.com/merge/" + std::to_string(1000 + pick(9000)));
      c.ai_assisted = chance(0.15 + 0.3 * static_cast<double>(d - first_day) / spec.days);
      if (chance(0.65)) c.goal_id = goal_ids[static_cast<std::size_t>(pick(5))];
      auto id = CAIRN_TRY(s.add_contribution(c));
      ++g.contributions;
      std::int64_t age = spec.last_day - d;
      if (age >= 30 && age <= 300 && chance(0.5)) {
        const char* held[] = {"held", "held", "partly", "did-not-hold"};
        CAIRN_TRY(s.add_outcome({0, id, c.time + 30 * 86400, 30, held[pick(4)], ""}));
        ++g.outcomes;
      }
      if (age >= 90 && age <= 300 && chance(0.35)) {
        const char* held[] = {"held", "partly", "did-not-hold"};
        CAIRN_TRY(s.add_outcome({0, id, c.time + 90 * 86400, 90, held[pick(3)], ""}));
        ++g.outcomes;
      }
    }
  }

  // Reflections on most weeks, a few skipped: no streak is expected of anyone.
  for (std::int64_t wk = week_start_day(first_day) + 7; wk < spec.last_day - 7; wk += 7) {
    if (chance(0.35)) continue;
    store::Reflection r;
    r.week = iso_week_string(wk);
    r.updated = at(wk + 4, 16 * 3600);
    r.skipped = chance(0.15);
    if (!r.skipped) {
      r.changed = "Search got faster for the mobile team.";
      r.helped = "Paired with a new joiner on the release pipeline.";
      r.judgment = "Postponed the migration to keep the incident fix small.";
    }
    CAIRN_TRY(s.put_reflection(r));
    ++g.reflections;
  }

  // Days: activity spans, meetings, commits.
  const double meetings_per_workday = static_cast<double>(spec.meetings) / static_cast<double>(workdays.size());
  const double commits_per_workday = static_cast<double>(spec.commits) / static_cast<double>(workdays.size());
  std::vector<ActivitySpan> spans;
  std::vector<MeetingRecord> meetings;
  std::vector<CommitRecord> commits;
  int vacation_start = pick(200) + 100;  // two weeks off somewhere in the year
  for (std::int64_t d = first_day; d <= spec.last_day; ++d) {
    int wd = weekday_of_day(d);
    std::int64_t idx = d - first_day;
    bool vacation = idx >= vacation_start && idx < vacation_start + 14;
    bool weekend = wd >= 5;
    if (vacation || (weekend && !chance(0.12)) || (!weekend && chance(0.04))) continue;
    double start = weekend ? uni(10, 14) * 3600 : uni(8.0, 9.3) * 3600;
    double end = weekend ? start + uni(0.5, 2) * 3600 : uni(16.8, 18.8) * 3600;
    if (!weekend && chance(0.15)) end += uni(0.5, 2.5) * 3600;  // some late evenings

    // Meetings of the day: the stand-up, a weekly 1:1, and others.
    std::vector<std::pair<double, double>> day_meetings;
    if (!weekend) {
      day_meetings.push_back({9.75 * 3600, 10.0 * 3600});
      if (wd == 2) day_meetings.push_back({14 * 3600, 14.5 * 3600});
      // Candidates that clash with an earlier meeting are dropped, so draw more than the target.
      int extra = std::max(0, std::poisson_distribution<int>(std::max(0.0, (meetings_per_workday - 1.2) * 1.45))(rng));
      for (int k = 0; k < extra; ++k) {
        double ms = std::round(uni(10.5, 16.5) * 4) / 4 * 3600;
        double len = (chance(0.5) ? 0.5 : chance(0.5) ? 0.25 : 1.0) * 3600;
        bool clash = std::any_of(day_meetings.begin(), day_meetings.end(),
                                 [&](auto& m) { return ms < m.second && m.first < ms + len; });
        if (!clash) day_meetings.push_back({ms, ms + len});
      }
      std::sort(day_meetings.begin(), day_meetings.end());
      for (const auto& [ms, me] : day_meetings) {
        MeetingRecord m;
        m.uid = "gen-" + std::to_string(d) + "-" + std::to_string(static_cast<int>(ms));
        m.start = at(d, ms);
        m.end = at(d, me);
        m.utc_offset = off;
        bool standup = ms == 9.75 * 3600;
        m.one_on_one = !standup && (me - ms == 1800) && (wd == 2 && ms == 14 * 3600);
        m.attendees = m.one_on_one ? 2 : standup ? 8 : 3 + pick(9);
        m.recurring = standup || m.one_on_one || chance(0.3);
        meetings.push_back(m);
        ++g.meetings;
      }
    }

    // Walk the day minute by minute in chunks of focus or fragmented work.
    double t = start;
    std::size_t mi = 0;
    bool lunch_done = weekend;
    std::vector<std::pair<double, double>> dev_time;
    auto emit = [&](double a, double b, const App& app, bool idle) {
      // The agent closes a span on every application change and at least every batch interval;
      // 35 s gives the density of a year of about 250,000 spans.
      for (double x = a; x < b;) {
        double y = std::min(b, x + 35);
        ActivitySpan sp;
        sp.start = at(d, x);
        sp.end = at(d, y);
        sp.utc_offset = off;
        sp.idle = idle;
        if (!idle) {
          sp.app_class = app.cls;
          sp.category = app.category;
        } else {
          sp.category = "idle";
        }
        spans.push_back(std::move(sp));
        x = y;
      }
    };
    while (t < end) {
      if (mi < day_meetings.size() && t >= day_meetings[mi].first) {
        emit(t, day_meetings[mi].second, kMeetingApp, false);
        t = day_meetings[mi].second;
        ++mi;
        continue;
      }
      if (!lunch_done && t > 12.3 * 3600) {
        double l = uni(35, 60) * 60;
        emit(t, t + l, kMeetingApp, true);
        t += l;
        lunch_done = true;
        continue;
      }
      double limit = mi < day_meetings.size() ? std::min(end, day_meetings[mi].first) : end;
      if (chance(0.45)) {  // a focus stretch
        double len = std::min(limit - t, uni(25, 100) * 60);
        const App& app = kDev[pick(3)];
        emit(t, t + len, app, false);
        dev_time.push_back({t, t + len});
        t += len;
      } else {  // fragmented: short hops between applications
        double until = std::min(limit, t + uni(5, 30) * 60);
        while (t < until) {
          double len = std::min(until - t, uni(0.5, 6) * 60);
          const App& app = kFrag[pick(8)];
          emit(t, t + len, app, false);
          if (std::string(app.category) == "development") dev_time.push_back({t, t + len});
          t += len;
        }
      }
      if (chance(0.12)) {  // a short break away from the desk
        double len = std::min(end - t, uni(4, 15) * 60);
        if (len > 0) emit(t, t + len, kMeetingApp, true);
        t += std::max(0.0, len);
      }
    }

    // Commits during development time; the AI co-authored share grows over the year.
    int nc = weekend ? pick(3) : std::poisson_distribution<int>(commits_per_workday)(rng);
    for (int k = 0; k < nc && !dev_time.empty(); ++k) {
      auto& span = dev_time[static_cast<std::size_t>(pick(static_cast<int>(dev_time.size())))];
      CommitRecord c;
      c.repo = kRepos[pick(5)];
      char id[41];
      for (int i = 0; i < 40; ++i) id[i] = "0123456789abcdef"[pick(16)];
      id[40] = 0;
      c.id = id;
      c.time = at(d, uni(span.first, span.second));
      c.utc_offset = off;
      c.lines_added = 1 + pick(200);
      c.lines_removed = pick(120);
      c.files_changed = 1 + pick(12);
      c.ai_assisted = chance(0.1 + 0.35 * static_cast<double>(idx) / spec.days);
      if (c.ai_assisted) c.ai_tool = chance(0.5) ? "Claude" : "Copilot";
      commits.push_back(std::move(c));
    }

    // Write a week at a time: large enough batches to be fast, small enough to stay modest.
    if (wd == 6 || d == spec.last_day) {
      CAIRN_TRY(s.add_spans(spans));
      CAIRN_TRY(s.add_meetings(meetings));
      CAIRN_TRY(s.add_commits(commits));
      g.spans += static_cast<std::int64_t>(spans.size());
      g.commits += static_cast<std::int64_t>(commits.size());
      spans.clear();
      meetings.clear();
      commits.clear();
    }
  }
  if (!spans.empty() || !meetings.empty() || !commits.empty()) {
    CAIRN_TRY(s.add_spans(spans));
    CAIRN_TRY(s.add_meetings(meetings));
    CAIRN_TRY(s.add_commits(commits));
    g.spans += static_cast<std::int64_t>(spans.size());
    g.commits += static_cast<std::int64_t>(commits.size());
  }
  CAIRN_TRY(s.rebuild_rollups(first_day - 1, spec.last_day + 1));
  return g;
}

}  // namespace cairn::testdata

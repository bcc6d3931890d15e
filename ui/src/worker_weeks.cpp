// The worker's read-ahead of weeks (see worker.hpp, docs/panel.md): the week on screen, the day
// strips and complete weeks of the year strip read while idle, and the ShowWeek command.
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

std::shared_ptr<const WeekTimeline> WorkerState::cached(std::int64_t week_start) const {
  auto it = timelines.find(week_start);
  return it == timelines.end() ? nullptr : it->second;
}

Status WorkerState::rebuild_week() {
  next.week = CAIRN_TRY(build_week(*store, week, journal, cached(week)));
  keep_week(next.week);
  return ok_status();
}

bool WorkerState::in_strip(std::int64_t week_start) const {
  return next.year && !next.year->weeks.empty() && week_start >= next.year->weeks.front().start_day &&
         week_start <= next.year->weeks.back().start_day;
}

void WorkerState::keep_week(const std::shared_ptr<const WeekData>& w) {
  if (!w || !w->timeline || !in_strip(w->start_day)) return;
  weeks[w->start_day] = w;
  weeks_dirty = true;
  ++weeks_unpublished;
}

void WorkerState::drop_weeks() {
  weeks.clear();
  weeks_dirty = true;
}

void WorkerState::publish_weeks_into(Snapshot& n) {
  if (!weeks_dirty) return;
  auto c = std::make_shared<WeekCache>();
  c->weeks = weeks;
  c->wanted = next.year ? next.year->weeks.size() : 0;
  for (const auto& [day, w] : weeks) c->bytes += approx_bytes(*w) + 48;  // + the map node
  n.weeks = std::move(c);
  weeks_dirty = false;
  weeks_unpublished = 0;
}

void WorkerState::plan_warmup(std::int64_t around) {
  // Most recent weeks first, then the ones beside the week on screen (read first).
  warm.clear();
  for (std::int64_t w = week_start_day(today) - 52 * 7; w <= week_start_day(today); w += 7) warm.push_back(w);
  for (std::int64_t w : {around + 7, around - 7})
    if (w <= week_start_day(today)) warm.push_back(w);
}

bool Worker::handle(cmd::ShowWeek& x) {
  State& st = *state_;
  if (!st.store) return false;
  auto t0 = now_steady();
  st.week = week_start_day(x.start_day);
  if (auto it = st.weeks.find(st.week); it != st.weeks.end()) st.next.week = it->second;  // read ahead
  else if (auto w = st.rebuild_week(); !w.ok()) say(st.next, w.error().message, true);
  for (std::int64_t w : {st.week + 7, st.week - 7}) st.warm.push_back(w);
  publish();
  std::lock_guard lk(mu_);
  timings_.week_ms = Ms(now_steady() - t0).count();
  return false;  // published above, before the timing
}

bool Worker::idle_step() {
  State& st = *state_;
  Snapshot& n = st.next;
  if (!st.store || n.phase != Phase::unlocked) return false;
  // 1. The day strips of the week on screen.
  if (n.week && !n.week->timeline) {
    auto tl = build_week_timeline(*st.store, n.week->start_day);
    auto w = std::make_shared<WeekData>(*n.week);
    w->timeline = tl.ok() ? tl.value() : std::make_shared<const WeekTimeline>();
    st.timelines[w->start_day] = w->timeline;
    n.week = std::move(w);
    st.keep_week(n.week);
    publish();
    return true;
  }
  // 2. The record's counts (a full count of a year of spans takes a while; only Settings shows it).
  if (!n.counts) {
    auto c = st.store->counts();
    n.counts = c.ok() ? c.value() : store::Store::Counts{};
    publish();
    return true;
  }
  // 3. Read ahead the weeks the employee may open, one per step.
  if (read_ahead_step()) return true;
  if (st.weeks_dirty) {
    publish();
    return true;
  }
  return false;
}

// One week of read-ahead: the day strips, and for the weeks of the year strip the whole week part.
// Published every few weeks and at the end, so the UI is not woken for each.
bool Worker::read_ahead_step() {
  State& st = *state_;
  while (!st.warm.empty()) {
    std::int64_t wk = st.warm.back();
    st.warm.pop_back();
    const bool whole = st.in_strip(wk) && !st.weeks.count(wk);
    if (st.timelines.count(wk) && !whole) continue;
    if (!st.timelines.count(wk))
      if (auto tl = build_week_timeline(*st.store, wk); tl.ok()) st.timelines[wk] = tl.value();
    if (whole && st.timelines.count(wk))
      if (auto w = build_week(*st.store, wk, st.journal, st.cached(wk)); w.ok()) st.keep_week(w.value());
    if (st.weeks_dirty && (st.weeks_unpublished >= 8 || st.warm.empty())) publish();
    return true;
  }
  return false;
}

}  // namespace cairn::ui

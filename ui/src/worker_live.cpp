// The live record (see worker.hpp, docs/panel.md "One live record"): while unlocked, every
// kLivePoll the worker asks its own connection for PRAGMA data_version (which moves only when
// ANOTHER connection committed: the CLI, another panel, a background check) and stats the inbox,
// the outbox and the consent files. Nothing else is read until one of them moved; then the
// fingerprints of live.hpp say which parts a change touched, and only those are rebuilt and
// published. The same poll collects a finished check for plans and starts a due one.
#include <chrono>
#include <set>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/base/text.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/import/import.hpp"
#include "cairn/uploader/status.hpp"
#include "live.hpp"
#include "sharing_part.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

namespace {

constexpr const char* kAutolockKey = "panel.autolock_minutes";

std::uint64_t inbox_stamp(const Paths& p) { return file_stamp({p.inbox()}); }
std::uint64_t outbox_stamp(const Paths& p) {
  const auto o = p.outbox();
  return file_stamp({o, o / "sent", o / "refused", o / "status.json"});
}
std::uint64_t consent_stamp(const Paths& p) {
  return file_stamp({p.consent(), consent::events_in(p.config), activity_status::status_file_path(p.data)});
}

std::uint64_t reflections_fingerprint(const store::Store& s) {
  auto r = s.reflections();
  return r.ok() ? fingerprint(*r) : 0;
}
std::uint64_t consent_log_fingerprint(const store::Store& s) {
  auto r = s.consent_log();
  return r.ok() ? fingerprint(*r) : 0;
}

std::int64_t today_of(const Clock& clock) {
  const auto t = clock.now();
  return local_day(t, clock.utc_offset(t));
}

}  // namespace

void WorkerState::live_begin(const Paths& paths) {
  // Read before the parts are: a commit made while they are read moves data_version past this.
  auto v = store->data_version();
  live.data_version = v.ok() ? *v : -1;
  live.inbox = inbox_stamp(paths);
  live.outbox = outbox_stamp(paths);
  live.consent = consent_stamp(paths);
  live.reflections = reflections_fingerprint(*store);
  live.consent_log = consent_log_fingerprint(*store);
  live.next_check = 0;  // right after the unlock
  live.last_check.reset();
  live.next_poll = std::chrono::steady_clock::now() + kLivePoll;
  live.on = true;
}

void WorkerState::live_end() {
  live.on = false;
  if (live.check) {
    live.check->cancel();
    live.retiring.push_back(std::move(live.check));
  }
  live.last_check.reset();
  live.next_poll = std::chrono::steady_clock::now() + kLivePoll;
}

namespace {

// Whether a change to the rollups of these weeks (Mondays) touches the Applications view's range or
// its day.
bool touches_apps(const AppsData& a, const std::set<std::int64_t>& weeks) {
  for (std::int64_t w : weeks)
    if ((w <= a.last_day && w + 6 >= a.first_day) || (w <= a.day && a.day <= w + 6)) return true;
  return false;
}

// The Applications view's range and day read again, at the clock's offset now (as ShowApps does).
void refresh_apps(Snapshot& n, const store::Store& s, const Clock& clock) {
  const AppsData& a = *n.apps;
  auto r = build_apps(s, a.first_day, a.last_day, a.label, a.day, clock.utc_offset(clock.now()));
  if (r.ok()) n.apps = r.value();
}

}  // namespace

bool WorkerState::refresh_record(const Clock& clock) {
  // The collected record, through its day rollups (a year of them is a few hundred rows).
  auto year = build_year(*store, today);
  if (!year.ok() || !next.year) return false;
  const YearData& before = *next.year;
  const YearData& after = *year.value();
  const bool moved = strip_moved(before, after);
  auto weeks_changed = changed_weeks(before, after);
  if (!moved && weeks_changed.empty()) return false;
  // Day strips of the changed weeks are read again; weeks outside the year's rows (reached with
  // "Earlier") cannot be compared, so they are read again when shown.
  const std::int64_t first = after.days.empty() ? today : after.days.begin()->first;
  for (auto it = timelines.begin(); it != timelines.end();) {
    if (weeks_changed.count(it->first) || it->first < week_start_day(first)) it = timelines.erase(it);
    else ++it;
  }
  if (moved) {
    drop_weeks();
  } else {
    for (std::int64_t w : weeks_changed)
      if (weeks.erase(w)) weeks_dirty = true;
  }
  next.year = year.value();
  plan_warmup(week);
  if (moved || weeks_changed.count(week) || !cached(week)) (void)rebuild_week();
  next.review = build_review_part(journal, *next.year, review_from, review_to);
  next.counts.reset();  // counted again in the background
  // Time per application, once the Applications view has asked for it (a log, an import, ...).
  if (next.apps && (moved || touches_apps(*next.apps, weeks_changed))) refresh_apps(next, *store, clock);
  return true;
}

bool WorkerState::refresh_changed(const Paths& paths, const Clock& clock) {
  bool changed = refresh_record(clock);
  // The employee's own entries, written by the CLI or another panel.
  if (auto j = load_journal(*store); j.ok() && fingerprint(*j) != fingerprint(journal)) {
    if (auto s = refresh_journal(); !s.ok()) say(next, s.error().message, true);
    changed = true;
  }
  // Reflections live in the week parts.
  if (const auto r = reflections_fingerprint(*store); r != live.reflections) {
    live.reflections = r;
    drop_weeks();
    plan_warmup(week);
    (void)rebuild_week();
    changed = true;
  }
  // Sharing: plans, reports, the ledger (charged by another process: read again before anything
  // is shown or charged here), the enrollment.
  if (sharing_fingerprint(*store) != live.sharing) {
    const bool was_enrolled = next.sharing && next.sharing->enrolled;
    open_share(paths, clock);
    // Enrolled meanwhile (`cairn enroll` in a terminal): check for plans at the next poll.
    if (!was_enrolled && next.sharing && next.sharing->enrolled) live.next_check = 0;
    rebuild_sharing_status(paths, clock);
    changed = true;
  }
  // The consent log imported by another process.
  if (const auto c = consent_log_fingerprint(*store); c != live.consent_log) {
    live.consent_log = c;
    next.consent = build_consent(paths, &*store);
    changed = true;
  }
  if (auto v = store->setting(kAutolockKey); v.ok() && v.value()) {
    const int m = std::atoi(v.value()->c_str());
    if (m >= 1 && m <= 240 && m != next.autolock_minutes) {
      next.autolock_minutes = m;
      changed = true;
    }
  }
  return changed;
}

bool Worker::live_due() const {
  const auto& live = state_->live;
  return (live.on || !live.retiring.empty()) && std::chrono::steady_clock::now() >= live.next_poll;
}

void Worker::start_check() {
  State& st = *state_;
  if (!st.keys || st.live.check) return;
  st.live.check = std::make_unique<ShareCheck>(paths_, st.keys->store_key(), st.keys->device_keys(), clock_);
}

void Worker::import_quietly() {
  State& st = *state_;
  auto rep = import::import_inbox(*st.store, paths_, *st.keys, {});
  if (!rep.ok()) say(st.next, "Some collected data could not be imported: " + safe_outside_text(rep.error().message), true);
  else if (!rep->problems.empty())
    say(st.next, "Importing what was collected met " + count_text(rep->problems.size(), "problem", "problems") + ".", true);
}

void Worker::live_step() {
  State& st = *state_;
  auto& live = st.live;
  live.next_poll = std::chrono::steady_clock::now() + kLivePoll;
  // Checks cancelled by a lock: dropped (their thread joined) once they have finished.
  std::erase_if(live.retiring, [](const auto& c) { return c->finished(); });
  if (!live.on || !st.store || st.next.phase != Phase::unlocked) return;
  Snapshot& n = st.next;
  st.today = today_of(clock_);
  n.today = st.today;
  bool changed = false, status = false;

  // A finished check; a due one (right after unlock, then every kShareCheckInterval).
  if (live.check && live.check->finished()) {
    live.last_check = live.check->result();
    live.check.reset();
    live.next_check = clock_.now() + kShareCheckInterval;
    status = true;
  }
  if (!live.check && clock_.now() >= live.next_check) {
    live.next_check = clock_.now() + kShareCheckInterval;
    if (n.sharing && n.sharing->enrolled) {
      start_check();
      status = true;
    }
  }
  // Batches the daemon sealed while the panel is open: imported like at unlock, without the bar.
  bool data = false;
  if (const auto s = inbox_stamp(paths_); s != live.inbox) {
    import_quietly();
    live.inbox = inbox_stamp(paths_);  // the import removed the batches it took
    data = true;  // this connection's own writes do not move data_version
  }
  if (auto v = st.store->data_version(); v.ok() && *v != live.data_version) {
    live.data_version = *v;
    data = true;
  }
  if (data) {
    const auto t0 = now_steady();
    changed |= st.refresh_changed(paths_, clock_);
    std::lock_guard lk(mu_);
    timings_.live_ms = Ms(now_steady() - t0).count();
  }
  // The keyless uploader ran (or an approval was queued): its status line, and what it sent or
  // was refused goes into the store as at unlock.
  if (const auto s = outbox_stamp(paths_); s != live.outbox) {
    live.outbox = s;
    if (st.share) {
      if (auto up = uploader::read_status(paths_.outbox()); up.ok() && (up->sent > 0 || up->refused > 0)) {
        if (auto rec = st.share->reconcile_outbox(); rec.ok()) {
          st.rebuild_sharing(clock_);
          changed = true;
        }
        live.outbox = outbox_stamp(paths_);  // reconciling forgot the receipts
      }
    }
    status = true;
  }
  if (const auto s = consent_stamp(paths_); s != live.consent) {
    live.consent = s;
    n.consent = build_consent(paths_, &*st.store);
    changed = true;
  }
  if (status) st.rebuild_sharing_status(paths_, clock_);
  if (changed || status) publish();
}

}  // namespace cairn::ui

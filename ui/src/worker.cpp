// The worker thread (see worker.hpp): unlock, import, build snapshot parts, apply the employee's
// actions, lock. All Store and key handling of the panel happens here.
#include "worker.hpp"

#include <chrono>
#include <map>

#include "builders.hpp"
#include "scrub.hpp"
#include "cairn/base/files.hpp"
#include "cairn/budget/budget.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/share/device.hpp"
#include "cairn/share/transport.hpp"
#include "cairn/import/import.hpp"

namespace cairn::ui {

namespace {
using Ms = std::chrono::duration<double, std::milli>;
auto now_steady() { return std::chrono::steady_clock::now(); }
constexpr const char* kAutolockKey = "panel.autolock_minutes";
}  // namespace

struct Worker::State {
  std::optional<crypto::UnlockedKeys> keys;
  std::optional<store::Store> store;
  Journal journal;
  Snapshot next;  // the snapshot being composed; published as a const copy
  std::int64_t week = 0;
  std::int64_t review_from = 0, review_to = 0;
  // Day strips of weeks already read, and the weeks still to read while idle (next at the back).
  std::map<std::int64_t, std::shared_ptr<const WeekTimeline>> timelines;
  std::vector<std::int64_t> warm;
  // Complete weeks of the year strip, read ahead while idle; published as Snapshot::weeks so the
  // UI can show any of them in the frame of the click.
  std::map<std::int64_t, std::shared_ptr<const WeekData>> weeks;
  bool weeks_dirty = false;  // `weeks` changed since the last published cache
  int weeks_unpublished = 0;
  // Sharing over the open store. Declared after `store` so they are destroyed before it. The
  // transport is only for DeviceShare's constructor: the panel calls nothing that uses the network
  // (approving queues the report in the outbox; `cairn share sync` uploads it).
  std::optional<crypto::SignKeyPair> device;
  std::optional<budget::StoreLedger> ledger;
  std::unique_ptr<share::Transport> transport;
  std::unique_ptr<share::DeviceShare> share;

  std::shared_ptr<const WeekTimeline> cached(std::int64_t week_start) const {
    auto it = timelines.find(week_start);
    return it == timelines.end() ? nullptr : it->second;
  }
  void close_share() {
    share.reset();
    transport.reset();
    ledger.reset();
    device.reset();
  }
  // Opens the sharing API and builds its part. A ledger that does not verify leaves sharing
  // closed with the reason shown in its view; the rest of the panel works as before.
  void open_share(const Paths& paths, const Clock& clock, Snapshot& n) {
    close_share();
    auto l = budget::open_ledger(*store);
    if (!l.ok()) {
      auto part = std::make_shared<SharingData>();
      part->error = l.error().message;
      n.sharing = std::move(part);
      return;
    }
    ledger.emplace(std::move(l.value()));
    device.emplace(keys->device_keys());
    transport = share::http_transport();
    share = std::make_unique<share::DeviceShare>(*store, *device, ledger->ledger, *transport, clock, paths.outbox());
    n.sharing = build_sharing(*share, *store);
  }
  Status rebuild_week() {
    next.week = CAIRN_TRY(build_week(*store, week, journal, cached(week)));
    keep_week(next.week);
    return ok_status();
  }
  bool in_strip(std::int64_t week_start) const {
    return next.year && !next.year->weeks.empty() && week_start >= next.year->weeks.front().start_day &&
           week_start <= next.year->weeks.back().start_day;
  }
  // Keeps a complete week of the strip for the read-ahead cache (weeks outside the strip, reached
  // with "Earlier", are not kept: the cache stays one year).
  void keep_week(const std::shared_ptr<const WeekData>& w) {
    if (!w || !w->timeline || !in_strip(w->start_day)) return;
    weeks[w->start_day] = w;
    weeks_dirty = true;
    ++weeks_unpublished;
  }
  // After a change to the journal every week's contributions and prompts may differ.
  void drop_weeks() {
    weeks.clear();
    weeks_dirty = true;
  }
  void publish_weeks_into(Snapshot& n) {
    if (!weeks_dirty) return;
    auto c = std::make_shared<WeekCache>();
    c->weeks = weeks;
    c->wanted = next.year ? next.year->weeks.size() : 0;
    for (const auto& [day, w] : weeks) c->bytes += approx_bytes(*w) + 48;  // + the map node
    n.weeks = std::move(c);
    weeks_dirty = false;
    weeks_unpublished = 0;
  }
  void plan_warmup(std::int64_t around, std::int64_t today) {
    // Most recent weeks first, then the ones beside the week on screen (read first).
    warm.clear();
    for (std::int64_t w = week_start_day(today) - 52 * 7; w <= week_start_day(today); w += 7) warm.push_back(w);
    for (std::int64_t w : {around + 7, around - 7})
      if (w <= week_start_day(today)) warm.push_back(w);
  }
};

Worker::Worker(Paths paths, const Clock& clock, std::function<void()> wake)
    : paths_(std::move(paths)), clock_(clock), wake_(std::move(wake)), state_(std::make_unique<State>()) {
  std::error_code ec;
  state_->next.phase = std::filesystem::exists(paths_.vault(), ec) ? Phase::locked : Phase::no_vault;
  state_->next.consent = build_consent(paths_, nullptr);
  latest_ = std::make_shared<const Snapshot>(state_->next);
  thread_ = std::thread([this] { run(); });
}

Worker::~Worker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void Worker::send(cmd::Command c) {
  {
    std::lock_guard lk(mu_);
    queue_.push_back(std::move(c));
  }
  cv_.notify_all();
}

std::shared_ptr<const Snapshot> Worker::latest() const {
  std::lock_guard lk(mu_);
  return latest_;
}

bool Worker::idle() const {
  std::lock_guard lk(mu_);
  return queue_.empty() && !busy_ && !visible_pending_;
}

UnlockTimings Worker::timings() const {
  std::lock_guard lk(mu_);
  return timings_;
}

void Worker::run() {
  bool background = false;
  for (;;) {
    std::optional<cmd::Command> c;
    {
      std::unique_lock lk(mu_);
      if (!background) cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
      if (stop_) break;
      if (!queue_.empty()) {
        c = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
      }
    }
    if (c) {
      apply(*c);
      {
        std::lock_guard lk(mu_);
        busy_ = false;
      }
      wake_();
      background = true;
      continue;
    }
    // Nothing asked: do one small piece of background work, then look at the queue again, so a
    // command never waits for more than one piece.
    background = idle_step();
  }
  // Leaving: drop the connection and the keys (their memory is wiped by SecretBytes).
  state_.reset();
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
  // 3. Read ahead the weeks the employee may open, one per step: the day strips, and for the
  // weeks of the year strip the whole week part. Published every few weeks and at the end, so
  // the UI is not woken for each.
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
  if (st.weeks_dirty) {
    publish();
    return true;
  }
  return false;
}

void Worker::publish() {
  auto& n = state_->next;
  state_->publish_weeks_into(n);
  ++n.version;
  auto snap = std::make_shared<const Snapshot>(n);
  const bool pending = n.phase == Phase::unlocked && ((n.week && !n.week->timeline) || !n.counts);
  {
    std::lock_guard lk(mu_);
    latest_ = std::move(snap);
    visible_pending_ = pending;
  }
  wake_();
}

namespace {

std::int64_t today_of(const Clock& clock) {
  auto t = clock.now();
  return local_day(t, clock.utc_offset(t));
}

// The sharing part holds the employee's own values and noise: overwrite them before freeing, when
// no one else holds the part (scrub.cpp's rule for the other parts).
void scrub_sharing(std::shared_ptr<const SharingData>& part) {
  if (!part || part.use_count() != 1) return;
  auto& d = const_cast<SharingData&>(*part);
  for (auto& p : d.pending) {
    for (auto& v : p.values) {
      v.value = v.noise_units = 0;
      v.encoded = v.noise = 0;
    }
    p.epsilon_release = p.spent_after = p.budget_left = 0;
    scrub(p.envelope_hex);
    scrub(p.purpose);
  }
  part.reset();
}

void say(Snapshot& s, std::string text, bool error = false) {
  s.message = std::move(text);
  s.message_is_error = error;
}

}  // namespace

void Worker::apply(cmd::Command& c) {
  State& st = *state_;
  Snapshot& n = st.next;
  const std::int64_t today = today_of(clock_);
  n.today = today;
  say(n, "");  // a message belongs to the command that produced it

  // Loads everything the views show after an unlock or after onboarding.
  auto load_all = [&]() -> Status {
    auto t0 = now_steady();
    st.journal = CAIRN_TRY(load_journal(*st.store));
    st.week = week_start_day(today);
    st.timelines.clear();
    st.drop_weeks();
    st.plan_warmup(st.week, today);
    n.year = CAIRN_TRY(build_year(*st.store, today));
    CAIRN_TRY(st.rebuild_week());
    n.contributions = build_contributions(st.journal, today);
    n.goals = build_goals(st.journal, today);
    n.skills = build_skills(st.journal, today);
    st.review_from = today - 182;
    st.review_to = today;
    n.review = build_review_part(st.journal, *n.year, st.review_from, st.review_to);
    n.consent = build_consent(paths_, &*st.store);
    st.open_share(paths_, clock_, n);
    n.evidence.reset();
    n.counts.reset();  // counted in the background
    n.autolock_minutes = 10;
    if (auto v = st.store->setting(kAutolockKey); v.ok() && v.value()) {
      int m = std::atoi(v.value()->c_str());
      if (m >= 1 && m <= 240) n.autolock_minutes = m;
    }
    std::lock_guard lk(mu_);
    timings_.build_ms = Ms(now_steady() - t0).count();
    return ok_status();
  };
  // After a change to the journal: reload it and rebuild the parts that depend on it.
  auto refresh_journal = [&]() -> Status {
    st.journal = CAIRN_TRY(load_journal(*st.store));
    n.year = CAIRN_TRY(build_year(*st.store, today));
    // Every week's contributions and prompts may have changed: read them again while idle (the
    // day strips stay; they come from the spans).
    st.drop_weeks();
    st.plan_warmup(st.week, today);
    CAIRN_TRY(st.rebuild_week());
    n.contributions = build_contributions(st.journal, today);
    n.goals = build_goals(st.journal, today);
    n.skills = build_skills(st.journal, today);
    n.review = build_review_part(st.journal, *n.year, st.review_from, st.review_to);
    n.counts.reset();
    return ok_status();
  };
  auto open_store = [&]() -> Status {
    std::error_code ec;
    auto mode = std::filesystem::exists(paths_.store(), ec) ? store::Store::Mode::open_existing : store::Store::Mode::create;
    auto key = st.keys->store_key();
    st.store.emplace(CAIRN_TRY(store::Store::open(paths_.store(), key, mode)));
    return ok_status();
  };
  auto lock = [&]() {
    // Order matters: drop every part that holds decrypted data, then the connection, then keys.
    // Overwrite what was decrypted before it is freed (parts the UI still holds are skipped;
    // the UI drops its snapshot before it asks to lock).
    {
      std::lock_guard lk(mu_);
      // The published copy must not keep parts alive; the UI ignores this placeholder.
      auto placeholder = std::make_shared<Snapshot>();
      placeholder->phase = Phase::working;
      placeholder->version = n.version;
      latest_ = std::move(placeholder);
    }
    // The caches first (entries the snapshot also holds are left to it), then the snapshot, then
    // the day strips, which the weeks held until they were scrubbed.
    scrub(st.weeks);
    st.weeks_dirty = false;
    st.warm.clear();
    scrub(n);
    scrub_sharing(n.sharing);
    scrub(st.journal);
    scrub(st.timelines);
    st.close_share();
    Snapshot fresh;
    fresh.version = n.version;
    std::error_code ec;
    fresh.phase = std::filesystem::exists(paths_.vault(), ec) ? Phase::locked : Phase::no_vault;
    fresh.consent = build_consent(paths_, nullptr);
    n = std::move(fresh);
    st.journal = Journal{};
    st.store.reset();
    st.keys.reset();
  };
  auto fail = [&](const Error& e) { say(n, e.message, true); };

  if (auto* x = std::get_if<cmd::CreateVault>(&c)) {
    n.phase = Phase::working;
    n.progress_label = "Creating your vault\xE2\x80\xA6";
    say(n, "");
    publish();
    // A first run may have no data folder yet: create it private (0700) before the vault.
    Status dirs = fs::ensure_private_dir(paths_.data);
    if (dirs.ok()) dirs = fs::ensure_private_dir(paths_.config);
    auto created = dirs.ok() ? crypto::vault_create(paths_.vault(), x->passphrase, crypto::default_vault_params(), clock_.now())
                             : Result<crypto::CreatedVault>(dirs.error());
    if (!created.ok()) {
      n.phase = Phase::no_vault;
      fail(created.error());
    } else {
      st.keys.emplace(std::move(created.value().keys));
      n.recovery_code = std::make_shared<const crypto::SecretBytes>(std::move(created.value().recovery_code));
      n.weak_kdf = crypto::is_weak(created.value().info.params);
      if (auto s = open_store(); !s.ok()) {
        fail(s.error());
        n.phase = Phase::no_vault;
      } else {
        n.phase = Phase::recovery_code;
      }
    }
  } else if (std::get_if<cmd::RecoverySaved>(&c)) {
    n.recovery_code.reset();
    n.phase = Phase::onboarding;
    n.consent = build_consent(paths_, st.store ? &*st.store : nullptr);
  } else if (std::get_if<cmd::FinishOnboarding>(&c)) {
    if (!st.store) return;
    if (auto s = load_all(); !s.ok()) fail(s.error());
    n.phase = Phase::unlocked;
    say(n, "Your record is ready. Nothing is collected until you turn a source on.");
  } else if (auto* x = std::get_if<cmd::Unlock>(&c)) {
    n.phase = Phase::working;
    n.progress = -1;
    n.progress_label = "Opening your vault\xE2\x80\xA6";
    say(n, "");
    publish();
    auto t0 = now_steady();
    auto keys = x->recovery_code ? crypto::vault_unlock_recovery(paths_.vault(), x->secret)
                                 : crypto::vault_unlock(paths_.vault(), x->secret);
    auto t1 = now_steady();
    if (!keys.ok()) {
      n.phase = Phase::locked;
      if (keys.error().code == Errc::wrong_secret)
        say(n, x->recovery_code ? "That recovery code did not open the vault. Check it and try again."
                                : "That passphrase did not open the vault. Check caps lock and try again.",
            true);
      else fail(keys.error());
    } else {
      st.keys.emplace(std::move(keys.value()));
      Status s = open_store();
      auto t2 = now_steady();
      if (s.ok()) {
        n.progress = 0;
        n.progress_label = "Adding what was collected while the panel was closed\xE2\x80\xA6";
        publish();
        auto last = now_steady();
        auto rep = import::import_inbox(*st.store, paths_, *st.keys, [&](std::size_t done, std::size_t total) {
          if (total == 0 || Ms(now_steady() - last).count() < 40) return;
          last = now_steady();
          n.progress = static_cast<float>(done) / static_cast<float>(total);
          publish();
        });
        if (!rep.ok()) say(n, "Some collected data could not be imported: " + rep.error().message, true);
        n.progress = -1;
      }
      auto t3 = now_steady();
      if (s.ok()) s = load_all();
      if (!s.ok()) {
        lock();
        fail(s.error());
      } else {
        n.phase = Phase::unlocked;
        n.weak_kdf = false;
        if (auto pub = crypto::vault_read_public(paths_.vault()); pub.ok()) n.weak_kdf = crypto::is_weak(pub.value().params);
      }
      std::lock_guard lk(mu_);
      timings_.kdf_ms = Ms(t1 - t0).count();
      timings_.open_ms = Ms(t2 - t1).count();
      timings_.import_ms = Ms(t3 - t2).count();
    }
  } else if (std::get_if<cmd::Lock>(&c)) {
    lock();
  } else if (!st.store) {
    // Every other command needs an unlocked store; a late click after a lock is dropped.
    if (auto* s = std::get_if<cmd::SetSource>(&c)) {
      // Turning a source off never needs the passphrase.
      auto r = s->on ? consent::grant(paths_.config, s->source, clock_.now())
                     : consent::revoke(paths_.config, s->source, false, clock_.now());
      if (!r.ok()) fail(r.error());
      n.consent = build_consent(paths_, nullptr);
    } else {
      return;
    }
  } else if (auto* x = std::get_if<cmd::ShowWeek>(&c)) {
    auto t0 = now_steady();
    st.week = week_start_day(x->start_day);
    if (auto it = st.weeks.find(st.week); it != st.weeks.end()) n.week = it->second;  // read ahead
    else if (auto w = st.rebuild_week(); !w.ok()) fail(w.error());
    for (std::int64_t w : {st.week + 7, st.week - 7}) st.warm.push_back(w);
    publish();
    std::lock_guard lk(mu_);
    timings_.week_ms = Ms(now_steady() - t0).count();
    return;
  } else if (auto* x = std::get_if<cmd::SelectContribution>(&c)) {
    n.evidence.reset();
    for (const auto& ct : st.journal.contributions)
      if (ct.id == x->id) {
        if (auto e = build_evidence(*st.store, ct); e.ok()) n.evidence = e.value();
        else fail(e.error());
      }
  } else if (auto* x = std::get_if<cmd::SaveContribution>(&c)) {
    Status s;
    if (x->c.id == 0) {
      if (auto id = st.store->add_contribution(x->c); !id.ok()) s = id.error();
    } else {
      s = st.store->update_contribution(x->c);
    }
    if (s.ok()) s = refresh_journal();
    if (s.ok()) say(n, x->c.id == 0 ? "Contribution saved." : "Changes saved.");
    else fail(s.error());
  } else if (auto* x = std::get_if<cmd::DeleteContribution>(&c)) {
    Status s = st.store->delete_contribution(x->id);
    if (s.ok()) s = refresh_journal();
    if (s.ok()) {
      n.evidence.reset();
      say(n, "Contribution deleted.");
    } else fail(s.error());
  } else if (auto* x = std::get_if<cmd::AddOutcome>(&c)) {
    x->o.time = clock_.now();
    Status s = st.store->add_outcome(x->o);
    if (s.ok()) s = refresh_journal();
    if (s.ok()) say(n, "Noted. Thank you for looking back.");
    else fail(s.error());
  } else if (auto* x = std::get_if<cmd::AddGoal>(&c)) {
    x->first.time = clock_.now();
    auto r = st.store->add_goal(x->first, clock_.now());
    Status s = r.ok() ? refresh_journal() : Status(r.error());
    if (s.ok()) say(n, "Goal added.");
    else fail(s.error());
  } else if (auto* x = std::get_if<cmd::ReviseGoal>(&c)) {
    x->revision.time = clock_.now();
    Status s = st.store->revise_goal(x->id, x->revision);
    if (s.ok()) s = refresh_journal();
    if (s.ok()) say(n, "Goal revised; the earlier version stays in its history.");
    else fail(s.error());
  } else if (auto* x = std::get_if<cmd::SaveReflection>(&c)) {
    x->r.updated = clock_.now();
    Status s = st.store->put_reflection(x->r);
    if (s.ok()) {
      (void)st.rebuild_week();
      say(n, x->r.skipped ? "Skipped this week. That is fine." : "Reflection saved.");
    } else fail(s.error());
  } else if (auto* x = std::get_if<cmd::SetSource>(&c)) {
    auto r = x->on ? consent::grant(paths_.config, x->source, clock_.now())
                   : consent::revoke(paths_.config, x->source, false, clock_.now());
    if (!r.ok()) fail(r.error());
    else say(n, std::string(records::source_name(x->source)) + (x->on ? " is on." : " is off. Nothing more is collected from it."));
    n.consent = build_consent(paths_, &*st.store);
  } else if (auto* x = std::get_if<cmd::DeleteSourceData>(&c)) {
    Status s = st.store->delete_source_data(x->source, clock_.now());
    // The day strips were read from the deleted records: read them again.
    st.timelines.clear();
    st.drop_weeks();
    st.plan_warmup(st.week, today);
    if (s.ok()) s = refresh_journal();
    if (s.ok()) {
      say(n, std::string("Deleted the stored data of ") + records::source_name(x->source) + ".");
    } else fail(s.error());
    n.consent = build_consent(paths_, &*st.store);
  } else if (auto* x = std::get_if<cmd::BuildReview>(&c)) {
    st.review_from = std::min(x->from_day, x->to_day);
    st.review_to = std::max(x->from_day, x->to_day);
    if (n.year) n.review = build_review_part(st.journal, *n.year, st.review_from, st.review_to);
  } else if (auto* x = std::get_if<cmd::ExportReview>(&c)) {
    if (!n.review) return;
    std::error_code ec;
    auto parent = x->file.parent_path();
    if (x->file.empty() || x->file.filename().empty()) say(n, "Choose a file name for the export.", true);
    else if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      say(n, "The folder " + parent.string() + " does not exist.", true);
    else if (auto s = fs::write_file_atomic(x->file, review_markdown(*n.review)); !s.ok()) fail(s.error());
    else say(n, "Exported to " + x->file.string() + " (plain text, readable by anyone with access to that file).");
  } else if (auto* x = std::get_if<cmd::JoinPlan>(&c)) {
    if (!st.share) return;
    Status s = x->join ? st.share->join(x->plan_id) : st.share->leave(x->plan_id);
    if (s.ok()) say(n, x->join ? "You joined the plan. Each report will still wait for your approval."
                               : "You declined the plan. No reports will be prepared for it.");
    else fail(s.error());
    n.sharing = build_sharing(*st.share, *st.store);
  } else if (auto* x = std::get_if<cmd::DecideReport>(&c)) {
    if (!st.share) return;
    Status s = x->approve ? st.share->approve(x->report_id) : st.share->decline(x->report_id);
    if (s.ok()) say(n, x->approve ? "Approved. The report waits in the outbox and leaves at the next sync."
                                  : "Declined. The report's bytes were erased and will never leave.");
    else fail(s.error());
    n.sharing = build_sharing(*st.share, *st.store);
  } else if (auto* x = std::get_if<cmd::SetAutolock>(&c)) {
    int m = std::clamp(x->minutes, 1, 240);
    if (auto s = st.store->set_setting(kAutolockKey, std::to_string(m)); s.ok()) n.autolock_minutes = m;
    else fail(s.error());
  }
  publish();
}

}  // namespace cairn::ui

// The worker's session (see worker.hpp): creating the vault, unlocking it (open the store, import
// what the daemon sealed into the inbox, load every part), onboarding, the auto-lock setting and
// locking, which overwrites what was decrypted before it is freed.
#include <cstdlib>

#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/import/import.hpp"
#include "format.hpp"
#include "scrub.hpp"
#include "worker.hpp"
#include "worker_state.hpp"

namespace cairn::ui {

namespace {
constexpr const char* kAutolockKey = "panel.autolock_minutes";
constexpr std::size_t kListedImportProblems = 8;  // more are summed up as "and N more"
}  // namespace

Status Worker::open_store() {
  State& st = *state_;
  std::error_code ec;
  auto mode = std::filesystem::exists(paths_.store(), ec) ? store::Store::Mode::open_existing : store::Store::Mode::create;
  auto key = st.keys->store_key();
  st.store.emplace(CAIRN_TRY(store::Store::open(paths_.store(), key, mode)));
  return ok_status();
}

void Worker::import_inbox() {
  State& st = *state_;
  Snapshot& n = st.next;
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
  if (!rep.ok()) {
    say(n, "Some collected data could not be imported: " + safe_outside_text(rep.error().message), true);
  } else if (!rep->problems.empty()) {
    // Batches set aside or a summary that could not be rebuilt: the record still opens. Every
    // problem is listed (up to kListedImportProblems), not only the first.
    const auto count = rep->problems.size();
    say(n, count == 1 ? std::string("Importing what was collected met a problem:")
                      : "Importing what was collected met " + count_text(static_cast<std::int64_t>(count), "problem", "problems") + ":", true);
    n.message_lines = listed_lines(rep->problems, kListedImportProblems);
  }
  n.progress = -1;
}

Status Worker::load_all() {
  State& st = *state_;
  Snapshot& n = st.next;
  auto t0 = now_steady();
  st.live_begin(paths_);  // before the parts are read: what changes meanwhile is seen at the first poll
  st.journal = CAIRN_TRY(load_journal(*st.store));
  st.week = week_start_day(st.today);
  st.timelines.clear();
  st.drop_weeks();
  st.plan_warmup(st.week);
  n.year = CAIRN_TRY(build_year(*st.store, st.today));
  CAIRN_TRY(st.rebuild_week());
  n.contributions = build_contributions(st.journal, st.today);
  n.goals = build_goals(st.journal, st.today);
  n.skills = build_skills(st.journal, st.today);
  st.review_from = st.today - 182;
  st.review_to = st.today;
  n.review = build_review_part(st.journal, *n.year, st.review_from, st.review_to);
  n.consent = build_consent(paths_, &*st.store);
  st.open_share(paths_, clock_, true);
  st.rebuild_sharing_status(paths_, clock_);
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
}

void Worker::lock() {
  State& st = *state_;
  Snapshot& n = st.next;
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
  st.live_end();
  st.close_share();
  Snapshot fresh;
  fresh.version = n.version;
  fresh.message_id = n.message_id;
  std::error_code ec;
  fresh.phase = std::filesystem::exists(paths_.vault(), ec) ? Phase::locked : Phase::no_vault;
  fresh.consent = build_consent(paths_, nullptr);
  n = std::move(fresh);
  st.journal = Journal{};
  st.store.reset();
  st.keys.reset();
}

bool Worker::handle(cmd::CreateVault& x) {
  State& st = *state_;
  Snapshot& n = st.next;
  n.phase = Phase::working;
  n.progress_label = "Creating your vault\xE2\x80\xA6";
  say(n, "");
  publish();
  // A first run may have no data folder yet: create it private (0700) before the vault.
  Status dirs = fs::ensure_private_dir(paths_.data);
  if (dirs.ok()) dirs = fs::ensure_private_dir(paths_.config);
  auto created = dirs.ok() ? crypto::vault_create(paths_.vault(), x.passphrase, crypto::default_vault_params(), clock_.now())
                           : Result<crypto::CreatedVault>(dirs.error());
  if (!created.ok()) {
    n.phase = Phase::no_vault;
    say(n, created.error().message, true);
    return true;
  }
  st.keys.emplace(std::move(created.value().keys));
  n.recovery_code = std::make_shared<const crypto::SecretBytes>(std::move(created.value().recovery_code));
  n.weak_kdf = crypto::is_weak(created.value().info.params);
  if (auto s = open_store(); !s.ok()) {
    say(n, s.error().message, true);
    n.phase = Phase::no_vault;
  } else {
    n.phase = Phase::recovery_code;
  }
  return true;
}

bool Worker::handle(cmd::RecoverySaved&) {
  State& st = *state_;
  st.next.recovery_code.reset();
  st.next.phase = Phase::onboarding;
  st.next.consent = build_consent(paths_, st.store ? &*st.store : nullptr);
  return true;
}

bool Worker::handle(cmd::FinishOnboarding&) {
  State& st = *state_;
  if (!st.store) return false;
  if (auto s = load_all(); !s.ok()) say(st.next, s.error().message, true);
  st.next.phase = Phase::unlocked;
  say(st.next, "Your record is ready. Nothing is collected until you turn a source on.");
  return true;
}

bool Worker::handle(cmd::Unlock& x) {
  State& st = *state_;
  Snapshot& n = st.next;
  n.phase = Phase::working;
  n.progress = -1;
  n.progress_label = "Opening your vault\xE2\x80\xA6";
  say(n, "");
  publish();
  auto t0 = now_steady();
  auto keys = x.recovery_code ? crypto::vault_unlock_recovery(paths_.vault(), x.secret)
                              : crypto::vault_unlock(paths_.vault(), x.secret);
  auto t1 = now_steady();
  if (!keys.ok()) {
    n.phase = Phase::locked;
    if (keys.error().code == Errc::wrong_secret)
      say(n, x.recovery_code ? "That recovery code did not open the vault. Check it and try again."
                             : "That passphrase did not open the vault. Check caps lock and try again.",
          true);
    else say(n, keys.error().message, true);
    return true;
  }
  st.keys.emplace(std::move(keys.value()));
  Status s = open_store();
  auto t2 = now_steady();
  if (s.ok()) import_inbox();
  auto t3 = now_steady();
  if (s.ok()) s = load_all();
  if (!s.ok()) {
    lock();
    say(n, s.error().message, true);
  } else {
    n.phase = Phase::unlocked;
    n.weak_kdf = false;
    if (auto pub = crypto::vault_read_public(paths_.vault()); pub.ok()) n.weak_kdf = crypto::is_weak(pub.value().params);
  }
  std::lock_guard lk(mu_);
  timings_.kdf_ms = Ms(t1 - t0).count();
  timings_.open_ms = Ms(t2 - t1).count();
  timings_.import_ms = Ms(t3 - t2).count();
  return true;
}

bool Worker::handle(cmd::Lock&) {
  lock();
  return true;
}

bool Worker::handle(cmd::SetAutolock& x) {
  State& st = *state_;
  if (!st.store) return false;
  int m = std::clamp(x.minutes, 1, 240);
  if (auto s = st.store->set_setting(kAutolockKey, std::to_string(m)); s.ok()) st.next.autolock_minutes = m;
  else say(st.next, s.error().message, true);
  return true;
}

}  // namespace cairn::ui

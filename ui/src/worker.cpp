// The worker thread (see worker.hpp): the queue, the run loop, publishing snapshots and handing
// each command to its handler. The handlers live in worker_session.cpp, worker_journal.cpp,
// worker_sharing.cpp and worker_weeks.cpp, the live record in worker_live.cpp; all Store and key
// handling of the panel happens there.
#include "worker.hpp"

#include <variant>

#include "worker_state.hpp"

namespace cairn::ui {

namespace {

std::int64_t today_of(const Clock& clock) {
  auto t = clock.now();
  return local_day(t, clock.utc_offset(t));
}

}  // namespace

void say(Snapshot& s, std::string text, bool error) {
  if (!text.empty()) ++s.message_id;
  s.message = std::move(text);
  s.message_is_error = error;
  s.message_lines.clear();
}

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
      if (!background) {
        // Asleep until a command comes, or (unlocked) until the next look for changes elsewhere.
        const auto asked = [&] { return stop_ || !queue_.empty(); };
        if (state_->live.on || !state_->live.retiring.empty()) cv_.wait_until(lk, state_->live.next_poll, asked);
        else cv_.wait(lk, asked);
      }
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
    // Changes made elsewhere first (at most every kLivePoll), then one small piece of background
    // work; then the queue again, so a command never waits for more than one piece.
    if (live_due()) {
      {
        std::lock_guard lk(mu_);
        busy_ = true;
      }
      live_step();
      std::lock_guard lk(mu_);
      busy_ = false;
    }
    background = idle_step();
  }
  // Leaving: drop the connection and the keys (their memory is wiped by SecretBytes).
  state_.reset();
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

void Worker::apply(cmd::Command& c) {
  State& st = *state_;
  st.today = today_of(clock_);
  st.next.today = st.today;
  st.next.utc_offset = clock_.utc_offset(clock_.now());
  say(st.next, "");  // a message belongs to the command that produced it
  // Commands other than the session's need an unlocked store; their handlers drop a late click
  // after a lock without publishing.
  if (std::visit([this](auto& x) { return handle(x); }, c)) publish();
}

}  // namespace cairn::ui

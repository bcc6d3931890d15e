// The release schedule's thread: see scheduler.hpp.
#include "cairn/aggregator/scheduler.hpp"

namespace cairn::aggregator {

Scheduler::Scheduler(Aggregator& aggregator, const Clock& clock, std::int64_t grace_seconds, Log log,
                     std::chrono::milliseconds interval)
    : aggregator_(aggregator), clock_(clock), grace_(grace_seconds), log_(std::move(log)), interval_(interval) {
  thread_ = std::thread([this] { loop(); });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void Scheduler::tick() {
  auto say = [this](const std::string& line) {
    if (logged_.insert(line).second) log_(line);
  };
  auto due = aggregator_.release_due(clock_.now(), grace_);
  if (!due.ok()) {
    say("release schedule: " + due.error().message);
    return;
  }
  for (const auto& d : *due)
    say("release " + d.plan_id + " " + d.period + ": " + (d.released ? "released, " : "not released, ") + d.message);
}

}  // namespace cairn::aggregator

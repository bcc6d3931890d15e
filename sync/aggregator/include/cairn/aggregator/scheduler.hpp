// The leader's release schedule as a thread (`cairn-aggregator serve --release-after-hours`):
// right away and then every `interval`, release the periods that are over at clock.now()
// (Aggregator::release_due). Each distinct outcome goes to `log` once: plan, period and n or the
// reason, never a value. Time comes from the Clock given, so tests run it on a fake clock.
//
// Thread safety: the Scheduler owns its thread; the destructor stops and joins it. The Aggregator
// and the Clock must outlive it (Aggregator is internally locked; the Clock's now() must be
// safe to call from another thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "cairn/aggregator/aggregator.hpp"
#include "cairn/base/clock.hpp"

namespace cairn::aggregator {

class Scheduler {
 public:
  using Log = std::function<void(const std::string& line)>;
  Scheduler(Aggregator& aggregator, const Clock& clock, std::int64_t grace_seconds, Log log,
            std::chrono::milliseconds interval = std::chrono::seconds(60));
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

 private:
  void loop();
  void tick();
  Aggregator& aggregator_;
  const Clock& clock_;
  const std::int64_t grace_;
  const Log log_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::set<std::string> logged_;  // only the scheduler's thread touches it
  std::thread thread_;
};

}  // namespace cairn::aggregator

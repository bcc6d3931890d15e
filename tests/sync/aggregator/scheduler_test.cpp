// The release schedule's thread, in-process on a fake clock: nothing is released before the
// period ended plus the grace; once the clock passes it, the thread releases it and logs it once.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "cairn/aggregator/scheduler.hpp"
#include "cairn/base/clock.hpp"
#include "fixture.hpp"

using namespace cairn;
using test::Pair;

namespace {

// A clock the test moves while the scheduler's thread reads it.
class AtomicClock final : public Clock {
 public:
  explicit AtomicClock(std::int64_t t) : now_(t) {}
  std::int64_t now() const override { return now_.load(); }
  std::int32_t utc_offset(std::int64_t) const override { return 0; }
  void set(std::int64_t t) { now_.store(t); }

 private:
  std::atomic<std::int64_t> now_;
};

class Lines {
 public:
  void add(const std::string& l) {
    std::lock_guard lock(mu_);
    lines_.push_back(l);
  }
  std::vector<std::string> get() {
    std::lock_guard lock(mu_);
    return lines_;
  }
  // Waits up to 20 s for n lines.
  bool wait_for(std::size_t n) {
    for (int i = 0; i < 2000; ++i) {
      if (get().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

}  // namespace

TEST_CASE("the scheduler thread releases a period once the fake clock passes its end plus the grace") {
  Pair p("sched_thread", 3, 3);
  for (std::size_t i = 0; i < 3; ++i) REQUIRE(p.upload(p.report(i, 600, "2026-11")).status == 201);
  const std::int64_t november_ends = days_from_civil(2026, 12, 1) * 86400, grace = 72 * 3600;
  AtomicClock clock(november_ends + grace - 1);
  Lines lines;
  {
    aggregator::Scheduler s(*p.leader, clock, grace, [&](const std::string& l) { lines.add(l); },
                            std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // many ticks, all too early
    CHECK(lines.get().empty());
    CHECK(p.leader->results(p.plan.id, std::string("2026-11")).value().empty());
    clock.set(november_ends + grace);
    REQUIRE(lines.wait_for(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // more ticks: nothing new to say
  }
  const auto got = lines.get();
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "release " + p.plan.id + " 2026-11: released, n = 3");
  CHECK(p.leader->results(p.plan.id, std::string("2026-11")).value().size() == 1);
}

TEST_CASE("the scheduler logs a refusal once, however often it ticks") {
  Pair p("sched_helper", 3, 3);
  AtomicClock clock(0);
  Lines lines;
  {
    aggregator::Scheduler s(*p.helper, clock, 0, [&](const std::string& l) { lines.add(l); }, std::chrono::milliseconds(5));
    REQUIRE(lines.wait_for(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto got = lines.get();
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "release schedule: the leader releases results");
}

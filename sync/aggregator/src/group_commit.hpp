// Group commit: concurrent callers hand in one item each; one of them (whichever finds no batch in
// progress) takes every item waiting and runs the batch for all of them, while the others wait.
// Under load, the reports arriving while one batch is with the helper and in SQLCipher form the
// next batch, so the fixed costs (one org signature, one HTTP round trip, one COMMIT with its
// fsync) are paid per batch, not per report. With a single caller a batch is that one item, so
// nothing waits for company.
//
// Thread safety: submit() may be called from any number of threads. `run` must not throw.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

namespace cairn::aggregator {

template <class Item>
class GroupCommit {
 public:
  // A batch takes items while count <= max_items and the sum of size(item) <= max_bytes (always at
  // least one item).
  // At most `max_running` batches run at once (1: strictly one after another).
  GroupCommit(std::size_t max_items, std::size_t max_bytes, std::size_t max_running = 1)
      : max_items_(max_items), max_bytes_(max_bytes), max_running_(max_running) {}

  // Returns once `item` has been part of a batch passed to run(std::vector<Item*>&), on this
  // thread or on another caller's.
  template <class Size, class Run>
  void submit(Item& item, Size&& size, Run&& run) {
    Slot slot{&item, true, false};
    std::unique_lock lock(mu_);
    queue_.push_back(&slot);
    while (!slot.done) {
      if (running_ >= max_running_ || !slot.queued) {
        cv_.wait(lock);
        continue;
      }
      ++running_;
      std::vector<Slot*> batch;
      std::size_t bytes = 0;
      while (!queue_.empty() && batch.size() < max_items_) {
        const std::size_t s = size(*queue_.front()->item);
        if (!batch.empty() && bytes + s > max_bytes_) break;
        bytes += s;
        batch.push_back(queue_.front());
        queue_.front()->queued = false;
        queue_.pop_front();
      }
      lock.unlock();
      std::vector<Item*> items;
      items.reserve(batch.size());
      for (Slot* s : batch) items.push_back(s->item);
      run(items);
      lock.lock();
      for (Slot* s : batch) s->done = true;
      --running_;
      cv_.notify_all();
    }
  }

 private:
  struct Slot {
    Item* item;
    bool queued;  // not yet taken into a batch
    bool done;
  };
  const std::size_t max_items_, max_bytes_, max_running_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Slot*> queue_;
  std::size_t running_ = 0;
};

}  // namespace cairn::aggregator

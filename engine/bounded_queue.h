// BoundedQueue: a blocking FIFO between two threads, bounded by item count and by bytes.
//
// Push waits while the queue is full, so a slow consumer slows the producer instead of growing
// memory. Close() wakes both sides: Push then fails, Pop drains what is left and then fails.
// Thread-safety: any number of producers and consumers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace litehouse::internal {

template <typename T>
class BoundedQueue {
 public:
  // max_bytes counts what the caller says each item costs (0 = count items only).
  explicit BoundedQueue(size_t max_items, size_t max_bytes = 0) : max_items_(max_items), max_bytes_(max_bytes) {}

  // Waits for room; false if the queue was closed. An item larger than max_bytes is let in
  // alone (when the queue is empty), so it cannot block forever.
  bool Push(T item, size_t bytes = 0) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] {
      return closed_ || items_.empty() ||
             (items_.size() < max_items_ && (max_bytes_ == 0 || bytes_ + bytes <= max_bytes_));
    });
    if (closed_) return false;
    items_.push_back({std::move(item), bytes});
    bytes_ += bytes;
    not_empty_.notify_one();
    return true;
  }

  bool Pop(T* out) { return PopUntil(out, std::chrono::steady_clock::time_point::max()); }

  // Waits until an item arrives or `deadline` passes; false on timeout or when closed and empty.
  bool PopUntil(T* out, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    auto ready = [&] { return closed_ || !items_.empty(); };
    if (deadline == std::chrono::steady_clock::time_point::max()) {
      not_empty_.wait(lock, ready);
    } else if (!not_empty_.wait_until(lock, deadline, ready)) {
      return false;
    }
    if (items_.empty()) return false;
    *out = std::move(items_.front().item);
    bytes_ -= items_.front().bytes;
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }

  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }
  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_;
  }

 private:
  struct Entry {
    T item;
    size_t bytes;
  };
  mutable std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Entry> items_;
  const size_t max_items_, max_bytes_;
  size_t bytes_ = 0;
  bool closed_ = false;
};

}  // namespace litehouse::internal

// The small pieces of the live loop: the bounded queue between threads, and the histogram
// behind the whole-run freshness percentiles.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "engine/bounded_queue.h"
#include "engine/log_histogram.h"

namespace litehouse::internal {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, ProducerWaitsWhileFullByCountAndBytes) {
  BoundedQueue<std::string> q(3, 100);
  ASSERT_TRUE(q.Push("a", 10));
  ASSERT_TRUE(q.Push("b", 80));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.Push("c", 20);  // 110 bytes > 100: must wait
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(pushed.load());
  std::string out;
  ASSERT_TRUE(q.Pop(&out));
  EXPECT_EQ(out, "a");
  producer.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(q.bytes(), 100u);
  EXPECT_EQ(q.size(), 2u);
}

TEST(BoundedQueue, OversizedItemPassesAloneAndCloseWakesEveryone) {
  BoundedQueue<int> q(10, 100);
  ASSERT_TRUE(q.Push(1, 500));  // larger than the bound, but the queue is empty
  std::thread closer([&] {
    std::this_thread::sleep_for(30ms);
    q.Close();
  });
  EXPECT_FALSE(q.Push(2, 1));  // waits (full by bytes) until Close
  closer.join();
  int v = 0;
  EXPECT_TRUE(q.Pop(&v));  // what was queued is still delivered
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(q.Pop(&v));
}

TEST(BoundedQueue, PopUntilTimesOut) {
  BoundedQueue<int> q(1);
  int v = 0;
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(q.PopUntil(&v, start + 30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST(LogHistogram, QuantilesWithinOnePercent) {
  LogHistogram h;
  EXPECT_EQ(h.Quantile(0.5), -1);
  for (int i = 1; i <= 10000; ++i) h.Add(i);
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_NEAR(h.Quantile(0.5), 5000, 5000 * 0.011);
  EXPECT_NEAR(h.Quantile(0.99), 9900, 9900 * 0.011);
  EXPECT_NEAR(h.Quantile(1.0), 10000, 10000 * 0.011);
  LogHistogram zeros;
  zeros.Add(0);
  zeros.Add(-5);  // clamped: freshness can read slightly negative across clocks
  EXPECT_LT(zeros.Quantile(1.0), 0.02);
}

}  // namespace
}  // namespace litehouse::internal

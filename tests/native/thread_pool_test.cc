#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace zk {

TEST(BackgroundTask, RunsAndWaits) {
  std::atomic<int> ran{0};
  {
    BackgroundTask task([&] { ran++; });
    task.wait();
    EXPECT_EQ(ran.load(), 1);
    task.wait();  // waiting again is harmless
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(BackgroundTask, ManyAtOnceMoreThanThePoolHasThreads) {
  set_max_threads(2);
  std::atomic<int> ran{0};
  std::vector<std::unique_ptr<BackgroundTask>> tasks;
  for (int i = 0; i < 16; ++i) tasks.push_back(std::make_unique<BackgroundTask>([&] { ran++; }));
  tasks.clear();  // destructors wait
  EXPECT_EQ(ran.load(), 16);
}

TEST(StartThreads, StartsOnceAndTheSharedWorkersStillRun) {
  set_max_threads(2);
  start_threads();
  start_threads();  // a second call starts nothing new
  std::atomic<int> ran{0};
  {
    BackgroundTask task([&] { ran++; });
  }
  std::mutex mutex;
  std::condition_variable cv;
  run_detached([&] {
    std::lock_guard<std::mutex> lock(mutex);
    ran++;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, [&] { return ran.load() == 2; });
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace zk

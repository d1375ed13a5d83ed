#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
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

}  // namespace zk

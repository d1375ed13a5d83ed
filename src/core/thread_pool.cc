#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "common/pool.h"  // POOL_add: ZSTD_threadPool is libzstd's POOL_ctx

namespace zk {
namespace {
std::atomic<size_t> g_max_threads{0};
}

bool threads_supported() {
#ifdef ZSTD_MULTITHREAD
  return true;
#else
  return false;
#endif
}

size_t max_threads() {
  if (!threads_supported()) return 1;
  size_t n = g_max_threads.load();
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  return n;
}

void set_max_threads(size_t n) { g_max_threads.store(std::max<size_t>(1, n)); }

int resolve_threads(int requested) {
  if (!threads_supported() || requested == 0) return 0;
  size_t cap = max_threads();
  return static_cast<int>(requested < 0 ? cap : std::min<size_t>(static_cast<size_t>(requested), cap));
}

ZSTD_threadPool* shared_zstd_pool() {
  if (!threads_supported()) return nullptr;
  // Intentionally never freed: its threads live as long as the process (or wasm instance).
  static ZSTD_threadPool* pool = ZSTD_createThreadPool(max_threads());
  return pool;
}

BackgroundTask::BackgroundTask(std::function<void()> fn) : fn_(std::move(fn)) {
  ZSTD_threadPool* pool = shared_zstd_pool();
  if (pool == nullptr) {
    run(this);
    return;
  }
  POOL_add(pool, &BackgroundTask::run, this);
}

BackgroundTask::~BackgroundTask() { wait(); }

void BackgroundTask::run(void* self) {
  auto* task = static_cast<BackgroundTask*>(self);
  task->fn_();
  std::lock_guard<std::mutex> lock(task->mutex_);
  task->done_ = true;
  task->done_cv_.notify_all();
}

void BackgroundTask::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait(lock, [this] { return done_; });
}

}  // namespace zk

#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <deque>
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

SharedWork::SharedWork(size_t helpers, std::function<void()> work) : work_(std::move(work)) {
  pool_ = shared_zstd_pool();
  if (pool_ != nullptr) {
    to_recruit_ = helpers;
    recruit();
  }
}

SharedWork::~SharedWork() { finish(); }

void SharedWork::recruit() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (to_recruit_ == 0) return;
    --to_recruit_;
    ++running_;
  }
  // POOL_tryAdd only succeeds while a pool thread is idle, so the helper starts promptly.
  if (!POOL_tryAdd(pool_, &SharedWork::helper, this)) {
    std::lock_guard<std::mutex> lock(mutex_);
    --running_;
    to_recruit_ = 0;
    done_cv_.notify_all();
  }
}

void SharedWork::helper(void* self) {
  auto* shared = static_cast<SharedWork*>(self);
  shared->recruit();
  shared->work_();
  std::lock_guard<std::mutex> lock(shared->mutex_);
  --shared->running_;
  shared->done_cv_.notify_all();  // under the lock: the owner may destroy *shared once it sees 0
}

void SharedWork::finish() {
  if (finished_) return;
  finished_ = true;
  work_();
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait(lock, [this] { return running_ == 0; });
}

namespace {

class JobRunner {
 public:
  void add(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_) {
      std::thread([this] { loop(); }).detach();
      started_ = true;
    }
    jobs_.push_back(std::move(job));
    cv_.notify_one();
  }

 private:
  void loop() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool started_ = false;
};

JobRunner& job_runner() {
  // Intentionally never destroyed: its thread waits on it for the life of the process.
  static JobRunner* runner = new JobRunner();
  return *runner;
}

}  // namespace

void run_detached(std::function<void()> job) {
  if (!threads_supported()) {
    job();
    return;
  }
  job_runner().add(std::move(job));
}

void start_threads() {
  if (!threads_supported()) return;
  shared_zstd_pool();
  // An empty job starts the runner's thread, and allocates its queue's first block, now.
  job_runner().add([] {});
}

BackgroundTask::BackgroundTask(std::function<void()> fn) : fn_(std::move(fn)) {
  ZSTD_threadPool* pool = shared_zstd_pool();
  if (pool == nullptr || !POOL_tryAdd(pool, &BackgroundTask::run, this)) run(this);
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

// The one pool of worker threads that every multi-threaded operation shares. Its size is fixed
// at first use; in wasm each thread occupies a pre-loaded pthread worker, so capping the pool
// is what keeps synchronous calls from waiting on a worker that can never start.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

namespace zk {

// True when this build can run zstd workers (ZSTD_MULTITHREAD).
bool threads_supported();

// Most threads one operation may use; set once by the host before the pool is first used.
size_t max_threads();
void set_max_threads(size_t n);

// Resolves a user's thread count to zstd workers: 0 -> 0, -1 -> max_threads(), else clamped to
// max_threads(); always 0 when threads are not supported.
int resolve_threads(int requested);

// The shared pool (created on first call), or nullptr when threads are not supported.
ZSTD_threadPool* shared_zstd_pool();

// Runs work() on up to `helpers` pool threads that are idle right now (started by the
// constructor) and on the calling thread (finish(), or the destructor), which then waits for
// them. A busy pool lends fewer helpers (none without threads), so work() must share out what
// is left: each call takes pieces until none remain. Never waits for a pool thread to become
// free: no deadlock. Between the two steps the caller may prepare what the helpers wait for.
class SharedWork {
 public:
  SharedWork(size_t helpers, std::function<void()> work);
  ~SharedWork();
  SharedWork(const SharedWork&) = delete;
  SharedWork& operator=(const SharedWork&) = delete;

  void finish();

 private:
  // Asks the pool for one more helper. Each helper recruits the next as it starts: the pool's
  // one-slot queue takes a new task only once the previous one has been picked up.
  void recruit();
  static void helper(void* self);

  std::function<void()> work_;
  ZSTD_threadPool* pool_ = nullptr;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  size_t to_recruit_ = 0;
  size_t running_ = 0;
  bool finished_ = false;
};

// Runs jobs one after another on a dedicated thread (started on first use), so the thread
// that queues them, such as a browser's main thread, never waits for them. Without threads,
// the job runs inline before this returns.
void run_detached(std::function<void()> job);

// Starts the shared pool's threads and run_detached()'s now rather than on first use. Each
// thread's stack (and the job queue's first block) lives for ever: made before the first large
// call, they sit low in the heap instead of inside the space a large call frees, which the next
// large call could then no longer reuse (the wasm heap would grow for good). Call it after
// set_max_threads().
void start_threads();

// Runs a function on the shared pool while the caller does something else; wait() (or the
// destructor) blocks until it has run. Without threads, or when no pool thread is idle, the
// function runs inline, at once.
class BackgroundTask {
 public:
  explicit BackgroundTask(std::function<void()> fn);
  ~BackgroundTask();
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  void wait();

 private:
  static void run(void* self);

  std::function<void()> fn_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
};

}  // namespace zk

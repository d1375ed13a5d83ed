// Batch compression and decompression (python-zstandard's multi_compress_to_buffer /
// multi_decompress_to_buffer): many independent items, each its own frame. The items are cut
// into contiguous, byte-balanced ranges (many per thread, taken by whichever thread is free, so
// no thread idles long at the end); each range writes into its own output BufferWithSegments,
// and the outputs form one collection in input order. Each worker thread has one context,
// reused for every range it takes.
//
// A job is self-contained (it copies its options and shares ownership of its input), so it can
// run on another thread while the objects that made it are used or freed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "buffer.h"
#include "compressor.h"
#include "decompressor.h"
#include "error.h"
#include "segments.h"
#include "thread_pool.h"

namespace zk {

// Threads a batch may use: 0 and 1 -> 1, -1 -> max_threads(), n -> min(n, max_threads());
// 1 when the build has no threads.
size_t resolve_batch_threads(int requested);

class BatchJob {
 public:
  virtual ~BatchJob() = default;  // after finish(), if begin() was called
  BatchJob(const BatchJob&) = delete;
  BatchJob& operator=(const BatchJob&) = delete;

  // Does all the work: the calling thread and idle pool threads take ranges until none is left.
  void run() {
    begin();
    finish();
  }
  // run() in two steps: begin() starts the pool helpers, finish() has the calling thread work
  // too and returns when everything is done.
  void begin();
  void finish();

  // For input still being written while the job runs (items in order): after hold_input(), a
  // range starts only once release_input(n) has said its items are among the first n. Lets
  // helpers start on the first items while the caller copies in the rest.
  void hold_input();
  void release_input(size_t n);

  // Does about `budget` bytes of work (at least one item) on the calling thread alone; true
  // once the job is finished. Lets a single-threaded host yield between slices.
  bool step(size_t budget);

  // run() on the job thread (thread_pool.h run_detached), so the calling thread never waits;
  // `done` runs on that thread once the job is finished. Without threads it all runs inline.
  void run_detached(std::function<void()> done);

  size_t items() const { return input_.length(); }

  // After run() or the last step(): the outputs in input order, or the error of the lowest
  // failing item ("item k: ..."). Call once.
  Result<BufferWithSegmentsCollection> take_result();

 protected:
  struct Range {
    size_t begin = 0, end = 0;  // items [begin, end)
    size_t next = 0;            // next item to do (step mode)
    uint64_t capacity = 0;      // output bytes to allocate
    Buffer out;
    size_t used = 0;
    std::vector<Segment> segments;
    Status status;
  };

  BatchJob(BufferWithSegmentsCollection input, size_t threads) : input_(std::move(input)), threads_(threads) {}

  // Cuts items into ranges of about equal weight(i) (several per thread, none lighter than is
  // worth a handoff); capacity(i) bytes of output each.
  void plan(const std::vector<uint64_t>& weight, const std::vector<uint64_t>& capacity);

  // Per range, on worker `w` (0 .. workers() - 1; one thread at a time per worker): set up
  // (output memory, the worker's context on its first range), then one item at a time
  // (appending to out).
  virtual Status begin_range(size_t r, size_t w) = 0;
  virtual Status process(size_t r, size_t w, size_t item) = 0;

  // Most workers a job has: one context each.
  size_t workers() const { return threads_; }

  const BufferWithSegmentsCollection& input() const { return input_; }
  Range& range(size_t r) { return ranges_[r]; }
  size_t range_count() const { return ranges_.size(); }

 private:
  void run_range(size_t r, size_t w);
  void wait_for_input(size_t end);
  // True when item i may be skipped: an earlier item has already failed.
  bool after_failure(size_t i) const { return i > first_failure_.load(std::memory_order_relaxed); }
  void record_failure(Range& range, size_t item, const Status& status);

  BufferWithSegmentsCollection input_;
  size_t threads_;
  std::vector<Range> ranges_;
  std::atomic<size_t> next_range_{0};
  std::atomic<size_t> next_worker_{0};
  std::atomic<size_t> first_failure_{SIZE_MAX};
  size_t step_range_ = 0;  // step mode: the range in progress
  bool step_begun_ = false;
  std::unique_ptr<SharedWork> shared_;
  std::mutex input_mutex_;
  std::condition_variable input_cv_;
  size_t input_ready_ = SIZE_MAX;
};

// Deletes a job safely whatever state it is in: input held back is released and pool helpers
// are waited for before it goes.
struct BatchJobDelete {
  void operator()(BatchJob* job) const noexcept;
};
using BatchJobPtr = std::unique_ptr<BatchJob, BatchJobDelete>;

// Creates a compression job: every item becomes one frame, compressed as `options` say (their
// threads field is ignored: batch contexts never start zstd workers of their own).
Result<BatchJobPtr> make_compress_job(const CompressorOptions& options, BufferWithSegmentsCollection input,
                                      int threads);

// Creates a decompression job. `sizes` (nullptr, or one per item) gives each item's decompressed
// size; otherwise each frame header must state it (content_size_unknown names the item).
Result<BatchJobPtr> make_decompress_job(const DecompressorOptions& options, BufferWithSegmentsCollection input,
                                        const uint64_t* sizes, size_t size_count, int threads);

}  // namespace zk

#include "batch.h"

#include <algorithm>
#include <string>

#include <zstd_errors.h>

#include "frame.h"
#include "thread_pool.h"

namespace zk {
namespace {

// A range smaller than this is not worth handing to another thread.
constexpr uint64_t kMinRangeWeight = 32 << 10;
// Ranges per thread: whoever finishes early takes another, so a late or slow thread does not
// hold up the rest, and the last range (what one thread may do alone at the end) is short.
// A range costs one output allocation; its context is the worker's, reused.
constexpr uint64_t kRangesPerThread = 16;
// Weight of an item beyond its bytes: the fixed cost of a frame.
constexpr uint64_t kItemOverhead = 64;

uint64_t saturating_add(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

std::string item_prefix(size_t i) { return "item " + std::to_string(i) + ": "; }

}  // namespace

size_t resolve_batch_threads(int requested) {
  if (!threads_supported() || (requested >= 0 && requested <= 1)) return 1;
  const size_t cap = max_threads();
  return requested < 0 ? cap : std::min<size_t>(static_cast<size_t>(requested), cap);
}

void BatchJob::plan(const std::vector<uint64_t>& weight, const std::vector<uint64_t>& capacity) {
  const size_t count = weight.size();
  uint64_t total = 0;
  for (uint64_t w : weight) total = saturating_add(total, w);
  size_t n = std::min<uint64_t>(
      {threads_ > 1 ? threads_ * kRangesPerThread : 1, count, std::max<uint64_t>(1, total / kMinRangeWeight)});
  ranges_.clear();
  ranges_.resize(n);
  size_t begin = 0;
  uint64_t done = 0;
  for (size_t k = 0; k < n; ++k) {
    Range& range = ranges_[k];
    range.begin = begin;
    const size_t last_end = count - (n - k - 1);  // leave an item for each range after this one
    const uint64_t goal = k + 1 == n ? UINT64_MAX : total / n * (k + 1);
    size_t end = begin;
    do {
      done = saturating_add(done, weight[end]);
      range.capacity = saturating_add(range.capacity, capacity[end]);
      ++end;
    } while (end < last_end && done < goal);
    range.end = end;
    begin = end;
  }
}

void BatchJob::begin() {
  const size_t n = ranges_.size();
  if (n == 0) return;
  shared_ = std::make_unique<SharedWork>(std::min(n, threads_) - 1, [this, n] {
    const size_t w = next_worker_.fetch_add(1);  // at most threads_ calls: helpers and the caller
    for (size_t r; (r = next_range_.fetch_add(1)) < n;) run_range(r, w);
  });
}

void BatchJob::finish() {
  if (shared_) shared_->finish();
  shared_.reset();
}

void BatchJob::hold_input() {
  std::lock_guard<std::mutex> lock(input_mutex_);
  input_ready_ = 0;
}

void BatchJob::release_input(size_t n) {
  std::lock_guard<std::mutex> lock(input_mutex_);
  input_ready_ = n;
  input_cv_.notify_all();
}

void BatchJob::wait_for_input(size_t end) {
  std::unique_lock<std::mutex> lock(input_mutex_);
  input_cv_.wait(lock, [this, end] { return input_ready_ >= end; });
}

void BatchJob::run_range(size_t r, size_t w) {
  Range& range = ranges_[r];
  wait_for_input(range.end);
  if (after_failure(range.begin)) return;
  Status st = begin_range(r, w);
  if (!st.ok()) {
    record_failure(range, range.begin, st);
    return;
  }
  for (size_t i = range.begin; i < range.end && !after_failure(i); ++i) {
    st = process(r, w, i);
    if (!st.ok()) {
      record_failure(range, i, st);
      break;
    }
  }
}

bool BatchJob::step(size_t budget) {
  uint64_t done = 0;
  while (step_range_ < ranges_.size()) {
    Range& range = ranges_[step_range_];
    if (!step_begun_) {
      step_begun_ = true;
      range.next = range.begin;
      Status st = begin_range(step_range_, 0);  // one worker: this thread
      if (!st.ok()) {
        record_failure(range, range.begin, st);
        range.next = range.end;
      }
    }
    // Items run in order here, so the first failure ends the job.
    if (range.next == range.end || !range.status.ok()) {
      step_begun_ = false;
      step_range_ = range.status.ok() ? step_range_ + 1 : ranges_.size();
      continue;
    }
    if (done >= budget) return false;
    const size_t i = range.next++;
    Status st = process(step_range_, 0, i);
    if (!st.ok()) record_failure(range, i, st);
    done += input_.item_size(i) + kItemOverhead;
  }
  return true;
}

void BatchJob::run_detached(std::function<void()> done) {
  zk::run_detached([this, done = std::move(done)] {
    run();
    done();
  });
}

void BatchJob::record_failure(Range& range, size_t item, const Status& status) {
  range.status = status;
  size_t seen = first_failure_.load();
  while (item < seen && !first_failure_.compare_exchange_weak(seen, item)) {
  }
}

Result<BufferWithSegmentsCollection> BatchJob::take_result() {
  // Ranges are in item order and none skips items before the first failure: the first range
  // with an error holds the lowest failing item.
  for (const Range& range : ranges_) {
    if (!range.status.ok()) return range.status;
  }
  std::vector<BufferWithSegments> buffers;
  buffers.reserve(ranges_.size());
  for (Range& range : ranges_) {
    Status st = range.out.resize(range.used);
    if (!st.ok()) return st;
    auto b = BufferWithSegments::owning(std::move(range.out), std::move(range.segments));
    if (!b.ok()) return b.status();
    buffers.push_back(std::move(b.value()));
  }
  ranges_.clear();
  return BufferWithSegmentsCollection(std::move(buffers));
}

namespace {

class CompressJob : public BatchJob {
 public:
  CompressJob(const CompressorOptions& options, BufferWithSegmentsCollection input, size_t threads)
      : BatchJob(std::move(input), threads), options_(options) {
    const size_t count = items();
    std::vector<uint64_t> weight(count), capacity(count);
    for (size_t i = 0; i < count; ++i) {
      const size_t size = this->input().item_size(i);
      weight[i] = size + kItemOverhead;
      capacity[i] = ZSTD_compressBound(size);
    }
    plan(weight, capacity);
    cctx_.resize(workers());
  }

 protected:
  Status begin_range(size_t r, size_t w) override {
    Range& range = this->range(r);
    if (!cctx_[w]) {
      auto cctx = create_cctx(options_, 0);
      if (!cctx.ok()) return cctx.status();
      cctx_[w] = std::move(cctx.value());
    }
    auto out = Buffer::allocate(range.capacity);
    if (!out.ok()) return out.status();
    range.out = std::move(out.value());
    range.segments.reserve(range.end - range.begin);
    return Status();
  }

  Status process(size_t r, size_t w, size_t item) override {
    Range& range = this->range(r);
    const size_t written = ZSTD_compress2(cctx_[w].get(), range.out.data() + range.used, range.out.size() - range.used,
                                          input().item_data(item), input().item_size(item));
    if (ZSTD_isError(written)) return Status::from_zstd(written).prefixed(item_prefix(item));
    range.segments.push_back({range.used, written});
    range.used += written;
    return Status();
  }

 private:
  CompressorOptions options_;
  std::vector<CCtxPtr> cctx_;  // per worker
};

// Decompressed size of frame `i` from its header; checks what one-shot decompression checks.
// (Runs once per item: the "item i: " prefix is only built for an error.)
Result<uint64_t> scan_frame(const DecompressorOptions& options, const uint8_t* src, size_t size, size_t i) {
  auto read = read_frame_header(src, size, options.format);
  if (!read.ok()) return read.status().prefixed(item_prefix(i));
  const ZSTD_frameHeader& header = read.value();
  if (header.frameType == ZSTD_skippableFrame) return 0;
  if (header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status(LibError::content_size_unknown,
                  item_prefix(i) + "frame does not state its content size: pass decompressedSizes");
  }
  Status window = check_window(header, options.max_window_size);
  if (!window.ok()) return window.prefixed(item_prefix(i));
  Status claimed = check_claimed_size(header.frameContentSize, size);
  if (!claimed.ok()) return claimed.prefixed(item_prefix(i));
  return header.frameContentSize;
}

class DecompressJob : public BatchJob {
 public:
  // Without sizes, ranges are balanced on compressed bytes and each range reads its frames'
  // headers itself, in parallel with the others.
  DecompressJob(const DecompressorOptions& options, BufferWithSegmentsCollection input, std::vector<uint64_t> sizes,
                size_t threads)
      : BatchJob(std::move(input), threads), options_(options), sizes_known_(!sizes.empty()), sizes_(std::move(sizes)) {
    const size_t count = items();
    if (!sizes_known_) sizes_.assign(count, 0);
    std::vector<uint64_t> weight(count);
    for (size_t i = 0; i < count; ++i) {
      const uint64_t compressed = this->input().item_size(i) + kItemOverhead;
      weight[i] = sizes_known_ ? saturating_add(sizes_[i], compressed) : compressed;
    }
    plan(weight, sizes_);
    dctx_.resize(workers());
  }

 protected:
  Status begin_range(size_t r, size_t w) override {
    Range& range = this->range(r);
    if (!sizes_known_) {
      for (size_t i = range.begin; i < range.end; ++i) {  // each range writes only its own sizes
        auto size = scan_frame(options_, input().item_data(i), input().item_size(i), i);
        if (!size.ok()) return size.status();
        sizes_[i] = size.value();
        range.capacity = saturating_add(range.capacity, size.value());
      }
    }
    if (!dctx_[w]) {
      auto dctx = create_dctx(options_);
      if (!dctx.ok()) return dctx.status();
      dctx_[w] = std::move(dctx.value());
    }
    auto out = Buffer::allocate(range.capacity);
    if (!out.ok()) return out.status();
    range.out = std::move(out.value());
    range.segments.reserve(range.end - range.begin);
    return Status();
  }

  Status process(size_t r, size_t w, size_t item) override {
    Range& range = this->range(r);
    const size_t expected = static_cast<size_t>(sizes_[item]);
    auto written = decompress_frames(dctx_[w].get(), options_.format, range.out.data() + range.used, expected,
                                     input().item_data(item), input().item_size(item));
    if (!written.ok()) return written.status().prefixed(item_prefix(item));
    Status decoded = check_decoded_size(written.value(), expected);
    if (!decoded.ok()) return decoded.prefixed(item_prefix(item));
    range.segments.push_back({range.used, written.value()});
    range.used += written.value();
    return Status();
  }

 private:
  DecompressorOptions options_;
  bool sizes_known_;
  std::vector<uint64_t> sizes_;
  std::vector<DCtxPtr> dctx_;  // per worker
};

}  // namespace

void BatchJobDelete::operator()(BatchJob* job) const noexcept {
  job->release_input(SIZE_MAX);  // nothing may still wait for input
  job->finish();                 // and the helpers must be done before the job goes
  delete job;
}

Result<BatchJobPtr> make_compress_job(const CompressorOptions& options, BufferWithSegmentsCollection input,
                                      int threads) {
  return BatchJobPtr(new CompressJob(options, std::move(input), resolve_batch_threads(threads)));
}

Result<BatchJobPtr> make_decompress_job(const DecompressorOptions& options, BufferWithSegmentsCollection input,
                                        const uint64_t* sizes, size_t size_count, int threads) {
  const size_t count = input.length();
  std::vector<uint64_t> item_sizes;  // empty: read from the frame headers
  if (sizes != nullptr) {
    if (size_count != count) {
      return Status(LibError::out_of_range, "decompressedSizes holds " + std::to_string(size_count) + " sizes for " +
                                                std::to_string(count) + " frames");
    }
    item_sizes.assign(sizes, sizes + count);
  }
  return BatchJobPtr(
      new DecompressJob(options, std::move(input), std::move(item_sizes), resolve_batch_threads(threads)));
}

}  // namespace zk

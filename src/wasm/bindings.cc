// embind bindings: the only file that sees Emscripten. Thin by design: it turns core Results
// into "negative number or null + last error" returns that js/ turns into ZstdError, and
// passes data as (pointer, length) pairs into wasm memory so JS moves bytes with bulk copies.
#include <emscripten/bind.h>
#include <emscripten/threading.h>
#include <emscripten/val.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <zstd_errors.h>

#include "core/batch.h"
#include "core/buffer.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/dictionary.h"
#include "core/error.h"
#include "core/frame.h"
#include "core/memory.h"
#include "core/segments.h"
#include "core/stream.h"
#include "core/thread_pool.h"

using emscripten::allow_raw_pointers;
using emscripten::val;

namespace {

thread_local zk::Status g_last_error;

// Records a failure for lastErrorCode()/lastErrorMessage(); returns the sentinel to hand back.
double fail(const zk::Status& status) {
  g_last_error = status;
  return -1;
}
template <class T>
T* fail_null(const zk::Status& status) {
  g_last_error = status;
  return nullptr;
}

std::string last_error_code() { return g_last_error.name(); }
std::string last_error_message() { return g_last_error.message(); }

const uint8_t* in(uintptr_t ptr) { return reinterpret_cast<const uint8_t*>(ptr); }

// A zk::Buffer handed to JS as WasmBuffer's backing.
class WasmBuffer {
 public:
  explicit WasmBuffer(zk::Buffer buffer) : buffer_(std::move(buffer)) {}
  const zk::Buffer& buffer() const { return buffer_; }
  uintptr_t ptr() const { return reinterpret_cast<uintptr_t>(buffer_.data()); }
  double size() const { return static_cast<double>(buffer_.size()); }
  bool resize(size_t size) {
    zk::Status st = buffer_.resize(size);
    if (!st.ok()) fail(st);
    return st.ok();
  }
  WasmBuffer* slice(size_t offset, size_t length) const {
    auto view = buffer_.slice(offset, length);
    if (!view.ok()) return fail_null<WasmBuffer>(view.status());
    return new WasmBuffer(std::move(view.value()));
  }

 private:
  zk::Buffer buffer_;
};

WasmBuffer* alloc_buffer(size_t size) {
  auto buffer = zk::Buffer::allocate(size);
  if (!buffer.ok()) return fail_null<WasmBuffer>(buffer.status());
  return new WasmBuffer(std::move(buffer.value()));
}

// Raw tracked memory for staging JS input: JS frees it right after the call.
uintptr_t tracked_malloc(size_t size) { return reinterpret_cast<uintptr_t>(zk::tracked_malloc(size)); }
void tracked_free(uintptr_t ptr) { zk::tracked_free(reinterpret_cast<void*>(ptr)); }

// A BufferWithSegmentsCollection; a JS BufferWithSegments is a collection of one buffer.
class CollectionHandle {
 public:
  explicit CollectionHandle(zk::BufferWithSegmentsCollection c) : c_(std::move(c)) {}
  const zk::BufferWithSegmentsCollection& collection() const { return c_; }

  double length() const { return static_cast<double>(c_.length()); }
  double buffer_count() const { return static_cast<double>(c_.buffer_count()); }
  double total_size() const { return static_cast<double>(c_.total_size()); }
  uintptr_t buffer_ptr(size_t b) const { return reinterpret_cast<uintptr_t>(c_.buffer(b).data()); }
  double buffer_size(size_t b) const { return static_cast<double>(c_.buffer(b).size()); }

  // Every segment as three uint32s (data pointer, offset in its buffer, length), so JS reads the
  // whole table with one copy instead of a call per segment. Built on first use.
  uintptr_t table() {
    if (table_.empty() && c_.length() > 0) {
      table_.reserve(c_.length() * 3);
      for (size_t b = 0; b < c_.buffer_count(); ++b) {
        const zk::BufferWithSegments& buffer = c_.buffer(b);
        for (size_t i = 0; i < buffer.length(); ++i) {
          table_.push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(buffer.item_data(i))));
          table_.push_back(static_cast<uint32_t>(buffer.segment(i).offset));
          table_.push_back(static_cast<uint32_t>(buffer.segment(i).length));
        }
      }
    }
    return reinterpret_cast<uintptr_t>(table_.data());
  }

  CollectionHandle* concat(const CollectionHandle& other) const {
    std::vector<zk::BufferWithSegments> buffers;
    for (size_t b = 0; b < c_.buffer_count(); ++b) buffers.push_back(c_.buffer(b));
    for (size_t b = 0; b < other.c_.buffer_count(); ++b) buffers.push_back(other.c_.buffer(b));
    return new CollectionHandle(zk::BufferWithSegmentsCollection(std::move(buffers)));
  }

 private:
  zk::BufferWithSegmentsCollection c_;
  std::vector<uint32_t> table_;
};

CollectionHandle* empty_collection() { return new CollectionHandle(zk::BufferWithSegmentsCollection()); }

// data's bytes (shared, not copied) with `count` (offset, length) uint64 pairs read from segments.
CollectionHandle* create_buffer_with_segments(const WasmBuffer& data, uintptr_t segments, size_t count) {
  std::vector<zk::Segment> table(count);
  const auto* pairs = reinterpret_cast<const uint64_t*>(segments);
  for (size_t i = 0; i < count; ++i) table[i] = {pairs[2 * i], pairs[2 * i + 1]};
  auto b = zk::BufferWithSegments::owning(data.buffer(), std::move(table));
  if (!b.ok()) return fail_null<CollectionHandle>(b.status());
  return new CollectionHandle(zk::BufferWithSegmentsCollection({std::move(b.value())}));
}

// One batch job. Run it with run() (blocking, all threads), runAsync() (on the job thread; the
// int32 at statePtr() turns 1 when done and waiters are woken) or step() (slices on the calling
// thread, for the single-threaded build), then takeResult().
class JobHandle {
 public:
  explicit JobHandle(std::unique_ptr<zk::BatchJob> job) : job_(std::move(job)) {}
  ~JobHandle() {
    // Nothing may still wait for input, and helpers must be done before the job goes.
    job_->release_input(SIZE_MAX);
    job_->finish();
  }

  void run() { job_->run(); }
  void begin() { job_->begin(); }
  void finish() { job_->finish(); }
  void hold_input() { job_->hold_input(); }
  void release_input(double n) {
    job_->release_input(n >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(n));
  }
  bool step(double budget) { return job_->step(static_cast<size_t>(budget)); }
  void run_async() {
    state_ = 0;
    zk::run_detached([this] {
      job_->run();
      __atomic_store_n(&state_, 1, __ATOMIC_SEQ_CST);
#ifdef __EMSCRIPTEN_PTHREADS__
      emscripten_futex_wake(&state_, INT_MAX);
#endif
    });
  }
  uintptr_t state_ptr() const { return reinterpret_cast<uintptr_t>(&state_); }
  CollectionHandle* take_result() {
    auto r = job_->take_result();
    if (!r.ok()) return fail_null<CollectionHandle>(r.status());
    return new CollectionHandle(std::move(r.value()));
  }

 private:
  std::unique_ptr<zk::BatchJob> job_;
  alignas(4) int32_t state_ = 0;
};

// A shared zk::Dictionary; JS's ZstdCompressionDict.
class DictHandle {
 public:
  explicit DictHandle(zk::DictionaryPtr d) : d_(std::move(d)) {}
  const zk::DictionaryPtr& dict() const { return d_; }
  double id() const { return static_cast<double>(d_->id()); }
  uintptr_t ptr() const { return reinterpret_cast<uintptr_t>(d_->data()); }
  double size() const { return static_cast<double>(d_->size()); }
  double memory_size() const { return static_cast<double>(d_->memory_size()); }
  bool precompute(int level) {
    auto c = d_->cdict(level);
    if (!c.ok()) fail(c.status());
    return c.ok();
  }

 private:
  zk::DictionaryPtr d_;
};

// type: 0 auto, 1 raw content, 2 full dictionary (ZSTD_dictContentType_e).
DictHandle* create_dictionary(uintptr_t data, size_t size, int type) {
  auto d = zk::Dictionary::create(in(data), size, static_cast<ZSTD_dictContentType_e>(type));
  if (!d.ok()) return fail_null<DictHandle>(d.status());
  return new DictHandle(std::move(d.value()));
}

// options: { k, d, f, steps, accel, splitPoint, threads, level, dictId, notifications } (numbers).
DictHandle* train_dictionary(double dict_size, const CollectionHandle& samples, val options) {
  zk::TrainOptions o;
  o.k = options["k"].as<unsigned>();
  o.d = options["d"].as<unsigned>();
  o.f = options["f"].as<unsigned>();
  o.steps = options["steps"].as<unsigned>();
  o.accel = options["accel"].as<unsigned>();
  o.split_point = options["splitPoint"].as<double>();
  o.threads = options["threads"].as<int>();
  o.level = options["level"].as<int>();
  o.dict_id = options["dictId"].as<unsigned>();
  o.notifications = options["notifications"].as<int>();
  auto d = zk::train_dictionary(static_cast<size_t>(dict_size), samples.collection(), o);
  if (!d.ok()) return fail_null<DictHandle>(d.status());
  return new DictHandle(std::move(d.value()));
}

// Explicit parameters from JS: a flat array [param, value, param, value, ...].
std::vector<std::pair<int, int>> param_pairs(const val& flat) {
  std::vector<std::pair<int, int>> out;
  const auto numbers = emscripten::vecFromJSArray<int>(flat);
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) out.emplace_back(numbers[i], numbers[i + 1]);
  return out;
}

// Every compression parameter JS may set: { name: [id, min, max] }.
val compression_parameter_info() {
  const struct {
    const char* name;
    int param;
  } params[] = {
      {"windowLog", ZSTD_c_windowLog},
      {"chainLog", ZSTD_c_chainLog},
      {"hashLog", ZSTD_c_hashLog},
      {"searchLog", ZSTD_c_searchLog},
      {"minMatch", ZSTD_c_minMatch},
      {"targetLength", ZSTD_c_targetLength},
      {"strategy", ZSTD_c_strategy},
      {"format", ZSTD_c_format},
      {"writeContentSize", ZSTD_c_contentSizeFlag},
      {"writeChecksum", ZSTD_c_checksumFlag},
      {"writeDictId", ZSTD_c_dictIDFlag},
      {"jobSize", ZSTD_c_jobSize},
      {"overlapLog", ZSTD_c_overlapLog},
      {"forceMaxWindow", ZSTD_c_forceMaxWindow},
      {"enableLdm", ZSTD_c_enableLongDistanceMatching},
      {"ldmHashLog", ZSTD_c_ldmHashLog},
      {"ldmMinMatch", ZSTD_c_ldmMinMatch},
      {"ldmBucketSizeLog", ZSTD_c_ldmBucketSizeLog},
      {"ldmHashRateLog", ZSTD_c_ldmHashRateLog},
      {"threads", ZSTD_c_nbWorkers},
  };
  val out = val::object();
  for (const auto& p : params) {
    ZSTD_bounds b = ZSTD_cParam_getBounds(static_cast<ZSTD_cParameter>(p.param));
    val entry = val::array();
    entry.call<void>("push", p.param);
    entry.call<void>("push", b.lowerBound);
    entry.call<void>("push", b.upperBound);
    out.set(p.name, entry);
  }
  return out;
}

// libzstd's own table: the parameters of `level` for an input of source_size bytes (0 unknown).
val level_parameters(int level, double source_size, double dict_size) {
  const ZSTD_compressionParameters p =
      ZSTD_getCParams(level, static_cast<unsigned long long>(source_size), static_cast<size_t>(dict_size));
  val out = val::object();
  out.set("windowLog", p.windowLog);
  out.set("chainLog", p.chainLog);
  out.set("hashLog", p.hashLog);
  out.set("searchLog", p.searchLog);
  out.set("minMatch", p.minMatch);
  out.set("targetLength", p.targetLength);
  out.set("strategy", static_cast<int>(p.strategy));
  return out;
}

// What a compression context with these parameters needs (-1 when libzstd rejects them).
double estimate_cctx_size(val flat) {
  ZSTD_CCtx_params* params = ZSTD_createCCtxParams();
  if (params == nullptr) return fail(zk::Status(ZSTD_error_memory_allocation, "estimate"));
  std::map<int, int> set;
  for (const auto& [param, value] : param_pairs(flat)) {
    if (param == ZSTD_c_nbWorkers) continue;  // libzstd estimates single-threaded contexts only
    set[param] = value;
  }
  // libzstd fills in unset long-distance-matching fields only when compressing; its estimate
  // needs them set (it would divide by zero), so fill them in as ZSTD_ldm_adjustParameters does.
  if (set.count(ZSTD_c_enableLongDistanceMatching) && set[ZSTD_c_enableLongDistanceMatching] == 1) {
    const int window_log = set.count(ZSTD_c_windowLog) && set[ZSTD_c_windowLog] ? set[ZSTD_c_windowLog]
                                                                                : ZSTD_getCParams(3, 0, 0).windowLog;
    int& hash_log = set[ZSTD_c_ldmHashLog];
    if (hash_log == 0) hash_log = std::max(ZSTD_HASHLOG_MIN, window_log - 7);
    int& min_match = set[ZSTD_c_ldmMinMatch];
    if (min_match == 0) min_match = 64;
    int& bucket = set[ZSTD_c_ldmBucketSizeLog];
    if (bucket == 0) bucket = std::min(3, hash_log);
    int& rate = set[ZSTD_c_ldmHashRateLog];
    if (rate == 0) rate = window_log < hash_log ? 0 : window_log - hash_log;
  }
  for (const auto& [param, value] : set) {
    size_t ret = ZSTD_CCtxParams_setParameter(params, static_cast<ZSTD_cParameter>(param), value);
    if (ZSTD_isError(ret)) {
      ZSTD_freeCCtxParams(params);
      return fail(zk::Status::from_zstd(ret, "compression parameters"));
    }
  }
  const size_t size = ZSTD_estimateCCtxSize_usingCCtxParams(params);
  ZSTD_freeCCtxParams(params);
  return ZSTD_isError(size) ? fail(zk::Status::from_zstd(size, "estimate")) : static_cast<double>(size);
}

// Streaming sessions: JS copies input into inputPtr() (or points load at wasm memory it owns),
// calls run(), and copies outputSize() bytes from outputPtr() (which may move after run()).
template <class Session>
class StreamHandle {
 public:
  explicit StreamHandle(std::unique_ptr<Session> s) : s_(std::move(s)) {}
  uintptr_t input_ptr() const { return reinterpret_cast<uintptr_t>(s_->input()); }
  double input_capacity() const { return static_cast<double>(s_->input_capacity()); }
  uintptr_t output_ptr() const { return reinterpret_cast<uintptr_t>(s_->output()); }
  double output_size() const { return static_cast<double>(s_->output_size()); }
  void load(size_t size) { s_->load(size); }
  void load_external(uintptr_t data, size_t size) { s_->load_external(in(data), size); }
  double input_left() const { return static_cast<double>(s_->input_left()); }
  bool done() const { return s_->done(); }
  void clear() { s_->clear(); }
  double memory_size() const { return static_cast<double>(s_->memory_size()); }

 protected:
  std::unique_ptr<Session> s_;
};

class CompressStreamHandle : public StreamHandle<zk::CompressSession> {
 public:
  using StreamHandle::StreamHandle;
  // directive: 0 continue, 1 flush, 2 end (ZSTD_EndDirective); max_output 0 = no limit.
  bool run(int directive, double max_output) {
    zk::Status st = s_->run(static_cast<ZSTD_EndDirective>(directive), static_cast<size_t>(max_output));
    if (!st.ok()) fail(st);
    return st.ok();
  }
  val progression() const {
    const ZSTD_frameProgression p = s_->progression();
    val out = val::object();
    out.set("ingested", static_cast<double>(p.ingested));
    out.set("consumed", static_cast<double>(p.consumed));
    out.set("produced", static_cast<double>(p.produced));
    return out;
  }
};

class DecompressStreamHandle : public StreamHandle<zk::DecompressSession> {
 public:
  using StreamHandle::StreamHandle;
  bool run(bool across_frames, double max_output) {
    zk::Status st = s_->run(across_frames, static_cast<size_t>(max_output));
    if (!st.ok()) fail(st);
    return st.ok();
  }
  bool frame_ended() const { return s_->frame_ended(); }
  bool in_frame() const { return s_->in_frame(); }
  bool check_end() const {
    zk::Status st = s_->check_end();
    if (!st.ok()) fail(st);
    return st.ok();
  }
};

// Small inputs (per-item loops) go through one scratch allocation per (de)compressor, made on
// first use: input at its start, output kSmallInput bytes in. One call per item, no malloc/free.
constexpr size_t kSmallInput = 32 << 10;
constexpr size_t kSmallOutput = 128 << 10;  // decompressed; compressed output needs less

class CompressorHandle {
 public:
  explicit CompressorHandle(std::unique_ptr<zk::Compressor> c) : c_(std::move(c)) {}

  // 0 when the scratch cannot be allocated (JS then takes the general path).
  uintptr_t small_scratch() {
    if (!scratch_.data()) {
      auto b = zk::Buffer::allocate(kSmallInput + ZSTD_COMPRESSBOUND(kSmallInput));
      if (b.ok()) scratch_ = std::move(b.value());
    }
    return reinterpret_cast<uintptr_t>(scratch_.data());
  }
  // Compresses the first `size` (<= kSmallInput) scratch bytes to the output part.
  double compress_small(size_t size) {
    uint8_t* base = scratch_.data();
    auto r = c_->compress(base, size, base + kSmallInput, scratch_.size() - kSmallInput);
    return r.ok() ? static_cast<double>(r.value()) : fail(r.status());
  }

  // Into caller-provided memory (the plain path stages both ends itself).
  double compress(uintptr_t src, size_t size, uintptr_t dst, size_t capacity) {
    auto r = c_->compress(in(src), size, reinterpret_cast<uint8_t*>(dst), capacity);
    return r.ok() ? static_cast<double>(r.value()) : fail(r.status());
  }
  WasmBuffer* compress_to_buffer(uintptr_t src, size_t size) {
    auto r = c_->compress_to_buffer(in(src), size);
    if (!r.ok()) return fail_null<WasmBuffer>(r.status());
    return new WasmBuffer(std::move(r.value()));
  }
  double memory_size() const { return static_cast<double>(c_->memory_size() + scratch_.size()); }
  // pledged_size < 0: unknown.
  CompressStreamHandle* stream(double pledged_size) const {
    auto s = zk::CompressSession::create(c_->options(), static_cast<int64_t>(pledged_size));
    if (!s.ok()) return fail_null<CompressStreamHandle>(s.status());
    return new CompressStreamHandle(std::move(s.value()));
  }
  val progression() const {
    const ZSTD_frameProgression p = ZSTD_getFrameProgression(c_->cctx());
    val out = val::object();
    out.set("ingested", static_cast<double>(p.ingested));
    out.set("consumed", static_cast<double>(p.consumed));
    out.set("produced", static_cast<double>(p.produced));
    return out;
  }
  int threads() const { return c_->options().threads; }
  JobHandle* compress_job(const CollectionHandle& input, int threads) const {
    auto job = zk::make_compress_job(c_->options(), input.collection(), threads);
    if (!job.ok()) return fail_null<JobHandle>(job.status());
    return new JobHandle(std::move(job.value()));
  }

 private:
  std::unique_ptr<zk::Compressor> c_;
  zk::Buffer scratch_;
};

// dict: null for none; params: flat [param, value, ...] of explicit parameters (may be empty).
CompressorHandle* create_compressor(int level, bool checksum, bool content_size, bool dict_id, int threads,
                                    const DictHandle* dict, val params) {
  zk::CompressorOptions options;
  if (dict != nullptr) options.dict = dict->dict();
  options.params = param_pairs(params);
  options.level = level;
  options.write_checksum = checksum;
  options.write_content_size = content_size;
  options.write_dict_id = dict_id;
  options.threads = threads;
  auto c = zk::Compressor::create(options);
  if (!c.ok()) return fail_null<CompressorHandle>(c.status());
  return new CompressorHandle(std::move(c.value()));
}

class DecompressorHandle {
 public:
  explicit DecompressorHandle(std::unique_ptr<zk::Decompressor> d) : d_(std::move(d)) {}

  uintptr_t small_scratch() {
    if (!scratch_.data()) {
      auto b = zk::Buffer::allocate(kSmallInput + kSmallOutput);
      if (b.ok()) scratch_ = std::move(b.value());
    }
    return reinterpret_cast<uintptr_t>(scratch_.data());
  }
  // Decodes the first `size` (<= kSmallInput) scratch bytes to the output part: the result's
  // size, -1 on error, -2 when the frame needs the general path.
  double decompress_small(size_t size, size_t max_output) {
    uint8_t* base = scratch_.data();
    auto r = d_->decompress_into(base, size, base + kSmallInput, kSmallOutput, {max_output, false});
    if (!r.ok()) return fail(r.status());
    return r.value() == zk::Decompressor::kNotApplicable ? -2 : static_cast<double>(r.value());
  }

  // Two steps, so JS can prepare the memory of a large result while the frame decodes:
  // start() returns the result's size (-1 on failure) and, when `background` is asked for in the
  // threaded build, leaves a large frame of known size decoding on a pool thread; finish() waits
  // for it and returns the size. Callers with nothing to do meanwhile pass background = false.
  // The result stays in the handle until takeResult()/dropResult(): the plain path copies it
  // out without creating a JS object per call.
  double start(uintptr_t src, size_t size, size_t max_output, bool across_frames, bool background) {
    result_ = zk::Buffer();
    const zk::DecompressOptions options{max_output, across_frames};
    const int64_t planned = background && zk::threads_supported() ? d_->planned_size(in(src), size, options) : -1;
    if (planned >= kBackgroundMinimum) {
      task_ = std::make_unique<zk::BackgroundTask>([this, src, size, options] { decode(src, size, options); });
      return static_cast<double>(planned);
    }
    decode(src, size, options);
    return finish();
  }
  double finish() {
    if (task_) {
      task_->wait();
      task_.reset();
    }
    if (!status_.ok()) return fail(status_);
    return static_cast<double>(result_.size());
  }
  uintptr_t result_ptr() const { return reinterpret_cast<uintptr_t>(result_.data()); }
  WasmBuffer* take_result() { return new WasmBuffer(std::move(result_)); }
  void drop_result() { result_ = zk::Buffer(); }
  double memory_size() const { return static_cast<double>(d_->memory_size() + scratch_.size()); }
  DecompressStreamHandle* stream() const {
    auto s = zk::DecompressSession::create(d_->options());
    if (!s.ok()) return fail_null<DecompressStreamHandle>(s.status());
    return new DecompressStreamHandle(std::move(s.value()));
  }
  // sizes: `size_count` uint64s, or 0 when the frame headers say.
  JobHandle* decompress_job(const CollectionHandle& frames, uintptr_t sizes, size_t size_count, int threads) const {
    auto job = zk::make_decompress_job(d_->options(), frames.collection(), reinterpret_cast<const uint64_t*>(sizes),
                                       size_count, threads);
    if (!job.ok()) return fail_null<JobHandle>(job.status());
    return new JobHandle(std::move(job.value()));
  }
  WasmBuffer* content_dict_chain(const CollectionHandle& frames) const {
    auto r = zk::decompress_content_dict_chain(d_->options(), frames.collection());
    if (!r.ok()) return fail_null<WasmBuffer>(r.status());
    return new WasmBuffer(std::move(r.value()));
  }

 private:
  // Below this, handing the work to another thread costs more than it saves.
  static constexpr int64_t kBackgroundMinimum = 1 << 20;

  void decode(uintptr_t src, size_t size, const zk::DecompressOptions& options) {
    auto r = d_->decompress(in(src), size, options);
    status_ = r.ok() ? zk::Status() : r.status();
    if (r.ok()) result_ = std::move(r.value());
  }

  std::unique_ptr<zk::Decompressor> d_;
  zk::Buffer scratch_;
  std::unique_ptr<zk::BackgroundTask> task_;
  zk::Status status_;
  zk::Buffer result_;
};

DecompressorHandle* create_decompressor(size_t max_window_size, int format, const DictHandle* dict) {
  zk::DecompressorOptions options;
  if (dict != nullptr) options.dict = dict->dict();
  options.max_window_size = max_window_size;
  options.format = static_cast<ZSTD_format_e>(format);
  auto d = zk::Decompressor::create(options);
  if (!d.ok()) return fail_null<DecompressorHandle>(d.status());
  return new DecompressorHandle(std::move(d.value()));
}

val frame_parameters(uintptr_t ptr, size_t size) {
  auto r = zk::get_frame_parameters(in(ptr), size);
  if (!r.ok()) {
    fail(r.status());
    return val::null();
  }
  val out = val::object();
  out.set("contentSize", static_cast<double>(r.value().content_size));
  out.set("windowSize", static_cast<double>(r.value().window_size));
  out.set("dictId", r.value().dict_id);
  out.set("hasChecksum", r.value().has_checksum);
  return out;
}

double frame_content_size(uintptr_t ptr, size_t size) {
  auto r = zk::frame_content_size(in(ptr), size);
  // -1 is a valid answer (unknown), so failures use -2.
  if (!r.ok()) return fail(r.status()) - 1;
  return static_cast<double>(r.value());
}

double frame_header_size(uintptr_t ptr, size_t size) {
  auto r = zk::frame_header_size(in(ptr), size);
  return r.ok() ? static_cast<double>(r.value()) : fail(r.status());
}

double total_allocated_bytes() { return static_cast<double>(zk::total_allocated_bytes()); }
double peak_allocated_bytes() { return static_cast<double>(zk::peak_allocated_bytes()); }
double estimate_dctx_size() { return static_cast<double>(ZSTD_estimateDCtxSize()); }
double compress_bound(double size) { return static_cast<double>(ZSTD_compressBound(static_cast<size_t>(size))); }

// What libzstd itself says, so tests can check the JS constants (usable before init) match.
val library_constants() {
  val c = val::object();
  c.set("versionNumber", ZSTD_versionNumber());
  c.set("minLevel", ZSTD_minCLevel());
  c.set("maxLevel", ZSTD_maxCLevel());
  c.set("defaultLevel", ZSTD_defaultCLevel());
  c.set("cStreamInSize", static_cast<double>(ZSTD_CStreamInSize()));
  c.set("cStreamOutSize", static_cast<double>(ZSTD_CStreamOutSize()));
  c.set("dStreamInSize", static_cast<double>(ZSTD_DStreamInSize()));
  c.set("dStreamOutSize", static_cast<double>(ZSTD_DStreamOutSize()));
  const struct {
    const char* name;
    ZSTD_cParameter param;
  } bounds[] = {{"windowLog", ZSTD_c_windowLog}, {"chainLog", ZSTD_c_chainLog},  {"hashLog", ZSTD_c_hashLog},
                {"searchLog", ZSTD_c_searchLog}, {"minMatch", ZSTD_c_minMatch},  {"targetLength", ZSTD_c_targetLength},
                {"strategy", ZSTD_c_strategy},   {"nbWorkers", ZSTD_c_nbWorkers}};
  for (const auto& b : bounds) {
    ZSTD_bounds r = ZSTD_cParam_getBounds(b.param);
    val pair = val::array();
    pair.call<void>("push", r.lowerBound);
    pair.call<void>("push", r.upperBound);
    c.set(b.name, pair);
  }
  return c;
}

}  // namespace

EMSCRIPTEN_BINDINGS(zstd_kit) {
  using emscripten::class_;
  using emscripten::function;

  function("lastErrorCode", &last_error_code);
  function("lastErrorMessage", &last_error_message);
  function("malloc", &tracked_malloc);
  function("free", &tracked_free);
  function("totalAllocatedBytes", &total_allocated_bytes);
  function("peakAllocatedBytes", &peak_allocated_bytes);
  function("threadsSupported", &zk::threads_supported);
  function("maxThreads", &zk::max_threads);
  function("setMaxThreads", &zk::set_max_threads);
  function("libraryConstants", &library_constants);
  emscripten::constant("SMALL_INPUT", kSmallInput);
  function("estimateDecompressionContextSize", &estimate_dctx_size);
  function("compressBound", &compress_bound);
  function("frameParameters", &frame_parameters);
  function("frameContentSize", &frame_content_size);
  function("frameHeaderSize", &frame_header_size);

  class_<WasmBuffer>("WasmBuffer")
      .function("ptr", &WasmBuffer::ptr)
      .function("size", &WasmBuffer::size)
      .function("resize", &WasmBuffer::resize)
      .function("slice", &WasmBuffer::slice, allow_raw_pointers());
  function("allocBuffer", &alloc_buffer, allow_raw_pointers());

  class_<CollectionHandle>("Collection")
      .function("length", &CollectionHandle::length)
      .function("bufferCount", &CollectionHandle::buffer_count)
      .function("totalSize", &CollectionHandle::total_size)
      .function("bufferPtr", &CollectionHandle::buffer_ptr)
      .function("bufferSize", &CollectionHandle::buffer_size)
      .function("table", &CollectionHandle::table)
      .function("concat", &CollectionHandle::concat, allow_raw_pointers());
  function("emptyCollection", &empty_collection, allow_raw_pointers());

  class_<DictHandle>("Dictionary")
      .function("id", &DictHandle::id)
      .function("ptr", &DictHandle::ptr)
      .function("size", &DictHandle::size)
      .function("memorySize", &DictHandle::memory_size)
      .function("precompute", &DictHandle::precompute);
  function("createDictionary", &create_dictionary, allow_raw_pointers());
  function("trainDictionary", &train_dictionary, allow_raw_pointers());
  function("compressionParameterInfo", &compression_parameter_info);
  function("levelParameters", &level_parameters);
  function("estimateCompressionContextSize", &estimate_cctx_size);
  function("createBufferWithSegments", &create_buffer_with_segments, allow_raw_pointers());

  class_<JobHandle>("BatchJob")
      .function("run", &JobHandle::run)
      .function("begin", &JobHandle::begin)
      .function("finish", &JobHandle::finish)
      .function("holdInput", &JobHandle::hold_input)
      .function("releaseInput", &JobHandle::release_input)
      .function("step", &JobHandle::step)
      .function("runAsync", &JobHandle::run_async)
      .function("statePtr", &JobHandle::state_ptr)
      .function("takeResult", &JobHandle::take_result, allow_raw_pointers());

  // The shared methods are wrapped in lambdas: embind binds a member pointer to the class that
  // declares it, and the template base is not registered.
  auto stream_common = [](auto& c, auto* tag) {
    using H = std::remove_pointer_t<decltype(tag)>;
    c.function("inputPtr", emscripten::optional_override([](const H& h) { return h.input_ptr(); }))
        .function("inputCapacity", emscripten::optional_override([](const H& h) { return h.input_capacity(); }))
        .function("outputPtr", emscripten::optional_override([](const H& h) { return h.output_ptr(); }))
        .function("outputSize", emscripten::optional_override([](const H& h) { return h.output_size(); }))
        .function("load", emscripten::optional_override([](H& h, size_t n) { h.load(n); }))
        .function("loadExternal",
                  emscripten::optional_override([](H& h, uintptr_t p, size_t n) { h.load_external(p, n); }))
        .function("inputLeft", emscripten::optional_override([](const H& h) { return h.input_left(); }))
        .function("done", emscripten::optional_override([](const H& h) { return h.done(); }))
        .function("clear", emscripten::optional_override([](H& h) { h.clear(); }))
        .function("memorySize", emscripten::optional_override([](const H& h) { return h.memory_size(); }));
  };
  auto compress_stream = class_<CompressStreamHandle>("CompressStream");
  stream_common(compress_stream, static_cast<CompressStreamHandle*>(nullptr));
  compress_stream
      .function("run", emscripten::optional_override(
                           [](CompressStreamHandle& h, int directive, double max) { return h.run(directive, max); }))
      .function("progression",
                emscripten::optional_override([](const CompressStreamHandle& h) { return h.progression(); }));
  auto decompress_stream = class_<DecompressStreamHandle>("DecompressStream");
  stream_common(decompress_stream, static_cast<DecompressStreamHandle*>(nullptr));
  decompress_stream
      .function("run", emscripten::optional_override(
                           [](DecompressStreamHandle& h, bool across, double max) { return h.run(across, max); }))
      .function("frameEnded",
                emscripten::optional_override([](const DecompressStreamHandle& h) { return h.frame_ended(); }))
      .function("inFrame", emscripten::optional_override([](const DecompressStreamHandle& h) { return h.in_frame(); }))
      .function("checkEnd",
                emscripten::optional_override([](const DecompressStreamHandle& h) { return h.check_end(); }));

  class_<CompressorHandle>("Compressor")
      .function("compress", &CompressorHandle::compress)
      .function("compressToBuffer", &CompressorHandle::compress_to_buffer, allow_raw_pointers())
      .function("memorySize", &CompressorHandle::memory_size)
      .function("threads", &CompressorHandle::threads)
      .function("compressJob", &CompressorHandle::compress_job, allow_raw_pointers())
      .function("smallScratch", &CompressorHandle::small_scratch)
      .function("stream", &CompressorHandle::stream, allow_raw_pointers())
      .function("progression", &CompressorHandle::progression)
      .function("compressSmall", &CompressorHandle::compress_small);
  function("createCompressor", &create_compressor, allow_raw_pointers());

  class_<DecompressorHandle>("Decompressor")
      .function("start", &DecompressorHandle::start)
      .function("finish", &DecompressorHandle::finish)
      .function("resultPtr", &DecompressorHandle::result_ptr)
      .function("takeResult", &DecompressorHandle::take_result, allow_raw_pointers())
      .function("dropResult", &DecompressorHandle::drop_result)
      .function("memorySize", &DecompressorHandle::memory_size)
      .function("decompressJob", &DecompressorHandle::decompress_job, allow_raw_pointers())
      .function("contentDictChain", &DecompressorHandle::content_dict_chain, allow_raw_pointers())
      .function("smallScratch", &DecompressorHandle::small_scratch)
      .function("stream", &DecompressorHandle::stream, allow_raw_pointers())
      .function("decompressSmall", &DecompressorHandle::decompress_small);
  function("createDecompressor", &create_decompressor, allow_raw_pointers());
}

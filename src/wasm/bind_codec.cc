// One-shot compression and decompression (Compressor, Decompressor): into caller memory, into
// a WasmBuffer, and through the small-input scratch; the streams and batch jobs they make.
#include <emscripten/bind.h>
#include <emscripten/threading.h>

#include <climits>
#include <functional>
#include <memory>

#include "bind_batch.h"
#include "bind_buffer.h"
#include "bind_dict.h"
#include "boundary.h"
#include "core/batch.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/stream.h"
#include "core/thread_pool.h"

namespace zkw {
namespace {

#ifdef __EMSCRIPTEN_PTHREADS__
// A one-shot call run on the job thread (compressAsync / decompressAsync of the threaded build),
// with a context of its own: the object that made it may be used or freed meanwhile. The int32
// at statePtr() turns 1 when it is done (JS waits on it with Atomics.waitAsync); the caller keeps
// the input alive and this task undeleted until then.
class OneShotTask {
 public:
  explicit OneShotTask(std::function<zk::Result<zk::Buffer>()> work) : work_(std::move(work)) {}
  void run_async() {
    zk::run_detached([this] {
      result_ = work_();
      __atomic_store_n(&state_, 1, __ATOMIC_SEQ_CST);
      emscripten_futex_wake(&state_, INT_MAX);
    });
  }
  uintptr_t state_ptr() const { return reinterpret_cast<uintptr_t>(&state_); }
  std::unique_ptr<zk::Buffer> take_result() { return handle_of<zk::Buffer>(std::move(result_)); }

 private:
  std::function<zk::Result<zk::Buffer>()> work_;
  zk::Result<zk::Buffer> result_ = zk::Status(zk::LibError::invalid_state, "the task has not run");
  alignas(4) int32_t state_ = 0;
};

std::unique_ptr<OneShotTask> compress_task(const zk::Compressor& c, uintptr_t src, size_t size) {
  return std::make_unique<OneShotTask>(
      [options = c.options(), src, size]() { return zk::compress_once(options, in(src), size); });
}

std::unique_ptr<OneShotTask> decompress_task(const zk::Decompressor& d, uintptr_t src, size_t size, size_t max_output,
                                             bool across_frames) {
  return std::make_unique<OneShotTask>(
      [options = d.options(), src, size, decode = zk::DecompressOptions{max_output, across_frames}]() {
        return zk::decompress_once(options, in(src), size, decode);
      });
}
#endif

// What decompressSmall() returns when the frame needs the general path: not a size (wasm32
// sizes are below 2^32) and not a failure.
constexpr double kSmallDeclined = 4294967296.0;

// dict: a Dictionary or null; params: flat [param, value, ...] of explicit parameters (may be empty).
std::unique_ptr<zk::Compressor> create_compressor(int level, bool checksum, bool content_size, bool dict_id,
                                                  int threads, const emscripten::val& dict,
                                                  const emscripten::val& params) {
  zk::CompressorOptions options;
  options.level = level;
  options.write_checksum = checksum;
  options.write_content_size = content_size;
  options.write_dict_id = dict_id;
  options.threads = threads;
  options.dict = dictionary_of(dict);
  options.params = param_list(params);
  return handle(zk::Compressor::create(options));
}

std::unique_ptr<zk::Decompressor> create_decompressor(size_t max_window_size, int format, const emscripten::val& dict) {
  zk::DecompressorOptions options;
  options.max_window_size = max_window_size;
  options.format = static_cast<ZSTD_format_e>(format);
  options.dict = dictionary_of(dict);
  return handle(zk::Decompressor::create(options));
}

double decompress_small(zk::Decompressor& d, size_t size, size_t max_output) {
  auto r = d.decompress_small(size, max_output);
  if (r.ok() && r.value() == zk::Decompressor::kNotApplicable) return kSmallDeclined;
  return number(r);
}

// sizes: `size_count` uint64s, or 0 when the frame headers say.
std::unique_ptr<Job> decompress_job(const zk::Decompressor& d, const Collection& frames, uintptr_t sizes,
                                    size_t size_count, int threads) {
  return handle_of<Job>(zk::make_decompress_job(d.options(), frames.get(), reinterpret_cast<const uint64_t*>(sizes),
                                                size_count, threads));
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_codec) {
  using emscripten::optional_override;
  using zk::Buffer;
  using zk::Compressor;
  using zk::Decompressor;

  emscripten::constant("SMALL_INPUT", zk::kSmallInput);
  emscripten::constant("SMALL_DECLINED", zkw::kSmallDeclined);

  emscripten::class_<Compressor>("Compressor")
      .function("compress", optional_override([](Compressor& c, uintptr_t src, size_t size, uintptr_t dst, size_t cap) {
                  return zkw::number(c.compress(zkw::in(src), size, zkw::out(dst), cap));
                }))
      .function("prepare", optional_override([](Compressor& c, size_t size) { return zkw::status(c.prepare(size)); }))
      .function("compressToBuffer", optional_override([](Compressor& c, uintptr_t src, size_t size) {
                  return zkw::handle_of<Buffer>(c.compress_to_buffer(zkw::in(src), size));
                }))
      // Scratch address (0 when it cannot be allocated: JS then takes the general path).
      .function("smallScratch", optional_override([](Compressor& c) { return zkw::address(c.small_scratch()); }))
      .function("compressSmall",
                optional_override([](Compressor& c, size_t size) { return zkw::number(c.compress_small(size)); }))
      .function("memorySize",
                optional_override([](const Compressor& c) { return static_cast<double>(c.memory_size()); }))
      .function("threads", optional_override([](const Compressor& c) { return c.options().threads; }))
      .function("progression",
                optional_override([](const Compressor& c) { return zkw::progression_of(c.progression()); }))
      // pledged_size < 0: unknown.
      .function("stream", optional_override([](const Compressor& c, double pledged_size) {
                  return zkw::handle(zk::CompressSession::create(c.options(), static_cast<int64_t>(pledged_size)));
                }))
      .function("compressJob", optional_override([](const Compressor& c, const zkw::Collection& input, int threads) {
                  return zkw::handle_of<zkw::Job>(zk::make_compress_job(c.options(), input.get(), threads));
                }));
  emscripten::function("createCompressor", &zkw::create_compressor);

  emscripten::class_<Decompressor>("Decompressor")
      .function("start", optional_override([](Decompressor& d, uintptr_t src, size_t size, size_t max_output,
                                              bool across_frames, bool background) {
                  return zkw::number(d.start(zkw::in(src), size, {max_output, across_frames}, background));
                }))
      .function("finish", optional_override([](Decompressor& d) { return zkw::number(d.finish()); }))
      .function("resultPtr", optional_override([](const Decompressor& d) { return zkw::address(d.result_data()); }))
      .function("takeResult",
                optional_override([](Decompressor& d) { return std::make_unique<Buffer>(d.take_result()); }))
      .function("dropResult", &Decompressor::drop_result)
      .function("smallScratch", optional_override([](Decompressor& d) { return zkw::address(d.small_scratch()); }))
      // The result's size; SMALL_DECLINED when the frame needs start().
      .function("decompressSmall", &zkw::decompress_small)
      .function("memorySize",
                optional_override([](const Decompressor& d) { return static_cast<double>(d.memory_size()); }))
      .function("stream", optional_override([](const Decompressor& d) {
                  return zkw::handle(zk::DecompressSession::create(d.options()));
                }))
      .function("decompressJob", &zkw::decompress_job)
      .function("contentDictChain", optional_override([](const Decompressor& d, const zkw::Collection& frames) {
                  return zkw::handle_of<Buffer>(zk::decompress_content_dict_chain(d.options(), frames.get()));
                }));
  emscripten::function("createDecompressor", &zkw::create_decompressor);

  // The async one-shot forms: a task on the job thread (threaded build), or steps in slices.
#ifdef __EMSCRIPTEN_PTHREADS__
  emscripten::function("useOneShotSingleThread",
                       optional_override([](Compressor& c) { return zkw::status(c.use_one_shot_single_thread()); }));
  emscripten::class_<zkw::OneShotTask>("OneShotTask")
      .function("runAsync", &zkw::OneShotTask::run_async)
      .function("statePtr", &zkw::OneShotTask::state_ptr)
      .function("takeResult", &zkw::OneShotTask::take_result);
  emscripten::function("compressTask", &zkw::compress_task);
  emscripten::function("decompressTask", &zkw::decompress_task);
#else
  // src stays valid until the steps are done.
  emscripten::function("compressSteps", optional_override([](const Compressor& c, uintptr_t src, size_t size) {
                         return zkw::handle(zk::CompressSteps::create(c.options(), zkw::in(src), size));
                       }));
  emscripten::function(
      "decodeSteps",
      optional_override([](const Decompressor& d, uintptr_t src, size_t size, size_t max_output, bool across_frames) {
        return zkw::handle(zk::DecodeSteps::create(d.options(), zkw::in(src), size, {max_output, across_frames}));
      }));
  // 1 when the frame is complete, 0 when there is more to do, kFailed on an error.
  emscripten::class_<zk::CompressSteps>("CompressSteps")
      .function("step", optional_override([](zk::CompressSteps& s, double budget) {
                  auto done = s.step(budget >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(budget));
                  if (!done.ok()) return zkw::status(done.status());
                  return done.value() ? 1.0 : 0.0;
                }))
      .function("takeResult",
                optional_override([](zk::CompressSteps& s) { return std::make_unique<Buffer>(s.take_result()); }));

  // 1 when every frame is decoded, 0 when there is more to do, kFailed on an error.
  emscripten::class_<zk::DecodeSteps>("DecodeSteps")
      .function("step", optional_override([](zk::DecodeSteps& s, double budget) {
                  auto done = s.step(budget >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(budget));
                  if (!done.ok()) return zkw::status(done.status());
                  return done.value() ? 1.0 : 0.0;
                }))
      .function("takeResult",
                optional_override([](zk::DecodeSteps& s) { return std::make_unique<Buffer>(s.take_result()); }));
#endif
}

// One-shot compression over a reusable ZSTD_CCtx. Streaming, dictionaries and explicit
// parameters extend this class; every libzstd allocation goes through the tracked allocator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "dictionary.h"
#include "error.h"
#include "params.h"
#include "scratch.h"
#include "zstd_ptr.h"

namespace zk {

struct CompressorOptions {
  int level = ZSTD_CLEVEL_DEFAULT;
  bool write_checksum = false;
  bool write_content_size = true;
  bool write_dict_id = true;
  int threads = 0;     // zstd workers for one input; -1 = max_threads()
  DictionaryPtr dict;  // none when null
  // Explicit parameters, applied over the level's: with any, the dictionary is loaded into each
  // context rather than shared as a per-level CDict.
  ParamList params;
};

// zstd worker threads the options ask for (`threads`, or an explicit nbWorkers), resolved.
int requested_workers(const CompressorOptions& options);

// A new context set up from options, with `workers` zstd worker threads (already resolved).
Result<CCtxPtr> create_cctx(const CompressorOptions& options, int workers);

// compress() in slices, for a host that must not block its thread for long (the async forms of
// the single-threaded build): a context of its own reads src in place (ZSTD_c_stableInBuffer),
// so the frame is the one compress() makes. Each step() takes about `budget` more input bytes
// (a block is compressed once it is full) and says whether the frame is complete; then
// take_result(). src must stay valid until then.
class CompressSteps {
 public:
  static Result<std::unique_ptr<CompressSteps>> create(const CompressorOptions& options, const uint8_t* src,
                                                       size_t size);
  Result<bool> step(size_t budget);
  Buffer take_result() { return std::move(out_); }

 private:
  CompressSteps() = default;
  CCtxPtr cctx_;
  ZSTD_inBuffer in_{};
  size_t size_ = 0;
  Buffer out_;
  size_t written_ = 0;
};

class Compressor {
 public:
  static Result<std::unique_ptr<Compressor>> create(const CompressorOptions& options);

  // Compresses src into dst as one frame; returns the frame size. dst_size_too_small when it
  // does not fit (ZSTD_compressBound(size) always fits).
  Result<size_t> compress(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity);

  // Same frame, in a Buffer of exactly the frame's size.
  Result<Buffer> compress_to_buffer(const uint8_t* src, size_t size);

  // Sizes the context for a one-shot input of `size` bytes now (a host calls it before it
  // stages the input): a context's workspace lives as long as the context, and allocated by
  // compress() it would sit above the input and output, where the next large call could no
  // longer merge their freed space with the top of the heap. Only for inputs of at least
  // kPrepareMinimum bytes on a single-threaded context; frames are the same either way.
  static constexpr size_t kPrepareMinimum = 1 << 20;
  Status prepare(size_t size);

  // The small-input path (scratch.h): compresses the first `size` (<= kSmallInput) bytes of
  // small_scratch() into its output part. small_scratch() is nullptr when it cannot be allocated.
  uint8_t* small_scratch() { return scratch_.get(); }
  Result<size_t> compress_small(size_t size);

  // Makes the one-shot context single-threaded (a browser's main thread, where waiting for
  // workers spins against them); streams and the tasks made from options() keep the threads.
  Status use_one_shot_single_thread() {
    return Status::from_zstd(ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_nbWorkers, 0), "setting threads");
  }

  // Progress of the current (or last) frame of the one-shot context.
  ZSTD_frameProgression progression() const { return ZSTD_getFrameProgression(cctx_.get()); }

  size_t memory_size() const { return ZSTD_sizeof_CCtx(cctx_.get()) + scratch_.memory_size(); }
  // The options with `threads` resolved to the workers in use.
  const CompressorOptions& options() const { return options_; }

 private:
  Compressor(CCtxPtr cctx, const CompressorOptions& options)
      : cctx_(std::move(cctx)), options_(options), scratch_(ZSTD_COMPRESSBOUND(kSmallInput)) {}

  CCtxPtr cctx_;
  CompressorOptions options_;
  Scratch scratch_;
};

// One frame of src with a context of its own (made from options, freed before this returns), in
// a Buffer of the frame's size. The output is allocated before the context: a large call then
// takes the space an earlier large call freed, before the context's small blocks can cut into
// it (the wasm heap never shrinks, so a block that no longer fits there grows it for good).
Result<Buffer> compress_once(const CompressorOptions& options, const uint8_t* src, size_t size);

}  // namespace zk

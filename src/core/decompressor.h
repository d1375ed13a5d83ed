// One-shot decompression over a reusable ZSTD_DCtx. Every frame is scanned before any output is
// allocated (decode_plan()): frames with a content size decode straight into an exact-size
// result; frames without one into a result sized from their block headers, growing when that
// guess falls short, capped by max_output_size. Also here: the small-input path, the two-step
// form that lets a large frame decode on a pool thread, and content-dictionary chains.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "dictionary.h"
#include "error.h"
#include "scratch.h"
#include "segments.h"
#include "thread_pool.h"
#include "zstd_ptr.h"

namespace zk {

struct DecompressorOptions {
  size_t max_window_size = 0;  // 0 = zstd's default limit
  ZSTD_format_e format = ZSTD_f_zstd1;
  DictionaryPtr dict;  // none when null
};

struct DecompressOptions {
  size_t max_output_size = 0;       // 0 = no cap but the platform's
  bool read_across_frames = false;  // false: the first frame only, trailing bytes ignored
};

// The frames one decompression reads (skippable frames skipped) and what their headers promise,
// found before any output is allocated: a frame whose header or block structure is broken, or
// output that cannot fit under max_output_size, is refused first.
struct DecodePlan {
  struct Frame {
    size_t offset = 0;  // in the input
    size_t size = 0;    // compressed bytes
    bool known = false;
    uint64_t content = 0;  // the stated content size; unknown: what its raw and RLE blocks regenerate
    uint64_t upper = 0;    // most it can decode to (known: the content size)
  };
  std::vector<Frame> frames;
  uint64_t lower = 0;          // bytes the output has at least
  uint64_t upper = 0;          // bytes it has at most (for frames that keep to the format's block size)
  uint64_t capacity = 0;       // the output to allocate first
  bool all_known = true;       // every frame states its content size: capacity is the exact size
  bool capacity_holds = true;  // capacity >= upper: one-shot decoding cannot run out of room
  size_t max_output = 0;       // the cap (max_output_size, or the platform's)
};

// Plans the decoding of src for a context set up from `options`. For frames without a content
// size the first capacity is their upper bound when their blocks look full (average payload of
// compressed blocks of 2 KiB or more, or 8 MiB in all), else a guess from their compressed size.
Result<DecodePlan> decode_plan(const DecompressorOptions& options, const uint8_t* src, size_t size,
                               const DecompressOptions& decode);

// Decodes a plan's frames from src with dctx into a new Buffer of the decoded size: known frames
// one-shot into their place; frames without a size one-shot into the room the plan left or,
// when that falls short, streamed into a result that doubles, up to plan.max_output
// (output_too_large past it). The context is left ready for the next call, error or not.
Result<Buffer> decode_planned(ZSTD_DCtx* dctx, const uint8_t* src, const DecodePlan& plan);
// The same into `out`, a Buffer of plan.capacity bytes allocated by the caller.
Result<Buffer> decode_planned_into(ZSTD_DCtx* dctx, const uint8_t* src, const DecodePlan& plan, Buffer out);

// src decoded with a context of its own (made from options, freed before this returns), as
// Decompressor::decompress() does. The output is allocated before the context: a large call then
// takes the space an earlier large call freed, before the context's blocks can cut into it (the
// wasm heap never shrinks, so a block that no longer fits there grows it for good).
Result<Buffer> decompress_once(const DecompressorOptions& options, const uint8_t* src, size_t size,
                               const DecompressOptions& decode);

// decompress() in slices, for a host that must not block its thread for long (the async forms
// of the single-threaded build): the same plan, limits, result and errors, with a context of its
// own. Each step() decodes about `budget` bytes of output (at least one call's worth) and says
// whether everything is decoded; then take_result(). src must stay valid until then.
class DecodeSteps {
 public:
  static Result<std::unique_ptr<DecodeSteps>> create(const DecompressorOptions& options, const uint8_t* src,
                                                     size_t size, const DecompressOptions& decode);
  Result<bool> step(size_t budget);
  Buffer take_result() { return std::move(out_); }

 private:
  DecodeSteps() = default;
  DCtxPtr dctx_;
  const uint8_t* src_ = nullptr;
  DecodePlan plan_;
  Buffer out_;
  size_t used_ = 0;
  size_t frame_ = 0;        // the frame in progress
  bool started_ = false;    // it has begun
  size_t in_pos_ = 0;       // its input consumed so far
  size_t frame_start_ = 0;  // where its output starts
};

// A new context set up from options; out_of_range when max_window_size is outside zstd's bounds.
Result<DCtxPtr> create_dctx(const DecompressorOptions& options);

// Decodes every frame of src into dst (at most capacity bytes), as ZSTD_decompressDCtx does, for
// a context set to `format`. Magicless input goes frame by frame, each sized by
// magicless_frame_size(): libzstd 1.5.4's multi-frame loop reads a 4-byte magic number wherever
// at least one byte is left, past the end of the input.
Result<size_t> decompress_frames(ZSTD_DCtx* dctx, ZSTD_format_e format, uint8_t* dst, size_t capacity,
                                 const uint8_t* src, size_t size);

class Decompressor {
 public:
  static Result<std::unique_ptr<Decompressor>> create(const DecompressorOptions& options);

  Result<Buffer> decompress(const uint8_t* src, size_t size, const DecompressOptions& options);

  // The fast path for small frames: when the input's first frame is all decompress() would
  // decode (or all the input, when reading across frames) and fits in `capacity` (its stated
  // content size, or what it decodes to when it states none), decodes it straight into dst and
  // returns its size. Returns kNotApplicable otherwise, leaving every other case (and the errors
  // it finds in headers) to decompress().
  static constexpr int64_t kNotApplicable = -1;
  Result<int64_t> decompress_into(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity,
                                  const DecompressOptions& options);

  // The small-input path (scratch.h): decompress_into() from the first `size` (<= kSmallInput)
  // bytes of small_scratch() to its output part. small_scratch() is nullptr when it cannot be
  // allocated.
  uint8_t* small_scratch() { return scratch_.get(); }
  Result<int64_t> decompress_small(size_t size, size_t max_output);

  // Size decompress() will produce, when every frame it reads states its content size; -1
  // otherwise (or when the input is refused: decompress() reports why).
  int64_t planned_size(const uint8_t* src, size_t size, const DecompressOptions& options) const;

  // decompress() in two steps, so the host can prepare the result's memory meanwhile: start()
  // returns the size to expect; with `background`, in a threaded build, input whose frames state
  // at least kBackgroundMinimum bytes in all goes on decoding on a pool thread (src must stay
  // valid until finish()). finish() waits and returns the result's size. The result stays here
  // until take_result() or drop_result(), so a host can copy it out without an object per call.
  static constexpr int64_t kBackgroundMinimum = 1 << 20;  // below it, a handoff costs more than it saves
  Result<size_t> start(const uint8_t* src, size_t size, const DecompressOptions& options, bool background);
  Result<size_t> finish();
  const uint8_t* result_data() const { return result_.data(); }
  Buffer take_result() { return std::move(result_); }
  void drop_result() { result_ = Buffer(); }

  size_t memory_size() const { return ZSTD_sizeof_DCtx(dctx_.get()) + scratch_.memory_size(); }
  const DecompressorOptions& options() const { return options_; }

 private:
  Decompressor(DCtxPtr dctx, const DecompressorOptions& options)
      : dctx_(std::move(dctx)), options_(options), scratch_(kSmallOutput) {}

  void decode_to_result(const uint8_t* src, const DecodePlan& plan);

  DCtxPtr dctx_;
  DecompressorOptions options_;
  Scratch scratch_;
  std::unique_ptr<BackgroundTask> task_;  // a start() still decoding
  Status status_;                         // of the last start()
  Buffer result_;
};

// python-zstandard's decompress_content_dict_chain: frame 0 decodes alone, frame k with the
// content of frame k - 1 as a raw-content dictionary; returns the content of the last frame.
// Every frame must state its content size.
Result<Buffer> decompress_content_dict_chain(const DecompressorOptions& options,
                                             const BufferWithSegmentsCollection& frames);

}  // namespace zk

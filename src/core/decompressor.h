// One-shot decompression over a reusable ZSTD_DCtx: frames with a content size decode straight
// into an exact-size buffer; frames without one stream into a growing buffer capped by
// max_output_size. Also here: the small-input path, the two-step form that lets a large frame
// decode on a pool thread, and content-dictionary chains.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

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
  size_t max_output_size = 0;       // 0 = no cap, but frames must then state their content size
  bool read_across_frames = false;  // false: the first frame only, trailing bytes ignored
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

  // The fast path for small frames: when decompress() would decode just the first frame and its
  // header states a content size that fits in `capacity`, decodes it straight into dst and
  // returns its size. Returns kNotApplicable otherwise, leaving every other case (and the
  // errors it finds in headers) to decompress().
  static constexpr int64_t kNotApplicable = -1;
  Result<int64_t> decompress_into(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity,
                                  const DecompressOptions& options);

  // The small-input path (scratch.h): decompress_into() from the first `size` (<= kSmallInput)
  // bytes of small_scratch() to its output part. small_scratch() is nullptr when it cannot be
  // allocated.
  uint8_t* small_scratch() { return scratch_.get(); }
  Result<int64_t> decompress_small(size_t size, size_t max_output);

  // Size decompress() will produce, when the input's first frame states it and only that frame
  // is read; -1 otherwise (or when the header cannot be read: decompress() reports why).
  int64_t planned_size(const uint8_t* src, size_t size, const DecompressOptions& options) const;

  // decompress() in two steps, so the host can prepare the result's memory meanwhile: start()
  // returns the size to expect; with `background`, in a threaded build, a frame of known size of
  // at least kBackgroundMinimum goes on decoding on a pool thread (src must stay valid until
  // finish()). finish() waits and returns the result's size. The result stays here until
  // take_result() or drop_result(), so a host can copy it out without an object per call.
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

  // Decodes the frame at src into out (appending); returns the bytes of src it consumed.
  Result<size_t> decode_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out, size_t& out_size);
  Result<size_t> stream_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out, size_t& out_size);
  // Decodes one whole frame of frame_size bytes stating `content` bytes at once.
  Result<size_t> decode_known(const uint8_t* src, size_t frame_size, uint64_t content, size_t max_output, Buffer& out,
                              size_t& out_size);
  void decode_to_result(const uint8_t* src, size_t size, const DecompressOptions& options);

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

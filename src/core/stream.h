// Streaming sessions over ZSTD_compressStream2 / ZSTD_decompressStream. A session owns its
// context, an input staging buffer of libzstd's recommended size and an output sink, all
// allocated once and reused for every chunk. Callers copy input into input() (or point the
// session at memory they own with load_external()), then run(): output collects in the sink,
// which they copy out and clear().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "compressor.h"
#include "decompressor.h"
#include "error.h"

namespace zk {

// Input staging and output sink shared by both directions.
class StreamBuffers {
 public:
  uint8_t* input() const { return staging_.data(); }
  size_t input_capacity() const { return staging_.size(); }
  const uint8_t* output() const { return sink_.data(); }
  size_t output_size() const { return sink_used_; }

  // The next input: `size` bytes at input(), or `size` bytes at `data` (which must stay valid
  // and unchanged until consumed). Replaces input not consumed yet.
  void load(size_t size) { in_ = {staging_.data(), size, 0}; }
  void load_external(const uint8_t* data, size_t size) { in_ = {data, size, 0}; }
  size_t input_left() const { return in_.size - in_.pos; }

  // Empties the sink, keeping its memory (unless it grew far past the usual size).
  void clear();

 protected:
  Status init(size_t input_capacity, size_t output_step);
  // Room for one more step of output at the end of the sink.
  Result<ZSTD_outBuffer> reserve_step();
  void commit(const ZSTD_outBuffer& out) { sink_used_ += out.pos; }

  ZSTD_inBuffer in_{nullptr, 0, 0};

 private:
  Buffer staging_;
  Buffer sink_;
  size_t sink_used_ = 0;
  size_t output_step_ = 0;
};

class CompressSession : public StreamBuffers {
 public:
  // pledged_size: the total input size when known (written in the frame header and checked),
  // else -1.
  static Result<std::unique_ptr<CompressSession>> create(const CompressorOptions& options, int64_t pledged_size);

  // Compresses loaded input with `directive` (continue, flush or end) into the sink until the
  // input is consumed and, for flush and end, everything is flushed, or until the sink holds
  // at least max_output bytes (0 = no limit); then done() says whether it finished. After an
  // end, the session starts a new frame on the next input. Errors leave the session unusable.
  Status run(ZSTD_EndDirective directive, size_t max_output = 0);
  bool done() const { return done_; }

  ZSTD_frameProgression progression() const { return ZSTD_getFrameProgression(cctx_.get()); }
  size_t memory_size() const { return ZSTD_sizeof_CCtx(cctx_.get()) + input_capacity(); }

 private:
  CompressSession(DictionaryPtr dict, CCtxPtr cctx) : dict_(std::move(dict)), cctx_(std::move(cctx)) {}

  // The context may reference the dictionary's digested form: it lives as long as the session,
  // whatever becomes of the compressor and the dictionary object that made it (declared first,
  // so it goes last).
  DictionaryPtr dict_;
  CCtxPtr cctx_;
  bool done_ = true;
};

class DecompressSession : public StreamBuffers {
 public:
  static Result<std::unique_ptr<DecompressSession>> create(const DecompressorOptions& options);

  // Decompresses loaded input into the sink until the input is consumed and nothing is left to
  // flush, or until the sink holds at least max_output bytes (0 = no limit), or, unless
  // across_frames, until the first frame ends (input after it stays unconsumed). Skippable
  // frames are skipped.
  Status run(bool across_frames, size_t max_output = 0);
  bool done() const { return done_; }

  // True once a frame has ended and, unless reading across frames, nothing more is read.
  bool frame_ended() const { return frame_ended_; }
  // True while the input so far stops inside a frame: the end of the stream is then an error.
  bool in_frame() const { return in_frame_; }
  // The error for a stream that ends now, or ok.
  Status check_end() const;

  size_t memory_size() const { return ZSTD_sizeof_DCtx(dctx_.get()) + input_capacity(); }

 private:
  DecompressSession(DictionaryPtr dict, DCtxPtr dctx, bool magicless)
      : dict_(std::move(dict)), dctx_(std::move(dctx)), magicless_(magicless) {}

  // Magicless input goes to a zstd1 context with the magic number put back before each frame:
  // libzstd 1.5.4's streaming decoder sizes a frame it could decode in one pass with the zstd1
  // reader whatever the format, and so misreads magicless input. The header is gathered first and
  // handed over with the magic in a call of its own, where there is nothing to misread.
  Status feed_magicless_header();

  DictionaryPtr dict_;  // as CompressSession's: outlives the context that may reference it
  DCtxPtr dctx_;
  bool magicless_;
  uint8_t header_[4 + ZSTD_FRAMEHEADERSIZE_MAX] = {};  // the magic, then the frame header
  size_t header_size_ = 0;                             // header bytes gathered
  bool header_pending_ = true;                         // (magicless) the next bytes start a frame
  bool done_ = true;
  bool frame_ended_ = false;
  bool in_frame_ = false;
  bool output_pending_ = false;  // the last call filled its output: more may be waiting
};

}  // namespace zk

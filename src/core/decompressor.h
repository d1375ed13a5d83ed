// One-shot decompression over a reusable ZSTD_DCtx: frames with a content size decode straight
// into an exact-size buffer; frames without one stream into a growing buffer capped by
// max_output_size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "dictionary.h"
#include "error.h"

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

struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const noexcept { ZSTD_freeDCtx(d); }
};
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, DCtxFree>;

// A new context set up from options.
Result<DCtxPtr> create_dctx(const DecompressorOptions& options);

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

  // Size decompress() will produce, when the input's first frame states it and only that frame
  // is read; -1 otherwise (or when the header cannot be read: decompress() reports why).
  int64_t planned_size(const uint8_t* src, size_t size, const DecompressOptions& options) const;

  size_t memory_size() const { return ZSTD_sizeof_DCtx(dctx_.get()); }
  ZSTD_DCtx* dctx() const { return dctx_.get(); }
  const DecompressorOptions& options() const { return options_; }

 private:
  Decompressor(DCtxPtr dctx, const DecompressorOptions& options) : dctx_(std::move(dctx)), options_(options) {}

  // Decodes the frame at src into out (appending); returns the bytes of src it consumed.
  Result<size_t> decode_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out, size_t& out_size);
  Result<size_t> stream_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out, size_t& out_size);

  DCtxPtr dctx_;
  DecompressorOptions options_;
};

}  // namespace zk

// One-shot compression over a reusable ZSTD_CCtx. Streaming, dictionaries and explicit
// parameters extend this class; every libzstd allocation goes through the tracked allocator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "dictionary.h"
#include "error.h"

namespace zk {

struct CompressorOptions {
  int level = ZSTD_CLEVEL_DEFAULT;
  bool write_checksum = false;
  bool write_content_size = true;
  bool write_dict_id = true;
  int threads = 0;     // zstd workers for one input; -1 = max_threads()
  DictionaryPtr dict;  // none when null
  // Explicit parameters (ZSTD_cParameter, value), applied over the level's: with any, the
  // dictionary is loaded into each context rather than shared as a per-level CDict.
  std::vector<std::pair<int, int>> params;
};

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const noexcept { ZSTD_freeCCtx(c); }
};
using CCtxPtr = std::unique_ptr<ZSTD_CCtx, CCtxFree>;

// zstd worker threads the options ask for (`threads`, or an explicit nbWorkers), resolved.
int requested_workers(const CompressorOptions& options);

// A new context set up from options, with `workers` zstd worker threads (already resolved).
Result<CCtxPtr> create_cctx(const CompressorOptions& options, int workers);

class Compressor {
 public:
  static Result<std::unique_ptr<Compressor>> create(const CompressorOptions& options);

  // Compresses src into dst as one frame; returns the frame size. dst_size_too_small when it
  // does not fit (ZSTD_compressBound(size) always fits).
  Result<size_t> compress(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity);

  // Same frame, in a Buffer of exactly the frame's size.
  Result<Buffer> compress_to_buffer(const uint8_t* src, size_t size);

  size_t memory_size() const { return ZSTD_sizeof_CCtx(cctx_.get()); }
  const CompressorOptions& options() const { return options_; }
  ZSTD_CCtx* cctx() const { return cctx_.get(); }

 private:
  Compressor(CCtxPtr cctx, const CompressorOptions& options) : cctx_(std::move(cctx)), options_(options) {}

  CCtxPtr cctx_;
  CompressorOptions options_;
};

}  // namespace zk

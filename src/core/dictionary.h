// Dictionaries (python-zstandard's ZstdCompressionDict) and their training. A Dictionary is
// shared (shared_ptr) by every compressor, decompressor, batch job and stream that uses it; its
// digested forms are made once and reused: a ZSTD_CDict per compression level, one ZSTD_DDict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "error.h"
#include "segments.h"
#include "zstd_ptr.h"

namespace zk {

// Largest dictionary id libzstd can compress with when size_t is 32 bits (wasm32): it passes the
// id back as a size_t, and the top 120 values are its error codes. 64-bit builds have no limit.
constexpr uint32_t kMaxDictId = sizeof(size_t) == 4 ? 0xFFFFFFFFu - 120 : 0xFFFFFFFFu;
Status id_too_large(uint32_t id);

class Dictionary {
 public:
  // `type`: ZSTD_dct_auto (a full dictionary when the data starts with the dictionary magic,
  // else raw content), ZSTD_dct_rawContent or ZSTD_dct_fullDict (dictionary_corrupted when it is
  // not one).
  static Result<std::shared_ptr<Dictionary>> create(const uint8_t* data, size_t size, ZSTD_dictContentType_e type);
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  const uint8_t* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  ZSTD_dictContentType_e type() const { return type_; }
  // The id in a full dictionary's header; 0 for raw content.
  uint32_t id() const;

  // The dictionary digested for compression at `level`: made on first use, then shared.
  Result<const ZSTD_CDict*> cdict(int level);
  // The dictionary digested for decompression: made on first use, then shared.
  Result<const ZSTD_DDict*> ddict();

  size_t memory_size() const;

 private:
  Dictionary(Buffer bytes, ZSTD_dictContentType_e type) : bytes_(std::move(bytes)), type_(type) {}

  Buffer bytes_;
  ZSTD_dictContentType_e type_;
  mutable std::mutex mutex_;
  std::map<int, CDictPtr> cdicts_;
  DDictPtr ddict_;
};

using DictionaryPtr = std::shared_ptr<Dictionary>;

struct TrainOptions {
  unsigned k = 0, d = 0;  // both set: train with them; otherwise search (fastCover optimization)
  unsigned f = 0;         // 0: libzstd's default
  unsigned steps = 0;
  unsigned accel = 0;
  double split_point = 0;  // 0: libzstd's default
  int threads = 1;         // search threads (already clamped by the caller)
  int level = 3;
  uint32_t dict_id = 0;  // 0: random
  int notifications = 0;
};

// Trains a dictionary of at most dict_size bytes on the samples (fastCover).
Result<DictionaryPtr> train_dictionary(size_t dict_size, const BufferWithSegmentsCollection& samples,
                                       const TrainOptions& options);

}  // namespace zk

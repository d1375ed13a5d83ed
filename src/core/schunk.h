// A super-chunk (python-blosc2's SChunk): items of `typesize` bytes stored in chunks of
// `chunk_size` bytes, each chunk one zstd frame, decoded only when an operation touches it. Its
// serialized form (the cframe) is a seekable zstd file (seekable.h): a skippable header frame
// (typesize, chunk size, user metadata), one frame per chunk, and the seek table, so `zstd -d`
// decodes it to the items and any seekable-format reader finds single chunks.
//
// Chunks can be external: described by the cframe's seek table while their bytes stay with the
// host (a cframe opened without copying). The host attaches an external chunk's frame before an
// operation touches it (touched() says which) and detaches it after; an operation that needs a
// chunk not attached fails with invalid_state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "buffer.h"
#include "compressor.h"
#include "decompressor.h"
#include "error.h"
#include "seekable.h"
#include "zstd_ptr.h"

namespace zk {

constexpr uint32_t kSChunkHeaderMagic = 0x184D2A5B;  // the skippable frame of the header
constexpr uint32_t kSChunkHeaderTag = 0x63736B7A;    // "zksc"
// After the skippable frame's 8 bytes: tag, version (1), flags (0), reserved (0), typesize, chunk
// size, meta size (u32 each but version and flags, u8, and reserved, u16), then the meta bytes.
constexpr size_t kSChunkHeaderFixed = 20;
constexpr uint32_t kSChunkMaxMeta = 1 << 20;

struct SChunkOptions {
  size_t chunk_size = 0;  // bytes per chunk: a positive multiple of typesize, below 2 GiB
  size_t typesize = 1;    // bytes per item, 1..kMaxTypesize
  CompressorOptions compressor;
};
constexpr size_t kMaxTypesize = 1 << 16;

// The fields of a cframe's header frame.
struct SChunkHeader {
  size_t typesize = 1;
  size_t chunk_size = 0;
  Buffer meta;  // opaque to the core (the host's tensor description, for instance)
};

// Reads the header frame at src (exactly `size` bytes) into out: true when it is one, false when the
// frame is something else (another skippable frame, a zstd frame); corruption_detected when it has
// the header's magic and tag but fields that do not check out.
Result<bool> parse_schunk_header(const uint8_t* src, size_t size, SChunkHeader& out);

class SChunk {
 public:
  static Result<std::unique_ptr<SChunk>> create(const SChunkOptions& options);

  // A cframe: the seek table (`table`, the last table_size bytes of a file of file_size bytes) and
  // its first bytes (`head`: the header frame is read from them when they hold all of it). With
  // `whole`, the cframe's bytes in tracked memory: chunks are slices of it (no copy). Without,
  // chunks are external. typesize / chunk_size (0: from the header, else 1 / the largest frame)
  // apply when the cframe has no header. Frames of no content other than the header are dropped.
  static Result<std::unique_ptr<SChunk>> open(const SChunkOptions& options, const Buffer* whole, const uint8_t* table,
                                              size_t table_size, uint64_t file_size, const uint8_t* head,
                                              size_t head_size);

  size_t chunk_size() const { return options_.chunk_size; }
  size_t typesize() const { return options_.typesize; }
  size_t nchunks() const { return chunks_.size(); }
  uint64_t nbytes() const { return starts_.back(); }
  uint64_t cbytes() const { return cbytes_; }
  const Buffer& meta() const { return meta_; }
  void set_meta(Buffer meta) { meta_ = std::move(meta); }

  // Items are addressed in bytes here (the host multiplies by typesize); every offset and size
  // must be a multiple of typesize (out_of_range otherwise).
  Status append(const uint8_t* src, size_t size);
  // [start, stop) into dst (stop - start bytes): only the chunks it touches are decoded.
  Status get_slice(uint64_t start, uint64_t stop, uint8_t* dst);
  // Writes size bytes at start (<= nbytes()): the chunks they cover are updated, what lies past
  // the end is appended.
  Status set_slice(uint64_t start, const uint8_t* src, size_t size);
  // Chunk i decoded into dst (capacity at least chunk_bytes(i)); returns its size.
  Result<size_t> decompress_chunk(size_t i, uint8_t* dst, size_t capacity);
  Status insert_chunk(size_t i, const uint8_t* src, size_t size);
  Status delete_chunk(size_t i);

  size_t chunk_bytes(size_t i) const { return chunks_[i].size; }
  uint64_t chunk_start(size_t i) const { return starts_[i]; }
  // The chunks that bytes [start, stop) touch, [first, last) (empty when start == stop); ranges
  // past the end are clipped to the chunks there are (set_slice appends the rest).
  std::pair<size_t, size_t> touched(uint64_t start, uint64_t stop) const;

  // External chunks (see above).
  bool external(size_t i) const { return chunks_[i].external; }
  bool attached(size_t i) const { return chunks_[i].frame.data() != nullptr; }
  uint64_t source_offset(size_t i) const { return chunks_[i].source_offset; }
  size_t frame_size(size_t i) const { return chunks_[i].compressed; }
  // Copies the frame of external chunk i (exactly frame_size(i) bytes) in for the next operations.
  Status attach(size_t i, const uint8_t* src, size_t size);
  // Forgets an attached copy (an external chunk only: an updated one owns its frame).
  void detach(size_t i);
  // Chunk i's frame, when it is in memory (not external, or attached); nullptr otherwise.
  const uint8_t* frame_data(size_t i) const { return chunks_[i].frame.data(); }

  // The cframe's parts: the header frame, and the seek table (header, then one frame per chunk).
  Result<Buffer> header_frame() const;
  Result<Buffer> seek_table() const;
  // The whole cframe, when no chunk is external and detached (invalid_state otherwise).
  Result<Buffer> to_cframe() const;

  size_t memory_size() const;

 private:
  struct Chunk {
    Buffer frame;                // the compressed frame (empty while external and not attached)
    uint32_t size = 0;           // decompressed bytes
    uint32_t compressed = 0;     // frame bytes
    uint32_t checksum = 0;       // XXH64-low-32 of the content, when checksums_
    uint64_t source_offset = 0;  // external: where the frame is in the host's cframe
    bool external = false;
  };

  SChunk(const SChunkOptions& options, CCtxPtr cctx, DCtxPtr dctx)
      : options_(options), cctx_(std::move(cctx)), dctx_(std::move(dctx)) {}

  static Status check_options(const SChunkOptions& options);
  Status check_multiple(uint64_t n, const char* what) const;
  // A chunk made from `size` raw bytes.
  Result<Chunk> compress_chunk(const uint8_t* src, size_t size);
  // Chunk i decoded into dst.
  Status decode(size_t i, uint8_t* dst);
  // Chunk i decoded into scratch_ (grown as needed).
  Status decode_to_scratch(size_t i);
  void replace(size_t i, Chunk chunk);
  void restart_offsets(size_t from);

  SChunkOptions options_;
  CCtxPtr cctx_;
  DCtxPtr dctx_;
  std::vector<Chunk> chunks_;
  std::vector<uint64_t> starts_{0};  // decompressed offset of each chunk, then the total
  uint64_t cbytes_ = 0;
  bool checksums_ = false;  // chunks carry checksums (a cframe opened with them keeps them)
  Buffer meta_;
  Buffer scratch_;     // a decoded chunk being merged
  Buffer compressed_;  // compressBound(chunk_size): where chunks are compressed before their copy
};

}  // namespace zk

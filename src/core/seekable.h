// zstd's seekable format (contrib/seekable_format): frames compressed independently, followed by a
// seek table in a skippable frame, so that any range can be decoded from the frames it touches.
// Here: the seek table (parsed with every field checked, and written), the one-shot and streaming
// seekable compressors, and the decoder of one frame of a table.
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
#include "stream.h"
#include "zstd_ptr.h"

namespace zk {

constexpr uint32_t kSeekableMagic = 0x8F92EAB1;     // the last four bytes of a seekable file
constexpr uint32_t kSeekTableMagic = 0x184D2A5E;    // the skippable frame holding the table
constexpr size_t kSeekTableFooterSize = 9;          // Number_Of_Frames, descriptor, magic
constexpr size_t kSkippableHeaderSize = 8;          // magic, Frame_Size
constexpr uint32_t kSeekableMaxFrames = 0x8000000;  // ZSTD_SEEKABLE_MAXFRAMES
// Largest decompressed size of one frame the writers make (ZSTD_SEEKABLE_MAX_FRAME_DECOMPRESSED_SIZE).
constexpr uint64_t kSeekableMaxFrameSize = 0x80000000;

// Little-endian fields, as the seek table and the SChunk header store them.
inline uint32_t read_le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

inline void write_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// Seek-table errors that are not zstd's: the JS API's 'seek_table_invalid'.
Status seek_table_invalid(const std::string& why);

// The least significant 32 bits of XXH64 (seed 0): the checksum of a seek-table entry.
uint32_t frame_checksum(const uint8_t* data, size_t size);

// What the last kSeekTableFooterSize bytes of a file of file_size bytes say: the number of frames,
// whether entries carry checksums, and the size of the whole seek-table frame (checked to fit in
// the file, so a reader can fetch exactly that many bytes before parsing).
struct SeekTableFooter {
  uint32_t frames = 0;
  bool checksums = false;
  size_t table_size = 0;  // the skippable frame, header included
};
Result<SeekTableFooter> parse_seek_table_footer(const uint8_t* footer, size_t size, uint64_t file_size);

// A parsed seek table: frame i's compressed bytes are [compressed_offset(i), +compressed_size(i))
// of the file and decode to [decompressed_offset(i), +decompressed_size(i)).
class SeekTable {
 public:
  SeekTable() = default;

  // `table` holds the whole seek-table frame, the last bytes of a file of file_size bytes. Every
  // field is checked: both magic numbers, the skippable frame's size, the descriptor's reserved
  // bits, the frame count, each entry (a frame of at least a skippable header, a decompressed size
  // its compressed size can hold), and the compressed sizes must add up to exactly the bytes
  // before the table. Anything else is seek_table_invalid.
  static Result<SeekTable> parse(const uint8_t* table, size_t size, uint64_t file_size);

  size_t frame_count() const { return count_; }
  bool has_checksums() const { return checksums_; }
  uint64_t compressed_offset(size_t i) const { return offsets()[2 * i]; }
  uint64_t decompressed_offset(size_t i) const { return offsets()[2 * i + 1]; }
  uint32_t compressed_size(size_t i) const {
    return static_cast<uint32_t>(compressed_offset(i + 1) - compressed_offset(i));
  }
  uint32_t decompressed_size(size_t i) const {
    return static_cast<uint32_t>(decompressed_offset(i + 1) - decompressed_offset(i));
  }
  uint32_t checksum(size_t i) const { return checksums_ ? sums()[i] : 0; }
  // Bytes of frames (everything before the table) and what they decode to.
  uint64_t compressed_size() const { return compressed_offset(count_); }
  uint64_t decompressed_size() const { return decompressed_offset(count_); }
  size_t table_size() const { return table_size_; }
  // Largest compressed and decompressed size of one frame.
  uint32_t max_compressed_size() const { return max_compressed_; }
  uint32_t max_decompressed_size() const { return max_decompressed_; }

  // The frame holding decompressed byte `offset` (< decompressed_size()): the last frame starting
  // at or before it, so frames of no content are never chosen.
  size_t frame_at(uint64_t offset) const;

  size_t memory_size() const { return storage_.size(); }

 private:
  // count_ + 1 (compressed, decompressed) offset pairs, then count_ checksums when present.
  const uint64_t* offsets() const { return reinterpret_cast<const uint64_t*>(storage_.data()); }
  const uint32_t* sums() const { return reinterpret_cast<const uint32_t*>(storage_.data() + 16 * (count_ + 1)); }

  Buffer storage_;
  size_t count_ = 0;
  bool checksums_ = false;
  size_t table_size_ = 0;
  uint32_t max_compressed_ = 0;
  uint32_t max_decompressed_ = 0;
};

// The entries of a seek table being written (ZSTD_frameLog): 12 bytes per frame.
class SeekTableWriter {
 public:
  explicit SeekTableWriter(bool checksums) : checksums_(checksums) {}

  // Adds a frame; frame_index_too_large past kSeekableMaxFrames, out_of_range for sizes that do
  // not fit the format's 32-bit fields.
  Status add(uint64_t compressed_size, uint64_t decompressed_size, uint32_t checksum);
  size_t frame_count() const { return entries_.size(); }
  bool checksums() const { return checksums_; }
  // Size of the seek-table frame, and the frame itself written at dst (table_size() bytes).
  size_t table_size() const;
  void write(uint8_t* dst) const;
  Result<Buffer> serialize() const;

 private:
  struct Entry {
    uint32_t compressed, decompressed, checksum;
  };
  bool checksums_;
  std::vector<Entry> entries_;
};

struct SeekableOptions {
  size_t frame_size = 1 << 20;  // decompressed bytes per frame, 1..kSeekableMaxFrameSize
  bool checksum = true;         // XXH64-low-32 of each frame in the seek table
};

// out_of_range unless frame_size is in 1..kSeekableMaxFrameSize.
Status check_seekable_options(const SeekableOptions& options);

// One-shot: src in frames of frame_size bytes (each one ZSTD_compress2 call, content size written
// as `options` say), then the seek table.
Result<Buffer> compress_seekable(const CompressorOptions& compressor, const SeekableOptions& options,
                                 const uint8_t* src, size_t size);

// Streaming, as CompressSession (stream.h) with the same directives: continue; flush (the current
// frame's data so far made decodable); end (the current frame ends, the next input starts a new
// one). finish() (kFinish) ends the current frame and writes the seek table: the stream is then
// complete and takes no more input.
class SeekableCompressSession : public StreamBuffers {
 public:
  static constexpr int kFinish = 3;  // a directive beyond ZSTD_EndDirective's
  static Result<std::unique_ptr<SeekableCompressSession>> create(const CompressorOptions& compressor,
                                                                 const SeekableOptions& options);

  // Compresses loaded input with `directive` (ZSTD_e_continue, ZSTD_e_flush, ZSTD_e_end or
  // kFinish) into the sink until it is consumed and the directive carried out, or until the sink
  // holds at least max_output bytes (0 = no limit); done() says which. Errors leave it unusable.
  Status run(int directive, size_t max_output = 0);
  bool done() const { return done_; }
  bool finished() const { return phase_ == Phase::finished; }
  size_t frame_count() const { return log_.frame_count(); }

  size_t memory_size() const { return ZSTD_sizeof_CCtx(cctx_.get()) + input_capacity() + table_.size(); }

 private:
  enum class Phase { frames, table, finished };
  SeekableCompressSession(CCtxPtr cctx, const SeekableOptions& options)
      : cctx_(std::move(cctx)), options_(options), log_(options.checksum) {}

  void reset_frame();
  Status close_frame();

  CCtxPtr cctx_;
  SeekableOptions options_;
  SeekTableWriter log_;
  struct XXH;                  // the running checksum of the current frame
  std::shared_ptr<XXH> hash_;  // (a pointer keeps xxhash.h out of this header)
  uint64_t frame_in_ = 0;      // decompressed bytes in the current frame
  uint64_t frame_out_ = 0;     // its compressed bytes so far
  bool ending_ = false;        // the current frame is being ended
  Phase phase_ = Phase::frames;
  Buffer table_;
  size_t table_pos_ = 0;
  bool done_ = true;
};

// Decodes single frames of a seek table's file: the compressed bytes of frame i go in, exactly its
// decompressed size comes out, checked against the frame's own checksum (libzstd) and the table's.
class SeekableDecoder {
 public:
  static Result<std::unique_ptr<SeekableDecoder>> create(const DecompressorOptions& options);

  // Decodes frame i of `table` from its compressed bytes (exactly compressed_size(i) of them) into
  // output(); returns its decompressed size. corruption_detected when the bytes are not one frame
  // of that size decoding to that many bytes, checksum_wrong when a checksum does not match.
  Result<size_t> decode(const SeekTable& table, size_t i, const uint8_t* src, size_t size);
  const uint8_t* output() const { return out_.data(); }
  // The same, into dst (capacity at least the frame's decompressed size).
  Result<size_t> decode_into(const SeekTable& table, size_t i, const uint8_t* src, size_t size, uint8_t* dst,
                             size_t capacity);

  size_t memory_size() const { return ZSTD_sizeof_DCtx(dctx_.get()) + out_.size(); }

 private:
  explicit SeekableDecoder(DCtxPtr dctx) : dctx_(std::move(dctx)) {}
  DCtxPtr dctx_;
  Buffer out_;
};

// Decodes one frame of `expected` decompressed bytes, held in exactly `size` bytes at src, into
// dst: what SeekableDecoder and SChunk share. A skippable frame (which decodes to nothing) is
// accepted when expected is 0. checksum: verified when `verify`.
Result<size_t> decode_exact_frame(ZSTD_DCtx* dctx, const uint8_t* src, size_t size, uint32_t expected, uint8_t* dst,
                                  bool verify, uint32_t checksum);

}  // namespace zk

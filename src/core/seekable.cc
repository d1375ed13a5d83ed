#include "seekable.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <zstd_errors.h>

#define XXH_STATIC_LINKING_ONLY
#include <common/xxhash.h>

#include "frame.h"

namespace zk {

namespace {

constexpr uint8_t kChecksumFlag = 0x80;
constexpr uint8_t kReservedBits = 0x7C;  // bits 6-2; bits 1-0 are unused and ignored

size_t entry_size(bool checksums) { return checksums ? 12 : 8; }

}  // namespace

Status seek_table_invalid(const std::string& why) { return Status(LibError::seek_table_invalid, why); }

uint32_t frame_checksum(const uint8_t* data, size_t size) {
  return static_cast<uint32_t>(XXH64(data, size, 0) & 0xFFFFFFFFu);
}

Result<SeekTableFooter> parse_seek_table_footer(const uint8_t* footer, size_t size, uint64_t file_size) {
  if (size != kSeekTableFooterSize || file_size < kSkippableHeaderSize + kSeekTableFooterSize) {
    return seek_table_invalid("no seek table: the data is too short to end with one");
  }
  if (read_le32(footer + 5) != kSeekableMagic) {
    return seek_table_invalid("no seek table: the data does not end with the seekable magic number");
  }
  const uint8_t descriptor = footer[4];
  if ((descriptor & kReservedBits) != 0) {
    return seek_table_invalid("the seek table descriptor has reserved bits set");
  }
  SeekTableFooter f;
  f.frames = read_le32(footer);
  f.checksums = (descriptor & kChecksumFlag) != 0;
  if (f.frames > kSeekableMaxFrames) {
    return seek_table_invalid("the seek table claims " + std::to_string(f.frames) +
                              " frames, more than the format allows");
  }
  const uint64_t table = kSkippableHeaderSize + uint64_t{f.frames} * entry_size(f.checksums) + kSeekTableFooterSize;
  if (table > file_size) {
    return seek_table_invalid("the seek table claims " + std::to_string(f.frames) + " frames, more than the " +
                              std::to_string(file_size) + " bytes of data can hold");
  }
  f.table_size = static_cast<size_t>(table);
  return f;
}

Result<SeekTable> SeekTable::parse(const uint8_t* table, size_t size, uint64_t file_size) {
  if (size < kSkippableHeaderSize + kSeekTableFooterSize || size > file_size) {
    return seek_table_invalid("the seek table is too short");
  }
  auto footer = parse_seek_table_footer(table + size - kSeekTableFooterSize, kSeekTableFooterSize, file_size);
  if (!footer.ok()) return footer.status();
  const SeekTableFooter& f = footer.value();
  if (f.table_size != size) {
    return seek_table_invalid("the seek table is " + std::to_string(size) + " bytes, its footer says " +
                              std::to_string(f.table_size));
  }
  if (read_le32(table) != kSeekTableMagic) {
    return seek_table_invalid("the seek table is not in a skippable frame with magic 0x184D2A5E");
  }
  if (uint64_t{read_le32(table + 4)} + kSkippableHeaderSize != size) {
    return seek_table_invalid("the seek table's skippable frame size does not match its entries");
  }

  SeekTable t;
  t.count_ = f.frames;
  t.checksums_ = f.checksums;
  t.table_size_ = size;
  // Bounded by the table itself: at most 24 bytes here per 8 bytes of entry read.
  auto storage = Buffer::allocate(16 * (uint64_t{f.frames} + 1) + (f.checksums ? 4 * uint64_t{f.frames} : 0));
  if (!storage.ok()) return storage.status();
  t.storage_ = std::move(storage.value());
  auto* offsets = reinterpret_cast<uint64_t*>(t.storage_.data());
  auto* sums = reinterpret_cast<uint32_t*>(t.storage_.data() + 16 * (uint64_t{f.frames} + 1));
  const uint8_t* entry = table + kSkippableHeaderSize;
  uint64_t c_offset = 0, d_offset = 0;
  for (size_t i = 0; i < f.frames; ++i, entry += entry_size(f.checksums)) {
    const uint32_t c = read_le32(entry);
    const uint32_t d = read_le32(entry + 4);
    if (c < kSkippableHeaderSize) {
      return seek_table_invalid("frame " + std::to_string(i) + ": a compressed size of " + std::to_string(c) +
                                " bytes is smaller than any frame");
    }
    if (d > zk::max_decompressed_size(c)) {
      return seek_table_invalid("frame " + std::to_string(i) + ": " + std::to_string(c) +
                                " compressed bytes cannot hold the " + std::to_string(d) + " bytes it claims");
    }
    offsets[2 * i] = c_offset;
    offsets[2 * i + 1] = d_offset;
    if (f.checksums) sums[i] = read_le32(entry + 8);
    c_offset += c;
    d_offset += d;
    t.max_compressed_ = std::max(t.max_compressed_, c);
    t.max_decompressed_ = std::max(t.max_decompressed_, d);
  }
  offsets[2 * f.frames] = c_offset;
  offsets[2 * f.frames + 1] = d_offset;
  if (c_offset != file_size - size) {
    return seek_table_invalid("the frames of the seek table add up to " + std::to_string(c_offset) + " bytes, but " +
                              std::to_string(file_size - size) + " bytes precede the table");
  }
  return t;
}

size_t SeekTable::frame_at(uint64_t offset) const {
  size_t lo = 0, hi = count_;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (decompressed_offset(mid) <= offset)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

Status SeekTableWriter::add(uint64_t compressed_size, uint64_t decompressed_size, uint32_t checksum) {
  if (entries_.size() >= kSeekableMaxFrames) {
    return Status(ZSTD_error_frameIndex_tooLarge,
                  "a seekable file holds at most " + std::to_string(kSeekableMaxFrames) + " frames");
  }
  if (compressed_size > UINT32_MAX || decompressed_size > UINT32_MAX) {
    return Status(LibError::out_of_range, "a seekable frame must be under 4 GiB, compressed and decompressed");
  }
  entries_.push_back({static_cast<uint32_t>(compressed_size), static_cast<uint32_t>(decompressed_size), checksum});
  return Status();
}

size_t SeekTableWriter::table_size() const {
  return kSkippableHeaderSize + entries_.size() * entry_size(checksums_) + kSeekTableFooterSize;
}

void SeekTableWriter::write(uint8_t* dst) const {
  const size_t size = table_size();
  write_le32(dst, kSeekTableMagic);
  write_le32(dst + 4, static_cast<uint32_t>(size - kSkippableHeaderSize));
  uint8_t* p = dst + kSkippableHeaderSize;
  for (const Entry& e : entries_) {
    write_le32(p, e.compressed);
    write_le32(p + 4, e.decompressed);
    if (checksums_) write_le32(p + 8, e.checksum);
    p += entry_size(checksums_);
  }
  write_le32(p, static_cast<uint32_t>(entries_.size()));
  p[4] = checksums_ ? kChecksumFlag : 0;
  write_le32(p + 5, kSeekableMagic);
}

Result<Buffer> SeekTableWriter::serialize() const {
  auto out = Buffer::allocate(table_size());
  if (!out.ok()) return out;
  write(out.value().data());
  return out;
}

Status check_seekable_options(const SeekableOptions& options) {
  if (options.frame_size == 0 || options.frame_size > kSeekableMaxFrameSize) {
    return Status(LibError::out_of_range, "frameSize must be in [1, " + std::to_string(kSeekableMaxFrameSize) +
                                              "], got " + std::to_string(options.frame_size));
  }
  return Status();
}

Result<Buffer> compress_seekable(const CompressorOptions& compressor, const SeekableOptions& options,
                                 const uint8_t* src, size_t size) {
  Status st = check_seekable_options(options);
  if (!st.ok()) return st;
  const uint64_t frames = size == 0 ? 0 : (uint64_t{size} - 1) / options.frame_size + 1;
  if (frames > kSeekableMaxFrames) {
    return Status(ZSTD_error_frameIndex_tooLarge, std::to_string(frames) + " frames of frameSize bytes: more than " +
                                                      std::to_string(kSeekableMaxFrames) + " (use larger frames)");
  }
  uint64_t bound = kSkippableHeaderSize + frames * entry_size(options.checksum) + kSeekTableFooterSize;
  for (uint64_t at = 0; at < size; at += options.frame_size) {
    bound += ZSTD_compressBound(static_cast<size_t>(std::min<uint64_t>(options.frame_size, size - at)));
  }
  auto cctx = create_cctx(compressor, requested_workers(compressor));
  if (!cctx.ok()) return cctx.status();
  auto out = Buffer::allocate(bound);
  if (!out.ok()) return out;
  SeekTableWriter log(options.checksum);
  size_t pos = 0;
  for (size_t at = 0; at < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(options.frame_size, size - at));
    const size_t written =
        ZSTD_compress2(cctx.value().get(), out.value().data() + pos, out.value().size() - pos, src + at, n);
    if (ZSTD_isError(written)) return Status::from_zstd(written, "compress");
    st = log.add(written, n, options.checksum ? frame_checksum(src + at, n) : 0);
    if (!st.ok()) return st;
    pos += written;
    at += n;
  }
  log.write(out.value().data() + pos);
  st = out.value().resize(pos + log.table_size());
  if (!st.ok()) return st;
  return out;
}

struct SeekableCompressSession::XXH {
  XXH64_state_t state;
};

Result<std::unique_ptr<SeekableCompressSession>> SeekableCompressSession::create(const CompressorOptions& compressor,
                                                                                 const SeekableOptions& options) {
  Status st = check_seekable_options(options);
  if (!st.ok()) return st;
  auto cctx = create_cctx(compressor, requested_workers(compressor));
  if (!cctx.ok()) return cctx.status();
  std::unique_ptr<SeekableCompressSession> session(new SeekableCompressSession(std::move(cctx.value()), options));
  session->hash_ = std::make_shared<XXH>();
  session->reset_frame();
  st = session->init(ZSTD_CStreamInSize(), ZSTD_CStreamOutSize());
  if (!st.ok()) return st;
  return session;
}

void SeekableCompressSession::reset_frame() {
  frame_in_ = 0;
  frame_out_ = 0;
  XXH64_reset(&hash_->state, 0);
}

Status SeekableCompressSession::close_frame() {
  const uint32_t sum = options_.checksum ? static_cast<uint32_t>(XXH64_digest(&hash_->state) & 0xFFFFFFFFu) : 0;
  Status st = log_.add(frame_out_, frame_in_, sum);
  reset_frame();
  return st;
}

Status SeekableCompressSession::run(int directive, size_t max_output) {
  if (phase_ == Phase::finished) {
    done_ = true;
    if (input_left() > 0)
      return Status(LibError::invalid_state, "the seekable stream is finished: it takes no more data");
    return Status();
  }
  done_ = false;
  auto fail = [this](size_t ret) {
    ZSTD_CCtx_reset(cctx_.get(), ZSTD_reset_session_only);
    return Status::from_zstd(ret, "compress");
  };
  while (max_output == 0 || output_size() < max_output) {
    auto out = reserve_step();
    if (!out.ok()) return out.status();
    ZSTD_outBuffer& o = out.value();
    if (phase_ == Phase::table) {
      const size_t n = std::min(o.size, table_.size() - table_pos_);
      std::memcpy(o.dst, table_.data() + table_pos_, n);
      o.pos = n;
      commit(o);
      table_pos_ += n;
      if (table_pos_ == table_.size()) {
        phase_ = Phase::finished;
        table_ = Buffer();
        done_ = true;
        break;
      }
      continue;
    }
    if (ending_) {
      ZSTD_inBuffer none{nullptr, 0, 0};
      const size_t ret = ZSTD_compressStream2(cctx_.get(), &o, &none, ZSTD_e_end);
      commit(o);
      frame_out_ += o.pos;
      if (ZSTD_isError(ret)) return fail(ret);
      if (ret == 0) {
        ending_ = false;
        Status st = close_frame();
        if (!st.ok()) return st;
      }
      continue;
    }
    if (in_.pos < in_.size) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(in_.size - in_.pos, options_.frame_size - frame_in_));
      const auto* start = static_cast<const uint8_t*>(in_.src) + in_.pos;
      ZSTD_inBuffer piece{start, take, 0};
      const size_t ret = ZSTD_compressStream2(cctx_.get(), &o, &piece, ZSTD_e_continue);
      commit(o);
      frame_out_ += o.pos;
      if (ZSTD_isError(ret)) return fail(ret);
      if (options_.checksum) XXH64_update(&hash_->state, start, piece.pos);
      in_.pos += piece.pos;
      frame_in_ += piece.pos;
      if (frame_in_ == options_.frame_size) ending_ = true;
      continue;
    }
    // The input is consumed: carry out the directive.
    if (directive == ZSTD_e_continue) {
      done_ = true;
      break;
    }
    if (directive == ZSTD_e_flush) {
      if (frame_in_ == 0) {  // nothing in this frame yet: nothing to flush (and no empty frame to start)
        done_ = true;
        break;
      }
      ZSTD_inBuffer none{nullptr, 0, 0};
      const size_t ret = ZSTD_compressStream2(cctx_.get(), &o, &none, ZSTD_e_flush);
      commit(o);
      frame_out_ += o.pos;
      if (ZSTD_isError(ret)) return fail(ret);
      if (ret == 0) {
        done_ = true;
        break;
      }
      continue;
    }
    if (frame_in_ > 0) {
      ending_ = true;
      continue;
    }
    if (directive == ZSTD_e_end) {
      done_ = true;
      break;
    }
    if (directive != kFinish) return Status(LibError::invalid_state, "unknown directive " + std::to_string(directive));
    auto table = log_.serialize();
    if (!table.ok()) return table.status();
    table_ = std::move(table.value());
    table_pos_ = 0;
    phase_ = Phase::table;
  }
  return Status();
}

Result<size_t> decode_exact_frame(ZSTD_DCtx* dctx, const uint8_t* src, size_t size, uint32_t expected, uint8_t* dst,
                                  bool verify, uint32_t checksum) {
  if (size >= kSkippableHeaderSize && (read_le32(src) & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START) {
    if (uint64_t{read_le32(src + 4)} + kSkippableHeaderSize != size) {
      return Status(ZSTD_error_corruption_detected, "a skippable frame whose size is not the seek table's");
    }
    if (expected != 0) {
      return Status(ZSTD_error_corruption_detected,
                    "a skippable frame where the seek table expects " + std::to_string(expected) + " bytes");
    }
    return size_t{0};
  }
  auto header = read_frame_header(src, size);
  if (!header.ok()) return header.status();
  const size_t frame_size = ZSTD_findFrameCompressedSize(src, size);
  if (ZSTD_isError(frame_size)) return Status::from_zstd(frame_size, "decompress");
  if (frame_size != size) {
    return Status(ZSTD_error_corruption_detected,
                  "the frame is " + std::to_string(frame_size) + " bytes, the seek table says " + std::to_string(size));
  }
  const uint64_t content = header.value().frameContentSize;
  if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != expected) {
    return Status(ZSTD_error_corruption_detected, "the frame holds " + std::to_string(content) +
                                                      " bytes, the seek table says " + std::to_string(expected));
  }
  const size_t written = ZSTD_decompressDCtx(dctx, dst, expected, src, size);
  if (ZSTD_isError(written)) {
    if (ZSTD_getErrorCode(written) == ZSTD_error_dstSize_tooSmall) {
      return Status(ZSTD_error_corruption_detected,
                    "the frame decodes to more than the " + std::to_string(expected) + " bytes of the seek table");
    }
    return Status::from_zstd(written, "decompress");
  }
  Status decoded = check_decoded_size(written, expected);
  if (!decoded.ok()) return decoded;
  if (verify && frame_checksum(dst, written) != checksum) {
    return Status(ZSTD_error_checksum_wrong, "the frame's XXH64 does not match the seek table's checksum");
  }
  return written;
}

Result<std::unique_ptr<SeekableDecoder>> SeekableDecoder::create(const DecompressorOptions& options) {
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  return std::unique_ptr<SeekableDecoder>(new SeekableDecoder(std::move(dctx.value())));
}

Result<size_t> SeekableDecoder::decode_into(const SeekTable& table, size_t i, const uint8_t* src, size_t size,
                                            uint8_t* dst, size_t capacity) {
  if (i >= table.frame_count()) {
    return Status(LibError::out_of_range, "frame " + std::to_string(i) + " of " + std::to_string(table.frame_count()));
  }
  if (size != table.compressed_size(i) || capacity < table.decompressed_size(i)) {
    return Status(LibError::out_of_range, "frame " + std::to_string(i) + ": " + std::to_string(size) +
                                              " bytes given, the seek table says " +
                                              std::to_string(table.compressed_size(i)));
  }
  auto r = decode_exact_frame(dctx_.get(), src, size, table.decompressed_size(i), dst, table.has_checksums(),
                              table.checksum(i));
  if (!r.ok()) return r.status().prefixed("frame " + std::to_string(i) + ": ");
  return r;
}

Result<size_t> SeekableDecoder::decode(const SeekTable& table, size_t i, const uint8_t* src, size_t size) {
  if (i < table.frame_count() && out_.size() < table.decompressed_size(i)) {
    Status st = out_.resize(table.decompressed_size(i));
    if (!st.ok()) return st;
  }
  return decode_into(table, i, src, size, out_.data(), out_.size());
}

}  // namespace zk

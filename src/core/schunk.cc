#include "schunk.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <zstd_errors.h>

#include "memory.h"

namespace zk {

namespace {

constexpr uint8_t kHeaderVersion = 1;
constexpr uint64_t kMaxChunkSize = kSeekableMaxFrameSize - 1;  // below 2 GiB

Status corrupt_header(const std::string& why) {
  return Status(ZSTD_error_corruption_detected, "SChunk header: " + why);
}

std::string index_message(size_t i, size_t n) {
  return "chunk " + std::to_string(i) + " is out of range (" + std::to_string(n) + " chunks)";
}

}  // namespace

Result<bool> parse_schunk_header(const uint8_t* src, size_t size, SChunkHeader& out) {
  if (size < kSkippableHeaderSize + 4 || read_le32(src) != kSChunkHeaderMagic ||
      read_le32(src + kSkippableHeaderSize) != kSChunkHeaderTag) {
    return false;
  }
  if (uint64_t{read_le32(src + 4)} + kSkippableHeaderSize != size) return corrupt_header("frame size mismatch");
  if (size < kSkippableHeaderSize + kSChunkHeaderFixed) return corrupt_header("too short");
  const uint8_t* p = src + kSkippableHeaderSize;
  if (p[4] != kHeaderVersion) return corrupt_header("unsupported version " + std::to_string(p[4]));
  if (p[5] != 0 || p[6] != 0 || p[7] != 0) return corrupt_header("unknown flags");
  const uint32_t typesize = read_le32(p + 8);
  const uint32_t chunk_size = read_le32(p + 12);
  const uint32_t meta_size = read_le32(p + 16);
  if (typesize == 0 || typesize > kMaxTypesize) return corrupt_header("typesize " + std::to_string(typesize));
  if (chunk_size == 0 || chunk_size > kMaxChunkSize || chunk_size % typesize != 0) {
    return corrupt_header("chunk size " + std::to_string(chunk_size));
  }
  if (meta_size > kSChunkMaxMeta || meta_size != size - kSkippableHeaderSize - kSChunkHeaderFixed) {
    return corrupt_header("metadata size mismatch");
  }
  auto meta = Buffer::copy_of(p + kSChunkHeaderFixed, meta_size);
  if (!meta.ok()) return meta.status();
  out.typesize = typesize;
  out.chunk_size = chunk_size;
  out.meta = std::move(meta.value());
  return true;
}

Status SChunk::check_options(const SChunkOptions& o) {
  if (o.typesize == 0 || o.typesize > kMaxTypesize) {
    return Status(LibError::out_of_range,
                  "typesize must be in [1, " + std::to_string(kMaxTypesize) + "], got " + std::to_string(o.typesize));
  }
  if (o.chunk_size == 0 || o.chunk_size > kMaxChunkSize || o.chunk_size % o.typesize != 0) {
    return Status(LibError::out_of_range, "chunkSize must be a positive multiple of typesize (" +
                                              std::to_string(o.typesize) + ") below 2 GiB, got " +
                                              std::to_string(o.chunk_size));
  }
  return Status();
}

Result<std::unique_ptr<SChunk>> SChunk::create(const SChunkOptions& options) {
  Status st = check_options(options);
  if (!st.ok()) return st;
  auto cctx = create_cctx(options.compressor, requested_workers(options.compressor));
  if (!cctx.ok()) return cctx.status();
  DecompressorOptions d;
  d.dict = options.compressor.dict;
  auto dctx = create_dctx(d);
  if (!dctx.ok()) return dctx.status();
  return std::unique_ptr<SChunk>(new SChunk(options, std::move(cctx.value()), std::move(dctx.value())));
}

Result<std::unique_ptr<SChunk>> SChunk::open(const SChunkOptions& options, const Buffer* whole, const uint8_t* table,
                                             size_t table_size, uint64_t file_size, const uint8_t* head,
                                             size_t head_size) {
  auto parsed = SeekTable::parse(table, table_size, file_size);
  if (!parsed.ok()) return parsed.status();
  const SeekTable& t = parsed.value();
  SChunkOptions o = options;
  SChunkHeader header;
  bool has_header = false;
  if (t.frame_count() > 0 && t.decompressed_size(0) == 0 && head != nullptr && head_size >= t.compressed_size(0)) {
    auto found = parse_schunk_header(head, t.compressed_size(0), header);
    if (!found.ok()) return found.status();
    has_header = found.value();
  }
  if (has_header) {
    o.typesize = header.typesize;
    o.chunk_size = header.chunk_size;
  } else if (o.chunk_size == 0) {
    // The largest frame, in whole items (a frame that is not whole items is refused below).
    const size_t ts = o.typesize == 0 ? 1 : o.typesize;
    o.chunk_size = (std::max<size_t>(t.max_decompressed_size(), 1) + ts - 1) / ts * ts;
  }
  auto s = create(o);
  if (!s.ok()) return s.status();
  SChunk& sc = *s.value();
  if (has_header) sc.meta_ = std::move(header.meta);
  sc.checksums_ = t.has_checksums();
  for (size_t i = 0; i < t.frame_count(); ++i) {
    const uint32_t size = t.decompressed_size(i);
    if (size == 0) continue;  // the header, or another frame of no content
    if (size > o.chunk_size || size % o.typesize != 0) {
      return seek_table_invalid("frame " + std::to_string(i) + " holds " + std::to_string(size) +
                                " bytes: not a chunk of at most " + std::to_string(o.chunk_size) +
                                " bytes in items of " + std::to_string(o.typesize));
    }
    Chunk c;
    c.size = size;
    c.compressed = t.compressed_size(i);
    c.checksum = t.checksum(i);
    c.source_offset = t.compressed_offset(i);
    if (whole != nullptr) {
      auto frame = whole->slice(static_cast<size_t>(c.source_offset), c.compressed);
      if (!frame.ok()) return frame.status();
      c.frame = std::move(frame.value());
    } else {
      c.external = true;
    }
    sc.cbytes_ += c.compressed;
    sc.starts_.push_back(sc.starts_.back() + size);
    sc.chunks_.push_back(std::move(c));
  }
  return s;
}

Status SChunk::check_multiple(uint64_t n, const char* what) const {
  if (n % options_.typesize == 0) return Status();
  return Status(LibError::out_of_range, std::string(what) + " of " + std::to_string(n) +
                                            " bytes is not a whole number of items of " +
                                            std::to_string(options_.typesize) + " bytes");
}

Result<SChunk::Chunk> SChunk::compress_chunk(const uint8_t* src, size_t size) {
  const size_t bound = ZSTD_compressBound(options_.chunk_size);
  if (compressed_.size() < bound) {
    Status st = compressed_.resize(bound);
    if (!st.ok()) return st;
  }
  const size_t n = ZSTD_compress2(cctx_.get(), compressed_.data(), compressed_.size(), src, size);
  if (ZSTD_isError(n)) {
    ZSTD_CCtx_reset(cctx_.get(), ZSTD_reset_session_only);
    return Status::from_zstd(n, "compress");
  }
  auto frame = Buffer::copy_of(compressed_.data(), n);
  if (!frame.ok()) return frame.status();
  Chunk c;
  c.frame = std::move(frame.value());
  c.size = static_cast<uint32_t>(size);
  c.compressed = static_cast<uint32_t>(n);
  c.checksum = checksums_ ? frame_checksum(src, size) : 0;
  return c;
}

Status SChunk::decode(size_t i, uint8_t* dst) {
  const Chunk& c = chunks_[i];
  if (c.frame.data() == nullptr) {
    return Status(LibError::invalid_state, "chunk " + std::to_string(i) + " is external and not attached");
  }
  auto r = decode_exact_frame(dctx_.get(), c.frame.data(), c.frame.size(), c.size, dst, checksums_, c.checksum);
  if (!r.ok()) return r.status().prefixed("chunk " + std::to_string(i) + ": ");
  return Status();
}

Status SChunk::decode_to_scratch(size_t i) {
  if (scratch_.size() < chunks_[i].size) {
    Status st = scratch_.resize(std::max<size_t>(chunks_[i].size, options_.chunk_size));
    if (!st.ok()) return st;
  }
  return decode(i, scratch_.data());
}

void SChunk::replace(size_t i, Chunk chunk) {
  cbytes_ = cbytes_ - chunks_[i].compressed + chunk.compressed;
  const bool resized = chunk.size != chunks_[i].size;
  chunks_[i] = std::move(chunk);
  if (resized) restart_offsets(i);
}

void SChunk::restart_offsets(size_t from) {
  starts_.resize(chunks_.size() + 1);
  for (size_t k = from; k < chunks_.size(); ++k) starts_[k + 1] = starts_[k] + chunks_[k].size;
}

std::pair<size_t, size_t> SChunk::touched(uint64_t start, uint64_t stop) const {
  const size_t n = chunks_.size();
  stop = std::min(stop, nbytes());
  if (start >= stop) return {n, n};
  auto index = [this](uint64_t x) {
    return static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), x) - starts_.begin()) - 1;
  };
  return {index(start), index(stop - 1) + 1};
}

Status SChunk::append(const uint8_t* src, size_t size) {
  Status st = check_multiple(size, "data");
  if (!st.ok()) return st;
  size_t pos = 0;
  if (size > 0 && !chunks_.empty() && chunks_.back().size < options_.chunk_size) {
    // Fill the last chunk first.
    const size_t i = chunks_.size() - 1;
    const size_t have = chunks_[i].size;
    const size_t take = std::min(options_.chunk_size - have, size);
    st = decode_to_scratch(i);
    if (!st.ok()) return st;
    std::memcpy(scratch_.data() + have, src, take);
    auto chunk = compress_chunk(scratch_.data(), have + take);
    if (!chunk.ok()) return chunk.status();
    replace(i, std::move(chunk.value()));
    pos = take;
  }
  while (pos < size) {
    const size_t n = std::min(options_.chunk_size, size - pos);
    auto chunk = compress_chunk(src + pos, n);
    if (!chunk.ok()) return chunk.status();
    cbytes_ += chunk.value().compressed;
    chunks_.push_back(std::move(chunk.value()));
    starts_.push_back(starts_.back() + n);
    pos += n;
  }
  return Status();
}

Status SChunk::get_slice(uint64_t start, uint64_t stop, uint8_t* dst) {
  Status st = check_multiple(start, "start");
  if (st.ok()) st = check_multiple(stop, "stop");
  if (!st.ok()) return st;
  if (start > stop || stop > nbytes()) {
    return Status(LibError::out_of_range, "slice [" + std::to_string(start) + ", " + std::to_string(stop) +
                                              ") is outside the " + std::to_string(nbytes()) + " bytes");
  }
  const auto [first, last] = touched(start, stop);
  for (size_t k = first; k < last; ++k) {
    const uint64_t cs = starts_[k], ce = starts_[k + 1];
    const uint64_t a = std::max(start, cs), b = std::min(stop, ce);
    if (a == cs && b == ce) {
      st = decode(k, dst + (cs - start));  // the whole chunk: straight into place
    } else {
      st = decode_to_scratch(k);
      if (st.ok()) std::memcpy(dst + (a - start), scratch_.data() + (a - cs), static_cast<size_t>(b - a));
    }
    if (!st.ok()) return st;
  }
  return Status();
}

Status SChunk::set_slice(uint64_t start, const uint8_t* src, size_t size) {
  Status st = check_multiple(start, "start");
  if (st.ok()) st = check_multiple(size, "value");
  if (!st.ok()) return st;
  if (start > nbytes()) {
    return Status(LibError::out_of_range, "start " + std::to_string(start) + " is past the end (" +
                                              std::to_string(nbytes()) + " bytes): slices cannot leave gaps");
  }
  const uint64_t end = std::min<uint64_t>(start + size, nbytes());
  const auto [first, last] = touched(start, end);
  for (size_t k = first; k < last; ++k) {
    const uint64_t cs = starts_[k], ce = starts_[k + 1];
    const uint64_t a = std::max(start, cs), b = std::min(end, ce);
    auto updated = [&]() -> Result<Chunk> {
      if (a == cs && b == ce) return compress_chunk(src + (cs - start), static_cast<size_t>(ce - cs));  // no decode
      Status decoded = decode_to_scratch(k);
      if (!decoded.ok()) return decoded;
      std::memcpy(scratch_.data() + (a - cs), src + (a - start), static_cast<size_t>(b - a));
      return compress_chunk(scratch_.data(), static_cast<size_t>(ce - cs));
    };
    auto chunk = updated();
    if (!chunk.ok()) return chunk.status();
    replace(k, std::move(chunk.value()));
  }
  if (start + size > end) return append(src + (end - start), static_cast<size_t>(start + size - end));
  return Status();
}

Result<size_t> SChunk::decompress_chunk(size_t i, uint8_t* dst, size_t capacity) {
  if (i >= chunks_.size()) return Status(LibError::out_of_range, index_message(i, chunks_.size()));
  if (capacity < chunks_[i].size) {
    return Status(LibError::out_of_range, "chunk " + std::to_string(i) + " holds " + std::to_string(chunks_[i].size) +
                                              " bytes, more than the output");
  }
  Status st = decode(i, dst);
  if (!st.ok()) return st;
  return static_cast<size_t>(chunks_[i].size);
}

Status SChunk::insert_chunk(size_t i, const uint8_t* src, size_t size) {
  if (i > chunks_.size()) return Status(LibError::out_of_range, index_message(i, chunks_.size()));
  Status st = check_multiple(size, "chunk");
  if (!st.ok()) return st;
  if (size == 0 || size > options_.chunk_size) {
    return Status(LibError::out_of_range, "a chunk holds 1 to chunkSize (" + std::to_string(options_.chunk_size) +
                                              ") bytes, got " + std::to_string(size));
  }
  auto chunk = compress_chunk(src, size);
  if (!chunk.ok()) return chunk.status();
  cbytes_ += chunk.value().compressed;
  chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(i), std::move(chunk.value()));
  restart_offsets(i);
  return Status();
}

Status SChunk::delete_chunk(size_t i) {
  if (i >= chunks_.size()) return Status(LibError::out_of_range, index_message(i, chunks_.size()));
  cbytes_ -= chunks_[i].compressed;
  chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i));
  restart_offsets(i);
  return Status();
}

Status SChunk::attach(size_t i, const uint8_t* src, size_t size) {
  if (i >= chunks_.size()) return Status(LibError::out_of_range, index_message(i, chunks_.size()));
  if (!chunks_[i].external || size != chunks_[i].compressed) {
    return Status(LibError::invalid_state,
                  "chunk " + std::to_string(i) + " is not an external frame of " + std::to_string(size) + " bytes");
  }
  auto frame = Buffer::copy_of(src, size);
  if (!frame.ok()) return frame.status();
  chunks_[i].frame = std::move(frame.value());
  return Status();
}

void SChunk::detach(size_t i) {
  if (i < chunks_.size() && chunks_[i].external) chunks_[i].frame = Buffer();
}

Result<Buffer> SChunk::header_frame() const {
  const size_t size = kSkippableHeaderSize + kSChunkHeaderFixed + meta_.size();
  auto out = Buffer::allocate(size);
  if (!out.ok()) return out;
  uint8_t* p = out.value().data();
  std::memset(p, 0, size);
  write_le32(p, kSChunkHeaderMagic);
  write_le32(p + 4, static_cast<uint32_t>(size - kSkippableHeaderSize));
  p += kSkippableHeaderSize;
  write_le32(p, kSChunkHeaderTag);
  p[4] = kHeaderVersion;
  write_le32(p + 8, static_cast<uint32_t>(options_.typesize));
  write_le32(p + 12, static_cast<uint32_t>(options_.chunk_size));
  write_le32(p + 16, static_cast<uint32_t>(meta_.size()));
  if (meta_.size() > 0) std::memcpy(p + kSChunkHeaderFixed, meta_.data(), meta_.size());
  return out;
}

Result<Buffer> SChunk::seek_table() const {
  SeekTableWriter log(checksums_);
  Status st = log.add(kSkippableHeaderSize + kSChunkHeaderFixed + meta_.size(), 0, frame_checksum(nullptr, 0));
  for (size_t i = 0; st.ok() && i < chunks_.size(); ++i) {
    st = log.add(chunks_[i].compressed, chunks_[i].size, chunks_[i].checksum);
  }
  if (!st.ok()) return st;
  return log.serialize();
}

Result<Buffer> SChunk::to_cframe() const {
  auto header = header_frame();
  if (!header.ok()) return header;
  auto table = seek_table();
  if (!table.ok()) return table;
  auto out = Buffer::allocate(header.value().size() + cbytes_ + table.value().size());
  if (!out.ok()) return out;
  uint8_t* p = out.value().data();
  std::memcpy(p, header.value().data(), header.value().size());
  p += header.value().size();
  for (size_t i = 0; i < chunks_.size(); ++i) {
    if (chunks_[i].frame.data() == nullptr) {
      return Status(LibError::invalid_state, "chunk " + std::to_string(i) + " is external and not attached");
    }
    std::memcpy(p, chunks_[i].frame.data(), chunks_[i].compressed);
    p += chunks_[i].compressed;
  }
  std::memcpy(p, table.value().data(), table.value().size());
  return out;
}

size_t SChunk::memory_size() const {
  size_t n = ZSTD_sizeof_CCtx(cctx_.get()) + ZSTD_sizeof_DCtx(dctx_.get()) + scratch_.size() + compressed_.size() +
             meta_.size();
  for (const Chunk& c : chunks_) n += c.frame.size();
  return n;
}

}  // namespace zk

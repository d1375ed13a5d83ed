#include "decompressor.h"

#include <algorithm>
#include <string>

#include <zstd_errors.h>

#include "frame.h"
#include "memory.h"
#include "thread_pool.h"

namespace zk {
namespace {

Status output_too_large(size_t max_output) {
  return Status(LibError::output_too_large,
                "decompressed data exceeds maxOutputSize (" + std::to_string(max_output) + " bytes)");
}

bool is_skippable(const uint8_t* src, size_t size) {
  if (size < 4) return false;
  uint32_t magic = src[0] | (src[1] << 8) | (src[2] << 16) | (static_cast<uint32_t>(src[3]) << 24);
  return (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

// Makes room for `extra` more bytes after `used`, growing geometrically.
Status reserve(Buffer& out, size_t used, size_t extra) {
  if (out.size() - used >= extra) return Status();
  size_t want = std::max(used + extra, out.size() + out.size() / 2);
  return out.resize(want);
}

}  // namespace

Result<DCtxPtr> create_dctx(const DecompressorOptions& options) {
  DCtxPtr dctx(ZSTD_createDCtx_advanced(tracked_custom_mem()));
  if (!dctx) return Status(ZSTD_error_memory_allocation, "cannot create a decompression context");
  if (options.max_window_size != 0 && ZSTD_isError(ZSTD_DCtx_setMaxWindowSize(dctx.get(), options.max_window_size))) {
    const ZSTD_bounds b = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax);
    return Status(LibError::out_of_range, "maxWindowSize " + std::to_string(options.max_window_size) +
                                              " is outside zstd's bounds [" + std::to_string(1ull << b.lowerBound) +
                                              ", " + std::to_string(1ull << b.upperBound) + "]");
  }
  Status st = Status::from_zstd(ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_format, options.format), "format");
  if (!st.ok()) return st;
  if (options.dict) {
    auto ddict = options.dict->ddict();  // digested once per dictionary, shared
    if (!ddict.ok()) return ddict.status();
    st = Status::from_zstd(ZSTD_DCtx_refDDict(dctx.get(), ddict.value()), "dictionary");
    if (!st.ok()) return st;
  }
  return dctx;
}

Result<size_t> decompress_frames(ZSTD_DCtx* dctx, ZSTD_format_e format, uint8_t* dst, size_t capacity,
                                 const uint8_t* src, size_t size) {
  if (format == ZSTD_f_zstd1) {
    const size_t ret = ZSTD_decompressDCtx(dctx, dst, capacity, src, size);
    if (ZSTD_isError(ret)) return Status::from_zstd(ret);
    return ret;
  }
  // Frame by frame, each exactly: no byte after a frame is ever read as a magic number.
  size_t pos = 0;
  size_t written = 0;
  while (pos < size) {
    auto frame = magicless_frame_size(src + pos, size - pos);
    if (!frame.ok()) return frame.status();
    const size_t ret = ZSTD_decompressDCtx(dctx, dst + written, capacity - written, src + pos, frame.value());
    if (ZSTD_isError(ret)) return Status::from_zstd(ret);
    written += ret;
    pos += frame.value();
  }
  return written;
}

Result<std::unique_ptr<Decompressor>> Decompressor::create(const DecompressorOptions& options) {
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  return std::unique_ptr<Decompressor>(new Decompressor(std::move(dctx.value()), options));
}

Result<Buffer> Decompressor::decompress(const uint8_t* src, size_t size, const DecompressOptions& options) {
  if (size == 0) return Status(ZSTD_error_srcSize_wrong, "input is empty: no zstd frame");
  auto out = Buffer::allocate(0);
  if (!out.ok()) return out;
  size_t out_size = 0;
  size_t pos = 0;
  bool decoded_a_frame = false;
  while (pos < size) {
    if (options_.format == ZSTD_f_zstd1 && is_skippable(src + pos, size - pos)) {
      size_t skip = ZSTD_findFrameCompressedSize(src + pos, size - pos);
      if (ZSTD_isError(skip)) return Status::from_zstd(skip, "skippable frame");
      pos += skip;
      continue;
    }
    if (decoded_a_frame && !options.read_across_frames) break;
    auto consumed = decode_frame(src + pos, size - pos, options.max_output_size, out.value(), out_size);
    if (!consumed.ok()) {
      ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
      return consumed.status();
    }
    pos += consumed.value();
    decoded_a_frame = true;
  }
  if (!decoded_a_frame) return Status(ZSTD_error_srcSize_wrong, "input holds no zstd frame, only skippable frames");
  Status st = out.value().resize(out_size);
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> Decompressor::decompress_into(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity,
                                              const DecompressOptions& options) {
  if (options.read_across_frames || options_.format != ZSTD_f_zstd1) return kNotApplicable;
  ZSTD_frameHeader header{};
  size_t ret = ZSTD_getFrameHeader(&header, src, size);
  if (ZSTD_isError(ret) || ret != 0 || header.frameType != ZSTD_frame) return kNotApplicable;
  const uint64_t content = header.frameContentSize;
  if (content == ZSTD_CONTENTSIZE_UNKNOWN || content > capacity) return kNotApplicable;
  if (options.max_output_size != 0 && content > options.max_output_size) return kNotApplicable;
  if (options_.max_window_size != 0 && header.windowSize > options_.max_window_size) return kNotApplicable;
  const size_t frame_size = ZSTD_findFrameCompressedSize(src, size);
  if (ZSTD_isError(frame_size) || content > max_decompressed_size(frame_size)) return kNotApplicable;
  const size_t written = ZSTD_decompressDCtx(dctx_.get(), dst, static_cast<size_t>(content), src, frame_size);
  if (ZSTD_isError(written)) {
    ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
    return Status::from_zstd(written, "decompress");
  }
  Status decoded = check_decoded_size(written, content);
  if (!decoded.ok()) return decoded;
  return static_cast<int64_t>(written);
}

Result<int64_t> Decompressor::decompress_small(size_t size, size_t max_output) {
  if (!scratch_.ready() || size > kSmallInput) {
    return Status(LibError::invalid_state, "decompress_small: no scratch, or an input larger than it");
  }
  return decompress_into(scratch_.input(), size, scratch_.output(), scratch_.output_capacity(), {max_output, false});
}

Result<size_t> Decompressor::start(const uint8_t* src, size_t size, const DecompressOptions& options, bool background) {
  result_ = Buffer();
  const int64_t planned = background && threads_supported() ? planned_size(src, size, options) : -1;
  if (planned >= kBackgroundMinimum) {
    task_ = std::make_unique<BackgroundTask>([this, src, size, options] { decode_to_result(src, size, options); });
    return static_cast<size_t>(planned);
  }
  decode_to_result(src, size, options);
  return finish();
}

Result<size_t> Decompressor::finish() {
  task_.reset();  // waits for a background decode
  if (!status_.ok()) return status_;
  return result_.size();
}

void Decompressor::decode_to_result(const uint8_t* src, size_t size, const DecompressOptions& options) {
  auto r = decompress(src, size, options);
  status_ = r.ok() ? Status() : r.status();
  if (r.ok()) result_ = std::move(r.value());
}

int64_t Decompressor::planned_size(const uint8_t* src, size_t size, const DecompressOptions& options) const {
  if (options.read_across_frames || options_.format != ZSTD_f_zstd1 || is_skippable(src, size)) return -1;
  unsigned long long content = ZSTD_getFrameContentSize(src, size);
  if (content == ZSTD_CONTENTSIZE_UNKNOWN || content == ZSTD_CONTENTSIZE_ERROR) return -1;
  if (content > max_decompressed_size(size)) return -1;  // a lie decompress() will reject
  if (options.max_output_size != 0 && content > options.max_output_size) return -1;
  return static_cast<int64_t>(content);
}

Result<size_t> Decompressor::decode_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out,
                                          size_t& out_size) {
  if (options_.format != ZSTD_f_zstd1) {
    // A magicless frame is sized by walking its blocks (libzstd cannot), then decoded exactly:
    // at once when its header states the content size, else streamed under the cap.
    auto header = read_frame_header(src, size, options_.format);
    if (!header.ok()) return header.status();
    Status window = check_window(header.value(), options_.max_window_size);
    if (!window.ok()) return window;
    auto frame_size = magicless_frame_size(src, size);
    if (!frame_size.ok()) return frame_size.status();
    const uint64_t content = header.value().frameContentSize;
    if (content == ZSTD_CONTENTSIZE_UNKNOWN) return stream_frame(src, frame_size.value(), max_output, out, out_size);
    return decode_known(src, frame_size.value(), content, max_output, out, out_size);
  }

  auto read = read_frame_header(src, size);
  if (!read.ok()) return read.status();
  const ZSTD_frameHeader& header = read.value();
  Status window = check_window(header, options_.max_window_size);
  if (!window.ok()) return window;
  const size_t frame_size = ZSTD_findFrameCompressedSize(src, size);
  if (ZSTD_isError(frame_size)) {
    // A frame cut short reads as src_size_wrong: say so plainly.
    if (ZSTD_getErrorCode(frame_size) == ZSTD_error_srcSize_wrong)
      return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
    return Status::from_zstd(frame_size, "decompress");
  }
  if (header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN)
    return stream_frame(src, frame_size, max_output, out, out_size);

  return decode_known(src, frame_size, header.frameContentSize, max_output, out, out_size);
}

Result<size_t> Decompressor::decode_known(const uint8_t* src, size_t frame_size, uint64_t content, size_t max_output,
                                          Buffer& out, size_t& out_size) {
  Status claimed = check_claimed_size(content, frame_size);
  if (!claimed.ok()) return claimed;
  if (max_output != 0 && content > max_output - std::min<uint64_t>(max_output, out_size))
    return output_too_large(max_output);
  if (content > SIZE_MAX - out_size) return Status(ZSTD_error_memory_allocation, "output too large for this platform");
  Status st = reserve(out, out_size, static_cast<size_t>(content));
  if (!st.ok()) return st;
  size_t written =
      ZSTD_decompressDCtx(dctx_.get(), out.data() + out_size, static_cast<size_t>(content), src, frame_size);
  if (ZSTD_isError(written)) return Status::from_zstd(written, "decompress");
  Status decoded = check_decoded_size(written, content);
  if (!decoded.ok()) return decoded;
  out_size += written;
  return frame_size;
}

Result<size_t> Decompressor::stream_frame(const uint8_t* src, size_t size, size_t max_output, Buffer& out,
                                          size_t& out_size) {
  if (max_output == 0) {
    return Status(LibError::content_size_unknown,
                  "frame does not state its content size: pass maxOutputSize or use streaming decompression");
  }
  ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
  ZSTD_inBuffer in{src, size, 0};
  const size_t step = ZSTD_DStreamOutSize();
  while (true) {
    if (out_size >= max_output) {
      // At the cap: any further output means the cap is exceeded.
      uint8_t probe;
      ZSTD_outBuffer o{&probe, 1, 0};
      size_t ret = ZSTD_decompressStream(dctx_.get(), &o, &in);
      if (ZSTD_isError(ret)) return Status::from_zstd(ret, "decompress");
      if (o.pos > 0) return output_too_large(max_output);
      if (ret == 0) return in.pos;
      if (in.pos == in.size) return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
      continue;
    }
    Status st = reserve(out, out_size, std::min(step, max_output - out_size));
    if (!st.ok()) return st;
    ZSTD_outBuffer o{out.data() + out_size, std::min(out.size(), max_output) - out_size, 0};
    size_t ret = ZSTD_decompressStream(dctx_.get(), &o, &in);
    if (ZSTD_isError(ret)) return Status::from_zstd(ret, "decompress");
    out_size += o.pos;
    if (ret == 0) return in.pos;  // frame complete
    if (in.pos == in.size && o.pos < o.size) {
      return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
    }
  }
}

Result<Buffer> decompress_content_dict_chain(const DecompressorOptions& options,
                                             const BufferWithSegmentsCollection& frames) {
  const size_t count = frames.length();
  if (count == 0) return Status(LibError::out_of_range, "frames is empty: a chain needs at least one frame");
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  Buffer previous;
  for (size_t k = 0; k < count; ++k) {
    const std::string prefix = "chain frame " + std::to_string(k) + ": ";
    const uint8_t* src = frames.item_data(k);
    const size_t size = frames.item_size(k);
    auto read = read_frame_header(src, size, options.format);
    if (!read.ok()) return read.status().prefixed(prefix);
    const ZSTD_frameHeader& header = read.value();
    if (header.frameType == ZSTD_skippableFrame)
      return Status(ZSTD_error_prefix_unknown, prefix + "a skippable frame, not a zstd frame");
    if (header.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN)
      return Status(LibError::content_size_unknown, prefix + "frame does not state its content size");
    Status claimed = check_claimed_size(header.frameContentSize, size);
    if (!claimed.ok()) return claimed.prefixed(prefix);
    auto current = Buffer::allocate(header.frameContentSize);
    if (!current.ok()) return current.status();
    if (k > 0) {
      // The previous content, as python-zstandard's ZSTD_decompress_usingDict sees it (a
      // dictionary only if it starts with the dictionary magic); it applies to one frame.
      const size_t ret =
          ZSTD_DCtx_refPrefix_advanced(dctx.value().get(), previous.data(), previous.size(), ZSTD_dct_auto);
      if (ZSTD_isError(ret)) return Status::from_zstd(ret).prefixed(prefix);
    }
    const auto expected = static_cast<size_t>(header.frameContentSize);
    auto written = decompress_frames(dctx.value().get(), options.format, current.value().data(), expected, src, size);
    if (!written.ok()) return written.status().prefixed(prefix);
    Status decoded = check_decoded_size(written.value(), expected);
    if (!decoded.ok()) return decoded.prefixed(prefix);
    previous = std::move(current.value());
  }
  return previous;
}

}  // namespace zk

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

Status truncated() { return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)"); }

bool is_skippable(const uint8_t* src, size_t size) {
  if (size < 4) return false;
  uint32_t magic = src[0] | (src[1] << 8) | (src[2] << 16) | (static_cast<uint32_t>(src[3]) << 24);
  return (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

uint64_t saturating_add(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

// Frames without a content size: an upper bound this small is allocated whatever it looks like.
constexpr uint64_t kSmallUpperBound = 8 << 20;
// Compressed blocks whose payload averages this much are taken to be full (ratio <= 64).
constexpr uint64_t kFullBlockPayload = 2048;
// Otherwise the first guess: this ratio over their compressed bytes.
constexpr uint64_t kGuessRatio = 8;

// Makes room for `extra` more bytes after `used`, doubling, never past `limit` bytes in all.
Status reserve(Buffer& out, size_t used, size_t extra, size_t limit) {
  if (out.size() - used >= extra) return Status();
  const uint64_t doubled = std::max<uint64_t>(out.size(), 64 << 10) * 2;
  return out.resize(static_cast<size_t>(std::min<uint64_t>(limit, std::max<uint64_t>(used + extra, doubled))));
}

// Streams a frame (in: exactly its bytes, from where the last call stopped) into out after
// `used`, growing out up to `limit`; stops once it has produced `budget` bytes. True when the
// frame is complete.
Result<bool> stream_frame(ZSTD_DCtx* dctx, ZSTD_inBuffer& in, size_t limit, size_t budget, Buffer& out, size_t& used) {
  const size_t step = ZSTD_DStreamOutSize();
  for (size_t produced = 0; produced < budget;) {
    if (used >= limit) {
      // At the cap: any further output means the cap is exceeded.
      uint8_t probe;
      ZSTD_outBuffer o{&probe, 1, 0};
      size_t ret = ZSTD_decompressStream(dctx, &o, &in);
      if (ZSTD_isError(ret)) return Status::from_zstd(ret, "decompress");
      if (o.pos > 0) return output_too_large(limit);
      if (ret == 0) return true;
      if (in.pos == in.size) return truncated();
      continue;
    }
    Status st = reserve(out, used, std::min(step, limit - used), limit);
    if (!st.ok()) return st;
    ZSTD_outBuffer o{out.data() + used, std::min(out.size() - used, std::max(budget - produced, step)), 0};
    size_t ret = ZSTD_decompressStream(dctx, &o, &in);
    if (ZSTD_isError(ret)) return Status::from_zstd(ret, "decompress");
    used += o.pos;
    produced += o.pos;
    if (ret == 0) return true;  // frame complete
    if (in.pos == in.size && o.pos < o.size) return truncated();
  }
  return false;
}

// Decodes one frame of the plan into out after `used`.
Status decode_frame(ZSTD_DCtx* dctx, const uint8_t* src, const DecodePlan::Frame& f, size_t limit, bool& one_shot,
                    Buffer& out, size_t& used) {
  if (f.known) {
    if (f.content > limit - used) return output_too_large(limit);
    Status st = reserve(out, used, static_cast<size_t>(f.content), limit);
    if (!st.ok()) return st;
    const size_t written =
        ZSTD_decompressDCtx(dctx, out.data() + used, static_cast<size_t>(f.content), src + f.offset, f.size);
    if (ZSTD_isError(written)) return Status::from_zstd(written, "decompress");
    Status decoded = check_decoded_size(written, f.content);
    if (!decoded.ok()) return decoded;
    used += written;
    return Status();
  }
  if (one_shot) {
    const size_t written = ZSTD_decompressDCtx(dctx, out.data() + used, out.size() - used, src + f.offset, f.size);
    if (!ZSTD_isError(written)) {
      used += written;
      return Status();
    }
    // A frame whose blocks decode to more than the format allows: stream it instead.
    if (ZSTD_getErrorCode(written) != ZSTD_error_dstSize_tooSmall) return Status::from_zstd(written, "decompress");
    one_shot = false;
  }
  ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
  ZSTD_inBuffer in{src + f.offset, f.size, 0};
  auto complete = stream_frame(dctx, in, limit, SIZE_MAX, out, used);
  return complete.ok() ? Status() : complete.status();
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

Result<DecodePlan> decode_plan(const DecompressorOptions& options, const uint8_t* src, size_t size,
                               const DecompressOptions& decode) {
  if (size == 0) return Status(ZSTD_error_srcSize_wrong, "input is empty: no zstd frame");
  DecodePlan plan;
  plan.max_output = decode.max_output_size != 0 ? decode.max_output_size : SIZE_MAX;
  uint64_t known = 0, unknown_lower = 0, unknown_upper = 0, unknown_compressed = 0, unknown_blocks = 0;
  size_t pos = 0;
  while (pos < size) {
    if (options.format == ZSTD_f_zstd1 && is_skippable(src + pos, size - pos)) {
      const size_t skip = ZSTD_findFrameCompressedSize(src + pos, size - pos);
      if (ZSTD_isError(skip)) return Status::from_zstd(skip, "skippable frame");
      pos += skip;
      continue;
    }
    if (!plan.frames.empty() && !decode.read_across_frames) break;
    auto read = read_frame_header(src + pos, size - pos, options.format);
    if (!read.ok()) return read.status();
    const ZSTD_frameHeader& header = read.value();
    Status window = check_window(header, options.max_window_size);
    if (!window.ok()) return window;
    DecodePlan::Frame f;
    f.offset = pos;
    if (header.frameContentSize != ZSTD_CONTENTSIZE_UNKNOWN) {
      if (options.format == ZSTD_f_zstd1) {
        f.size = ZSTD_findFrameCompressedSize(src + pos, size - pos);
        if (ZSTD_isError(f.size)) {
          // A frame cut short reads as src_size_wrong: say so plainly.
          if (ZSTD_getErrorCode(f.size) == ZSTD_error_srcSize_wrong) return truncated();
          return Status::from_zstd(f.size, "decompress");
        }
      } else {
        auto frame_size = magicless_frame_size(src + pos, size - pos);
        if (!frame_size.ok()) return frame_size.status();
        f.size = frame_size.value();
      }
      Status claimed = check_claimed_size(header.frameContentSize, f.size);
      if (!claimed.ok()) return claimed;
      f.known = true;
      f.content = f.upper = header.frameContentSize;
      known = saturating_add(known, f.content);
    } else {
      // Frames without a content size keep zstd's default window limit (its streaming decoder's),
      // whichever way they are decoded here.
      if (options.max_window_size == 0) {
        Status default_window = check_window(header, size_t{1} << ZSTD_WINDOWLOG_LIMIT_DEFAULT);
        if (!default_window.ok()) return default_window;
      }
      auto blocks = scan_frame_blocks(src + pos, size - pos, options.format);
      if (!blocks.ok()) return blocks.status();
      f.size = blocks.value().frame_size;
      f.content = blocks.value().exact_bytes;
      f.upper = blocks.value().upper_bound();
      plan.all_known = false;
      unknown_lower = saturating_add(unknown_lower, f.content);
      unknown_upper = saturating_add(unknown_upper, f.upper);
      unknown_compressed = saturating_add(unknown_compressed, blocks.value().compressed_bytes);
      unknown_blocks = saturating_add(unknown_blocks, blocks.value().compressed_blocks);
    }
    // Refused before anything is allocated when the output cannot fit.
    if (saturating_add(known, unknown_lower) > plan.max_output) return output_too_large(plan.max_output);
    plan.frames.push_back(f);
    pos += f.size;
  }
  if (plan.frames.empty()) return Status(ZSTD_error_srcSize_wrong, "input holds no zstd frame, only skippable frames");
  plan.lower = saturating_add(known, unknown_lower);
  plan.upper = saturating_add(known, unknown_upper);
  if (plan.all_known) {
    plan.capacity = known;
    return plan;
  }
  const bool full_blocks = unknown_compressed / kFullBlockPayload >= unknown_blocks;
  if (plan.upper <= plan.max_output && (plan.upper <= kSmallUpperBound || full_blocks)) {
    plan.capacity = plan.upper;
  } else {
    const uint64_t guess = saturating_add(plan.lower, saturating_add(unknown_compressed, 64 << 10) * kGuessRatio);
    plan.capacity = std::min<uint64_t>({guess, plan.upper, plan.max_output});
    plan.capacity_holds = plan.capacity >= plan.upper;
  }
  return plan;
}

Result<Buffer> decode_planned(ZSTD_DCtx* dctx, const uint8_t* src, const DecodePlan& plan) {
  auto out = Buffer::allocate(plan.capacity);
  if (!out.ok()) return out;
  return decode_planned_into(dctx, src, plan, std::move(out.value()));
}

Result<Buffer> decode_planned_into(ZSTD_DCtx* dctx, const uint8_t* src, const DecodePlan& plan, Buffer out) {
  size_t used = 0;
  bool one_shot = plan.capacity_holds;
  for (const DecodePlan::Frame& f : plan.frames) {
    Status st = decode_frame(dctx, src, f, plan.max_output, one_shot, out, used);
    if (!st.ok()) {
      ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
      return st;
    }
  }
  Status st = out.resize(used);
  if (!st.ok()) return st;
  return out;
}

Result<Buffer> decompress_once(const DecompressorOptions& options, const uint8_t* src, size_t size,
                               const DecompressOptions& decode) {
  auto plan = decode_plan(options, src, size, decode);
  if (!plan.ok()) return plan.status();
  // The output before the context: see the header.
  auto out = Buffer::allocate(plan.value().capacity);
  if (!out.ok()) return out;
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  return decode_planned_into(dctx.value().get(), src, plan.value(), std::move(out.value()));
}

Result<std::unique_ptr<DecodeSteps>> DecodeSteps::create(const DecompressorOptions& options, const uint8_t* src,
                                                         size_t size, const DecompressOptions& decode) {
  auto plan = decode_plan(options, src, size, decode);
  if (!plan.ok()) return plan.status();
  // The output before the context: see decompress_once() in the header.
  auto out = Buffer::allocate(plan.value().capacity);
  if (!out.ok()) return out.status();
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  auto steps = std::unique_ptr<DecodeSteps>(new DecodeSteps());
  steps->dctx_ = std::move(dctx.value());
  steps->src_ = src;
  steps->plan_ = std::move(plan.value());
  steps->out_ = std::move(out.value());
  return steps;
}

Result<bool> DecodeSteps::step(size_t budget) {
  if (frame_ == plan_.frames.size()) return true;
  const DecodePlan::Frame& f = plan_.frames[frame_];
  if (!started_) {
    ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
    frame_start_ = used_;
    started_ = true;
  }
  ZSTD_inBuffer in{src_ + f.offset, f.size, in_pos_};
  auto complete = stream_frame(dctx_.get(), in, plan_.max_output, std::max<size_t>(budget, 1), out_, used_);
  if (!complete.ok()) return complete.status();
  in_pos_ = in.pos;
  if (!complete.value()) return false;
  if (f.known) {
    Status decoded = check_decoded_size(used_ - frame_start_, f.content);
    if (!decoded.ok()) return decoded;
  }
  in_pos_ = 0;
  started_ = false;
  if (++frame_ < plan_.frames.size()) return false;
  Status st = out_.resize(used_);
  if (!st.ok()) return st;
  return true;
}

Result<std::unique_ptr<Decompressor>> Decompressor::create(const DecompressorOptions& options) {
  auto dctx = create_dctx(options);
  if (!dctx.ok()) return dctx.status();
  return std::unique_ptr<Decompressor>(new Decompressor(std::move(dctx.value()), options));
}

Result<Buffer> Decompressor::decompress(const uint8_t* src, size_t size, const DecompressOptions& options) {
  auto plan = decode_plan(options_, src, size, options);
  if (!plan.ok()) return plan.status();
  return decode_planned(dctx_.get(), src, plan.value());
}

Result<int64_t> Decompressor::decompress_into(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity,
                                              const DecompressOptions& options) {
  if (options_.format != ZSTD_f_zstd1) return kNotApplicable;
  ZSTD_frameHeader header{};
  size_t ret = ZSTD_getFrameHeader(&header, src, size);
  if (ZSTD_isError(ret) || ret != 0 || header.frameType != ZSTD_frame) return kNotApplicable;
  if (options_.max_window_size != 0 && header.windowSize > options_.max_window_size) return kNotApplicable;
  const size_t frame_size = ZSTD_findFrameCompressedSize(src, size);
  if (ZSTD_isError(frame_size) || (options.read_across_frames && frame_size != size)) return kNotApplicable;
  const uint64_t content = header.frameContentSize;
  if (content == ZSTD_CONTENTSIZE_UNKNOWN) {
    // Decoded here when it fits; a frame that does not is declined (at most `capacity` bytes of work).
    const size_t written = ZSTD_decompressDCtx(dctx_.get(), dst, capacity, src, frame_size);
    if (ZSTD_isError(written)) {
      ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
      if (ZSTD_getErrorCode(written) == ZSTD_error_dstSize_tooSmall) return kNotApplicable;
      return Status::from_zstd(written, "decompress");
    }
    if (options.max_output_size != 0 && written > options.max_output_size) {
      return output_too_large(options.max_output_size);
    }
    return static_cast<int64_t>(written);
  }
  if (content > capacity) return kNotApplicable;
  if (options.max_output_size != 0 && content > options.max_output_size) return kNotApplicable;
  if (content > max_decompressed_size(frame_size)) return kNotApplicable;
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
  auto plan = decode_plan(options_, src, size, options);
  if (!plan.ok()) return plan.status();
  if (background && threads_supported() && plan.value().all_known && plan.value().capacity >= kBackgroundMinimum) {
    const size_t expected = static_cast<size_t>(plan.value().capacity);
    task_ =
        std::make_unique<BackgroundTask>([this, src, plan = std::move(plan.value())] { decode_to_result(src, plan); });
    return expected;
  }
  decode_to_result(src, plan.value());
  return finish();
}

Result<size_t> Decompressor::finish() {
  task_.reset();  // waits for a background decode
  if (!status_.ok()) return status_;
  return result_.size();
}

void Decompressor::decode_to_result(const uint8_t* src, const DecodePlan& plan) {
  auto r = decode_planned(dctx_.get(), src, plan);
  status_ = r.ok() ? Status() : r.status();
  if (r.ok()) result_ = std::move(r.value());
}

int64_t Decompressor::planned_size(const uint8_t* src, size_t size, const DecompressOptions& options) const {
  auto plan = decode_plan(options_, src, size, options);
  if (!plan.ok() || !plan.value().all_known) return -1;
  return static_cast<int64_t>(plan.value().capacity);
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

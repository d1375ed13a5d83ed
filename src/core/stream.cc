#include "stream.h"

#include <algorithm>
#include <cstring>

#include <zstd_errors.h>

#include "thread_pool.h"

namespace zk {

Status StreamBuffers::init(size_t input_capacity, size_t output_step) {
  auto staging = Buffer::allocate(input_capacity);
  if (!staging.ok()) return staging.status();
  auto sink = Buffer::allocate(output_step);
  if (!sink.ok()) return sink.status();
  staging_ = std::move(staging.value());
  sink_ = std::move(sink.value());
  output_step_ = output_step;
  return Status();
}

void StreamBuffers::clear() {
  sink_used_ = 0;
  // A burst of output (a flush, a highly compressible chunk) may have grown the sink: give the
  // memory back rather than keep the largest burst forever.
  // Shrinking cannot lose data; when the allocator cannot do it, the larger sink simply stays.
  if (sink_.size() > 8 * output_step_ && !sink_.resize(output_step_).ok()) return;
}

Result<ZSTD_outBuffer> StreamBuffers::reserve_step() {
  if (sink_.size() - sink_used_ < output_step_) {
    Status st = sink_.resize(std::max(sink_used_ + output_step_, sink_.size() * 2));
    if (!st.ok()) return st;
  }
  return ZSTD_outBuffer{sink_.data() + sink_used_, sink_.size() - sink_used_, 0};
}

Result<std::unique_ptr<CompressSession>> CompressSession::create(const CompressorOptions& options,
                                                                 int64_t pledged_size) {
  auto cctx = create_cctx(options, requested_workers(options));
  if (!cctx.ok()) return cctx.status();
  if (pledged_size >= 0) {
    Status st = Status::from_zstd(
        ZSTD_CCtx_setPledgedSrcSize(cctx.value().get(), static_cast<unsigned long long>(pledged_size)), "size");
    if (!st.ok()) return st;
  }
  std::unique_ptr<CompressSession> session(new CompressSession(options.dict, std::move(cctx.value())));
  Status st = session->init(ZSTD_CStreamInSize(), ZSTD_CStreamOutSize());
  if (!st.ok()) return st;
  return session;
}

Status CompressSession::run(ZSTD_EndDirective directive, size_t max_output) {
  done_ = false;
  while (max_output == 0 || output_size() < max_output) {
    auto out = reserve_step();
    if (!out.ok()) return out.status();
    const size_t ret = ZSTD_compressStream2(cctx_.get(), &out.value(), &in_, directive);
    commit(out.value());
    if (ZSTD_isError(ret)) {
      ZSTD_CCtx_reset(cctx_.get(), ZSTD_reset_session_only);
      return Status::from_zstd(ret, "compress");
    }
    const bool consumed = in_.pos == in_.size;
    if (directive == ZSTD_e_continue ? consumed : ret == 0) {
      done_ = true;
      break;
    }
  }
  return Status();
}

Result<std::unique_ptr<DecompressSession>> DecompressSession::create(const DecompressorOptions& options) {
  const bool magicless = options.format == ZSTD_f_zstd1_magicless;
  DecompressorOptions context = options;
  context.format = ZSTD_f_zstd1;  // magicless: see feed_magicless_header()
  auto dctx = create_dctx(context);
  if (!dctx.ok()) return dctx.status();
  std::unique_ptr<DecompressSession> session(new DecompressSession(options.dict, std::move(dctx.value()), magicless));
  Status st = session->init(ZSTD_DStreamInSize(), ZSTD_DStreamOutSize());
  if (!st.ok()) return st;
  return session;
}

Status DecompressSession::feed_magicless_header() {
  // Gathers the header from the input (it may span loads), exactly: no byte past it.
  uint8_t* header = header_ + 4;
  for (;;) {
    ZSTD_frameHeader parsed;
    const size_t need = ZSTD_getFrameHeader_advanced(&parsed, header, header_size_, ZSTD_f_zstd1_magicless);
    if (ZSTD_isError(need)) return Status::from_zstd(need, "decompress");
    if (need == 0) break;
    const size_t take = std::min(need - header_size_, in_.size - in_.pos);
    std::memcpy(header + header_size_, static_cast<const uint8_t*>(in_.src) + in_.pos, take);
    header_size_ += take;
    in_.pos += take;
    in_frame_ = true;
    if (header_size_ < need) return Status();  // the rest comes with the next input
  }
  const uint32_t magic = ZSTD_MAGICNUMBER;
  for (int i = 0; i < 4; ++i) header_[i] = static_cast<uint8_t>(magic >> (8 * i));
  ZSTD_inBuffer in{header_, 4 + header_size_, 0};
  ZSTD_outBuffer none{nullptr, 0, 0};
  const size_t ret = ZSTD_decompressStream(dctx_.get(), &none, &in);
  if (ZSTD_isError(ret)) return Status::from_zstd(ret, "decompress");
  if (in.pos != in.size) return Status(ZSTD_error_GENERIC, "decompress: the frame header was not taken whole");
  header_pending_ = false;
  header_size_ = 0;
  return Status();
}

Status DecompressSession::run(bool across_frames, size_t max_output) {
  done_ = false;
  while (max_output == 0 || output_size() < max_output) {
    if ((frame_ended_ && !across_frames) || (in_.pos == in_.size && !output_pending_)) {
      done_ = true;
      break;
    }
    if (magicless_ && header_pending_) {
      Status st = feed_magicless_header();
      if (!st.ok()) {
        ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
        header_size_ = 0;
        return st;
      }
      if (header_pending_) continue;  // all input taken, the header is not complete yet
    }
    auto out = reserve_step();
    if (!out.ok()) return out.status();
    const size_t before = in_.pos;
    const size_t ret = ZSTD_decompressStream(dctx_.get(), &out.value(), &in_);
    commit(out.value());
    if (ZSTD_isError(ret)) {
      ZSTD_DCtx_reset(dctx_.get(), ZSTD_reset_session_only);
      header_pending_ = true;
      header_size_ = 0;
      return Status::from_zstd(ret, "decompress");
    }
    output_pending_ = out.value().pos == out.value().size;
    if (in_.pos > before || out.value().pos > 0) in_frame_ = true;
    if (ret == 0) {
      in_frame_ = false;
      output_pending_ = false;
      frame_ended_ = true;
      header_pending_ = true;
    }
  }
  return Status();
}

Status DecompressSession::check_end() const {
  if (in_frame_) return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
  return Status();
}

}  // namespace zk

#include "compressor.h"

#include <algorithm>
#include <string>

#include <zstd_errors.h>

#include "memory.h"
#include "thread_pool.h"

namespace zk {

namespace {

Status configure_cctx(ZSTD_CCtx* cctx, const CompressorOptions& options, int workers) {
  const struct {
    ZSTD_cParameter param;
    int value;
  } settings[] = {
      {ZSTD_c_compressionLevel, options.level},
      {ZSTD_c_checksumFlag, options.write_checksum},
      {ZSTD_c_contentSizeFlag, options.write_content_size},
      {ZSTD_c_dictIDFlag, options.write_dict_id},
  };
  for (const auto& s : settings) {
    // Explicit parameters replace the level: unset fields keep libzstd's defaults, not the level's.
    if (s.param == ZSTD_c_compressionLevel && !options.params.empty()) continue;
    Status st = Status::from_zstd(ZSTD_CCtx_setParameter(cctx, s.param, s.value), "setting compression parameter");
    if (!st.ok()) return st;
  }
  for (const auto& [param, value] : options.params) {
    if (param == ZSTD_c_nbWorkers) continue;  // resolved by the caller, as `workers`
    Status st = Status::from_zstd(ZSTD_CCtx_setParameter(cctx, static_cast<ZSTD_cParameter>(param), value),
                                  "setting compression parameter");
    if (!st.ok()) return st;
  }
  Status st = Status::from_zstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, workers), "setting threads");
  if (!st.ok()) return st;
  if (workers > 0) {
    st = Status::from_zstd(ZSTD_CCtx_refThreadPool(cctx, shared_zstd_pool()), "sharing the thread pool");
    if (!st.ok()) return st;
  }
  if (options.dict) {
    if (options.dict->id() > kMaxDictId) return id_too_large(options.dict->id());
    if (options.params.empty()) {
      auto cdict = options.dict->cdict(options.level);  // digested once per level, shared
      if (!cdict.ok()) return cdict.status();
      return Status::from_zstd(ZSTD_CCtx_refCDict(cctx, cdict.value()), "dictionary");
    }
    // Explicit parameters: the context digests the dictionary with them, once, and keeps it.
    return Status::from_zstd(ZSTD_CCtx_loadDictionary_advanced(cctx, options.dict->data(), options.dict->size(),
                                                               ZSTD_dlm_byRef, options.dict->type()),
                             "dictionary");
  }
  return Status();
}

}  // namespace

Result<CCtxPtr> create_cctx(const CompressorOptions& options, int workers) {
  CCtxPtr cctx(ZSTD_createCCtx_advanced(tracked_custom_mem()));
  if (!cctx) return Status(ZSTD_error_memory_allocation, "cannot create a compression context");
  Status st = configure_cctx(cctx.get(), options, workers);
  if (!st.ok()) return st;
  return cctx;
}

int requested_workers(const CompressorOptions& options) {
  int threads = options.threads;
  for (const auto& [param, value] : options.params) {
    if (param == ZSTD_c_nbWorkers) threads = value;
  }
  return resolve_threads(threads);
}

Result<std::unique_ptr<Compressor>> Compressor::create(const CompressorOptions& options) {
  const int workers = requested_workers(options);
  auto cctx = create_cctx(options, workers);
  if (!cctx.ok()) return cctx.status();
  CompressorOptions resolved = options;
  resolved.threads = workers;
  return std::unique_ptr<Compressor>(new Compressor(std::move(cctx.value()), resolved));
}

namespace {

// zstd's default job is four windows (32 MiB at level 9), so an input of a few jobs keeps one
// worker busy and the others idle. Unless the caller chose a job size, a one-shot input of
// known size gets about two jobs per worker, never more jobs than zstd would make by default.
Status balance_jobs(ZSTD_CCtx* cctx, const CompressorOptions& options, size_t size) {
  int workers = 0;
  if (ZSTD_isError(ZSTD_CCtx_getParameter(cctx, ZSTD_c_nbWorkers, &workers)) || workers < 1) return Status();
  for (const auto& [param, value] : options.params) {
    if (param == ZSTD_c_jobSize) return Status();
  }
  int window_log = 0;
  if (ZSTD_isError(ZSTD_CCtx_getParameter(cctx, ZSTD_c_windowLog, &window_log)) || window_log == 0) {
    window_log = static_cast<int>(ZSTD_getCParams(options.level, size, 0).windowLog);
  }
  const uint64_t default_job = uint64_t{1} << std::max(20, window_log + 2);
  const uint64_t balanced = std::max<uint64_t>(size / (2 * static_cast<uint64_t>(workers)), 1 << 20);
  const auto job = static_cast<int>(std::min({default_job, balanced, uint64_t{512} << 20}));  // zstd's 32-bit cap
  return Status::from_zstd(ZSTD_CCtx_setParameter(cctx, ZSTD_c_jobSize, job), "job size");
}

}  // namespace

Result<size_t> Compressor::compress(const uint8_t* src, size_t size, uint8_t* dst, size_t capacity) {
  Status jobs = balance_jobs(cctx_.get(), options_, size);
  if (!jobs.ok()) return jobs;
  size_t ret = ZSTD_compress2(cctx_.get(), dst, capacity, src, size);
  if (ZSTD_isError(ret)) {
    // A failed call can leave the context mid-frame; the next call must start clean.
    ZSTD_CCtx_reset(cctx_.get(), ZSTD_reset_session_only);
    return Status::from_zstd(ret, "compress");
  }
  return ret;
}

Result<size_t> Compressor::compress_small(size_t size) {
  if (!scratch_.ready() || size > kSmallInput) {
    return Status(LibError::invalid_state, "compress_small: no scratch, or an input larger than it");
  }
  return compress(scratch_.input(), size, scratch_.output(), scratch_.output_capacity());
}

Status Compressor::prepare(size_t size) {
  int workers = 0;
  if (size < kPrepareMinimum || ZSTD_isError(ZSTD_CCtx_getParameter(cctx_.get(), ZSTD_c_nbWorkers, &workers)) ||
      workers != 0) {
    return Status();
  }
  // What ZSTD_compress2() sets up (stable buffers, the size pledged), with no input yet: the
  // workspace is allocated and its tables cleaned here, and ZSTD_compress2() then reuses both.
  // A flush, not a continue: with stable input, libzstd defers a continue's set-up. What it
  // writes (the frame header) goes to `header` and is dropped with the session.
  ZSTD_CCtx* cctx = cctx_.get();
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  size_t ret = ZSTD_CCtx_setParameter(cctx, ZSTD_c_stableInBuffer, 1);
  if (!ZSTD_isError(ret)) ret = ZSTD_CCtx_setParameter(cctx, ZSTD_c_stableOutBuffer, 1);
  if (!ZSTD_isError(ret)) ret = ZSTD_CCtx_setPledgedSrcSize(cctx, size);
  if (!ZSTD_isError(ret)) {
    uint8_t header[ZSTD_FRAMEHEADERSIZE_MAX + 8];
    ZSTD_inBuffer in{header, 0, 0};
    ZSTD_outBuffer out{header, sizeof header, 0};
    ret = ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_flush);
  }
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_stableInBuffer, 0);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_stableOutBuffer, 0);
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  return Status::from_zstd(ret, "compress");
}

Result<Buffer> Compressor::compress_to_buffer(const uint8_t* src, size_t size) {
  const size_t bound = ZSTD_compressBound(size);
  if (ZSTD_isError(bound)) return Status::from_zstd(bound, "compress");
  auto out = Buffer::allocate(bound);
  if (!out.ok()) return out;
  auto written = compress(src, size, out.value().data(), bound);
  if (!written.ok()) return written.status();
  // A frame much smaller than a large bound moves to a block of its own: shrunk in place, it
  // would stay in the middle of the space the input and the bound leave, splitting it for the
  // next large call for as long as the caller keeps the frame.
  if (bound >= kPrepareMinimum && written.value() < bound / 2)
    return Buffer::copy_of(out.value().data(), written.value());
  Status st = out.value().resize(written.value());
  if (!st.ok()) return st;
  return out;
}

Result<Buffer> compress_once(const CompressorOptions& options, const uint8_t* src, size_t size) {
  const size_t bound = ZSTD_compressBound(size);
  if (ZSTD_isError(bound)) return Status::from_zstd(bound, "compress");
  // The output first: see the header.
  auto out = Buffer::allocate(bound);
  if (!out.ok()) return out;
  auto compressor = Compressor::create(options);
  if (!compressor.ok()) return compressor.status();
  auto written = compressor.value()->compress(src, size, out.value().data(), bound);
  if (!written.ok()) return written.status();
  Status st = out.value().resize(written.value());
  if (!st.ok()) return st;
  return out;
}

Result<std::unique_ptr<CompressSteps>> CompressSteps::create(const CompressorOptions& options, const uint8_t* src,
                                                             size_t size) {
  // The output before the context: see compress_once() in the header.
  auto out = Buffer::allocate(ZSTD_compressBound(size));
  if (!out.ok()) return out.status();
  auto cctx = create_cctx(options, requested_workers(options));
  if (!cctx.ok()) return cctx.status();
  Status st = Status::from_zstd(ZSTD_CCtx_setPledgedSrcSize(cctx.value().get(), size), "compress");
  if (st.ok()) st = Status::from_zstd(ZSTD_CCtx_setParameter(cctx.value().get(), ZSTD_c_stableInBuffer, 1), "compress");
  if (!st.ok()) return st;
  auto steps = std::unique_ptr<CompressSteps>(new CompressSteps());
  steps->cctx_ = std::move(cctx.value());
  steps->in_ = ZSTD_inBuffer{src, 0, 0};
  steps->size_ = size;
  steps->out_ = std::move(out.value());
  return steps;
}

Result<bool> CompressSteps::step(size_t budget) {
  // The same input buffer every call, only longer: what ZSTD_c_stableInBuffer allows.
  in_.size = size_ - in_.size > budget ? in_.size + std::max<size_t>(budget, 1) : size_;
  const ZSTD_EndDirective directive = in_.size == size_ ? ZSTD_e_end : ZSTD_e_continue;
  ZSTD_outBuffer o{out_.data(), out_.size(), written_};
  const size_t left = ZSTD_compressStream2(cctx_.get(), &o, &in_, directive);
  written_ = o.pos;
  if (ZSTD_isError(left)) return Status::from_zstd(left, "compress");
  if (directive != ZSTD_e_end || left != 0) return false;
  Status st = out_.resize(written_);
  if (!st.ok()) return st;
  return true;
}

}  // namespace zk

// One-shot compression and decompression (Compressor, Decompressor): into caller memory, into
// a WasmBuffer, and through the small-input scratch; the streams and batch jobs they make.
#include <emscripten/bind.h>

#include <memory>

#include "bind_batch.h"
#include "bind_buffer.h"
#include "bind_dict.h"
#include "boundary.h"
#include "core/batch.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/stream.h"

namespace zkw {
namespace {

// What decompressSmall() returns when the frame needs the general path: not a size (wasm32
// sizes are below 2^32) and not a failure.
constexpr double kSmallDeclined = 4294967296.0;

// dict: a Dictionary or null; params: flat [param, value, ...] of explicit parameters (may be empty).
std::unique_ptr<zk::Compressor> create_compressor(int level, bool checksum, bool content_size, bool dict_id,
                                                  int threads, const emscripten::val& dict,
                                                  const emscripten::val& params) {
  zk::CompressorOptions options;
  options.level = level;
  options.write_checksum = checksum;
  options.write_content_size = content_size;
  options.write_dict_id = dict_id;
  options.threads = threads;
  options.dict = dictionary_of(dict);
  options.params = param_list(params);
  return handle(zk::Compressor::create(options));
}

std::unique_ptr<zk::Decompressor> create_decompressor(size_t max_window_size, int format, const emscripten::val& dict) {
  zk::DecompressorOptions options;
  options.max_window_size = max_window_size;
  options.format = static_cast<ZSTD_format_e>(format);
  options.dict = dictionary_of(dict);
  return handle(zk::Decompressor::create(options));
}

double decompress_small(zk::Decompressor& d, size_t size, size_t max_output) {
  auto r = d.decompress_small(size, max_output);
  if (r.ok() && r.value() == zk::Decompressor::kNotApplicable) return kSmallDeclined;
  return number(r);
}

// sizes: `size_count` uint64s, or 0 when the frame headers say.
std::unique_ptr<Job> decompress_job(const zk::Decompressor& d, const Collection& frames, uintptr_t sizes,
                                    size_t size_count, int threads) {
  return handle_of<Job>(zk::make_decompress_job(d.options(), frames.get(), reinterpret_cast<const uint64_t*>(sizes),
                                                size_count, threads));
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_codec) {
  using emscripten::optional_override;
  using zk::Buffer;
  using zk::Compressor;
  using zk::Decompressor;

  emscripten::constant("SMALL_INPUT", zk::kSmallInput);
  emscripten::constant("SMALL_DECLINED", zkw::kSmallDeclined);

  emscripten::class_<Compressor>("Compressor")
      .function("compress", optional_override([](Compressor& c, uintptr_t src, size_t size, uintptr_t dst, size_t cap) {
                  return zkw::number(c.compress(zkw::in(src), size, zkw::out(dst), cap));
                }))
      .function("compressToBuffer", optional_override([](Compressor& c, uintptr_t src, size_t size) {
                  return zkw::handle_of<Buffer>(c.compress_to_buffer(zkw::in(src), size));
                }))
      // Scratch address (0 when it cannot be allocated: JS then takes the general path).
      .function("smallScratch", optional_override([](Compressor& c) { return zkw::address(c.small_scratch()); }))
      .function("compressSmall",
                optional_override([](Compressor& c, size_t size) { return zkw::number(c.compress_small(size)); }))
      .function("memorySize",
                optional_override([](const Compressor& c) { return static_cast<double>(c.memory_size()); }))
      .function("threads", optional_override([](const Compressor& c) { return c.options().threads; }))
      .function("progression",
                optional_override([](const Compressor& c) { return zkw::progression_of(c.progression()); }))
      // pledged_size < 0: unknown.
      .function("stream", optional_override([](const Compressor& c, double pledged_size) {
                  return zkw::handle(zk::CompressSession::create(c.options(), static_cast<int64_t>(pledged_size)));
                }))
      .function("compressJob", optional_override([](const Compressor& c, const zkw::Collection& input, int threads) {
                  return zkw::handle_of<zkw::Job>(zk::make_compress_job(c.options(), input.get(), threads));
                }));
  emscripten::function("createCompressor", &zkw::create_compressor);

  emscripten::class_<Decompressor>("Decompressor")
      .function("start", optional_override([](Decompressor& d, uintptr_t src, size_t size, size_t max_output,
                                              bool across_frames, bool background) {
                  return zkw::number(d.start(zkw::in(src), size, {max_output, across_frames}, background));
                }))
      .function("finish", optional_override([](Decompressor& d) { return zkw::number(d.finish()); }))
      .function("resultPtr", optional_override([](const Decompressor& d) { return zkw::address(d.result_data()); }))
      .function("takeResult",
                optional_override([](Decompressor& d) { return std::make_unique<Buffer>(d.take_result()); }))
      .function("dropResult", &Decompressor::drop_result)
      .function("smallScratch", optional_override([](Decompressor& d) { return zkw::address(d.small_scratch()); }))
      // The result's size; SMALL_DECLINED when the frame needs start().
      .function("decompressSmall", &zkw::decompress_small)
      .function("memorySize",
                optional_override([](const Decompressor& d) { return static_cast<double>(d.memory_size()); }))
      .function("stream", optional_override([](const Decompressor& d) {
                  return zkw::handle(zk::DecompressSession::create(d.options()));
                }))
      .function("decompressJob", &zkw::decompress_job)
      .function("contentDictChain", optional_override([](const Decompressor& d, const zkw::Collection& frames) {
                  return zkw::handle_of<Buffer>(zk::decompress_content_dict_chain(d.options(), frames.get()));
                }));
  emscripten::function("createDecompressor", &zkw::create_decompressor);
}

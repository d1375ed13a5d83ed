// Streaming sessions (made by Compressor.stream() / Decompressor.stream()): JS copies input into
// inputPtr() (or points loadExternal() at wasm memory it owns), calls run(), and copies
// outputSize() bytes from outputPtr() (which may move after run()), then clear().
#include <emscripten/bind.h>

#include "boundary.h"
#include "core/stream.h"

EMSCRIPTEN_BINDINGS(zstd_kit_stream) {
  using emscripten::optional_override;
  using zk::CompressSession;
  using zk::DecompressSession;
  using zk::StreamBuffers;

  emscripten::class_<StreamBuffers>("StreamBuffers")
      .function("inputPtr", optional_override([](const StreamBuffers& s) { return zkw::address(s.input()); }))
      .function("inputCapacity",
                optional_override([](const StreamBuffers& s) { return static_cast<double>(s.input_capacity()); }))
      .function("outputPtr", optional_override([](const StreamBuffers& s) { return zkw::address(s.output()); }))
      .function("outputSize",
                optional_override([](const StreamBuffers& s) { return static_cast<double>(s.output_size()); }))
      .function("load", &StreamBuffers::load)
      .function("loadExternal", optional_override([](StreamBuffers& s, uintptr_t data, size_t size) {
                  s.load_external(zkw::in(data), size);
                }))
      .function("inputLeft",
                optional_override([](const StreamBuffers& s) { return static_cast<double>(s.input_left()); }))
      .function("clear", &StreamBuffers::clear);

  emscripten::class_<CompressSession, emscripten::base<StreamBuffers>>("CompressStream")
      // directive: ZSTD_EndDirective (js/session.js names them); max_output 0 = no limit.
      .function("run", optional_override([](CompressSession& s, int directive, double max_output) {
                  return zkw::status(s.run(static_cast<ZSTD_EndDirective>(directive), static_cast<size_t>(max_output)));
                }))
      .function("done", &CompressSession::done)
      .function("memorySize",
                optional_override([](const CompressSession& s) { return static_cast<double>(s.memory_size()); }))
      .function("progression",
                optional_override([](const CompressSession& s) { return zkw::progression_of(s.progression()); }));

  emscripten::class_<DecompressSession, emscripten::base<StreamBuffers>>("DecompressStream")
      .function("run", optional_override([](DecompressSession& s, bool across_frames, double max_output) {
                  return zkw::status(s.run(across_frames, static_cast<size_t>(max_output)));
                }))
      .function("done", &DecompressSession::done)
      .function("memorySize",
                optional_override([](const DecompressSession& s) { return static_cast<double>(s.memory_size()); }))
      .function("frameEnded", &DecompressSession::frame_ended)
      .function("inFrame", &DecompressSession::in_frame)
      .function("checkEnd", optional_override([](const DecompressSession& s) { return zkw::status(s.check_end()); }));
}

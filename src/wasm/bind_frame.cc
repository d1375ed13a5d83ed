// Frame inspection: what a frame header says, without decoding the frame.
#include <emscripten/bind.h>

#include "boundary.h"
#include "core/frame.h"

namespace zkw {
namespace {

// { contentSize (-1: unknown), windowSize, dictId, hasChecksum }, or null.
emscripten::val frame_parameters(uintptr_t ptr, size_t size) {
  auto r = zk::get_frame_parameters(in(ptr), size);
  if (!r.ok()) {
    record(r.status());
    return emscripten::val::null();
  }
  emscripten::val out = emscripten::val::object();
  out.set("contentSize", static_cast<double>(r.value().content_size));
  out.set("windowSize", static_cast<double>(r.value().window_size));
  out.set("dictId", r.value().dict_id);
  out.set("hasChecksum", r.value().has_checksum);
  return out;
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_frame) {
  emscripten::function("frameParameters", &zkw::frame_parameters);
  emscripten::function("frameHeaderSize", emscripten::optional_override([](uintptr_t ptr, size_t size) {
                         return zkw::number(zk::frame_header_size(zkw::in(ptr), size));
                       }));
}

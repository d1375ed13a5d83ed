// Compression parameters: the table JS checks fields against, libzstd's level table, and the
// context-size estimate.
#include <emscripten/bind.h>

#include "boundary.h"
#include "core/params.h"

namespace zkw {
namespace {

// Every compression parameter JS may set: { name: [id, min, max] }.
emscripten::val compression_parameter_info() {
  emscripten::val out = emscripten::val::object();
  for (const auto& p : zk::kCompressionParameters) {
    const ZSTD_bounds b = ZSTD_cParam_getBounds(p.param);
    emscripten::val entry = emscripten::val::array();
    entry.call<void>("push", static_cast<int>(p.param));
    entry.call<void>("push", b.lowerBound);
    entry.call<void>("push", b.upperBound);
    out.set(p.name, entry);
  }
  return out;
}

// libzstd's parameters of `level` for an input of source_size bytes (0 unknown).
emscripten::val level_parameters(int level, double source_size, double dict_size) {
  const ZSTD_compressionParameters p =
      zk::level_parameters(level, static_cast<uint64_t>(source_size), static_cast<size_t>(dict_size));
  emscripten::val out = emscripten::val::object();
  out.set("windowLog", p.windowLog);
  out.set("chainLog", p.chainLog);
  out.set("hashLog", p.hashLog);
  out.set("searchLog", p.searchLog);
  out.set("minMatch", p.minMatch);
  out.set("targetLength", p.targetLength);
  out.set("strategy", static_cast<int>(p.strategy));
  return out;
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_params) {
  emscripten::function("compressionParameterInfo", &zkw::compression_parameter_info);
  emscripten::function("levelParameters", &zkw::level_parameters);
  emscripten::function("estimateCompressionContextSize", emscripten::optional_override([](const emscripten::val& flat) {
                         return zkw::number(zk::estimate_cctx_size(zkw::param_list(flat)));
                       }));
}

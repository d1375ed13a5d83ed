// Module-wide bindings: the error record behind the boundary's one error shape (boundary.h),
// memory accounting, the thread cap, and libzstd's own constants (so tests can check js/'s).
#include <emscripten/bind.h>

#include <string>

#include "boundary.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/thread_pool.h"

namespace zkw {

namespace {
thread_local zk::Status g_last_error;
}

void record(const zk::Status& status) { g_last_error = status; }

namespace {

emscripten::val library_constants() {
  emscripten::val c = emscripten::val::object();
  c.set("versionNumber", ZSTD_versionNumber());
  c.set("minLevel", ZSTD_minCLevel());
  c.set("maxLevel", ZSTD_maxCLevel());
  c.set("defaultLevel", ZSTD_defaultCLevel());
  c.set("cStreamInSize", static_cast<double>(ZSTD_CStreamInSize()));
  c.set("cStreamOutSize", static_cast<double>(ZSTD_CStreamOutSize()));
  c.set("dStreamInSize", static_cast<double>(ZSTD_DStreamInSize()));
  c.set("dStreamOutSize", static_cast<double>(ZSTD_DStreamOutSize()));
  return c;
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_module) {
  using emscripten::function;
  using emscripten::optional_override;

  function("lastErrorCode", optional_override([] { return std::string(zkw::g_last_error.name()); }));
  function("lastErrorMessage", optional_override([] { return zkw::g_last_error.message(); }));
  function("totalAllocatedBytes", optional_override([] { return static_cast<double>(zk::total_allocated_bytes()); }));
  function("peakAllocatedBytes", optional_override([] { return static_cast<double>(zk::peak_allocated_bytes()); }));
  function("threadsSupported", &zk::threads_supported);
  function("maxThreads", optional_override([] { return static_cast<double>(zk::max_threads()); }));
  // The loader calls it once, right after start-up: the threads start before any large call.
  function("setMaxThreads", optional_override([](double n) {
             zk::set_max_threads(static_cast<size_t>(n));
             zk::start_threads();
           }));
  function("libraryConstants", &zkw::library_constants);
  function("estimateDecompressionContextSize",
           optional_override([] { return static_cast<double>(ZSTD_estimateDCtxSize()); }));
  function("compressBound", optional_override([](double size) {
             return static_cast<double>(ZSTD_compressBound(static_cast<size_t>(size)));
           }));
}

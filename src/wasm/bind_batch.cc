// Batch jobs (the multi* APIs). Run one with run() (blocking, all threads), runAsync() (on the job
// thread; see Job) or step() (slices on the calling thread, for the single-threaded build), then
// takeResult().
#include "bind_batch.h"

#include <emscripten/bind.h>
#include <emscripten/threading.h>

#include <climits>

#include "bind_buffer.h"
#include "boundary.h"

namespace zkw {

void Job::run_async() {
  state_ = 0;
  job_->run_detached([this] {
    __atomic_store_n(&state_, 1, __ATOMIC_SEQ_CST);
#ifdef __EMSCRIPTEN_PTHREADS__
    emscripten_futex_wake(&state_, INT_MAX);
#endif
  });
}

}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_batch) {
  using emscripten::optional_override;
  using zkw::Job;

  emscripten::class_<Job>("BatchJob")
      .function("run", optional_override([](Job& j) { j.get().run(); }))
      .function("begin", optional_override([](Job& j) { j.get().begin(); }))
      .function("finish", optional_override([](Job& j) { j.get().finish(); }))
      .function("holdInput", optional_override([](Job& j) { j.get().hold_input(); }))
      .function("releaseInput", optional_override([](Job& j, double n) {
                  j.get().release_input(n >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(n));
                }))
      .function("step",
                optional_override([](Job& j, double budget) { return j.get().step(static_cast<size_t>(budget)); }))
      .function("runAsync", &Job::run_async)
      .function("statePtr", &Job::state_ptr)
      .function("takeResult",
                optional_override([](Job& j) { return zkw::handle_of<zkw::Collection>(j.get().take_result()); }));
}

// A batch job as JS holds it: the core job, and the int32 that a job run on the job thread sets
// to 1 when it is done (JS waits on it with Atomics.waitAsync).
#pragma once

#include <cstdint>
#include <memory>

#include "core/batch.h"

namespace zkw {

class Job {
 public:
  explicit Job(zk::BatchJobPtr job) : job_(std::move(job)) {}
  zk::BatchJob& get() { return *job_; }

  // Runs the job on the job thread; the state turns 1 (and waiters wake) when it is done.
  void run_async();
  uintptr_t state_ptr() const { return reinterpret_cast<uintptr_t>(&state_); }

 private:
  zk::BatchJobPtr job_;
  alignas(4) int32_t state_ = 0;
};

}  // namespace zkw

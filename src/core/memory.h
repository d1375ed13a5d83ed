// Accounting allocator: every byte libzstd and the core allocate goes through here, so
// zstd.memory can report live and peak usage (cf. arrow::MemoryPool::bytes_allocated).
#pragma once

#include <cstddef>
#include <memory>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

namespace zk {

void* tracked_malloc(size_t size) noexcept;            // nullptr on failure
void* tracked_realloc(void* p, size_t size) noexcept;  // nullptr on failure, p untouched
void tracked_free(void* p) noexcept;

size_t total_allocated_bytes() noexcept;
size_t peak_allocated_bytes() noexcept;
void reset_peak_allocated_bytes() noexcept;

// What libzstd's *_advanced constructors take, routing into the functions above.
ZSTD_customMem tracked_custom_mem() noexcept;

struct TrackedFree {
  void operator()(void* p) const noexcept { tracked_free(p); }
};

}  // namespace zk

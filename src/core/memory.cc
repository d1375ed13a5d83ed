#include "memory.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace zk {
namespace {

// Each block carries its size in a header; 16 bytes keeps the payload as aligned as malloc's.
constexpr size_t kHeader = 16;

std::atomic<size_t> g_total{0};
std::atomic<size_t> g_peak{0};

void add(size_t n) noexcept {
  size_t now = g_total.fetch_add(n, std::memory_order_relaxed) + n;
  size_t peak = g_peak.load(std::memory_order_relaxed);
  while (now > peak && !g_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void sub(size_t n) noexcept { g_total.fetch_sub(n, std::memory_order_relaxed); }

void* zstd_alloc(void*, size_t size) { return tracked_malloc(size); }
void zstd_free(void*, void* p) { tracked_free(p); }

}  // namespace

void* tracked_malloc(size_t size) noexcept {
  if (size > SIZE_MAX - kHeader) return nullptr;
  auto* block = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (block == nullptr) return nullptr;
  std::memcpy(block, &size, sizeof size);
  add(size);
  return block + kHeader;
}

void* tracked_realloc(void* p, size_t size) noexcept {
  if (p == nullptr) return tracked_malloc(size);
  if (size > SIZE_MAX - kHeader) return nullptr;
  auto* block = static_cast<unsigned char*>(p) - kHeader;
  size_t old_size;
  std::memcpy(&old_size, block, sizeof old_size);
  auto* grown = static_cast<unsigned char*>(std::realloc(block, size + kHeader));
  if (grown == nullptr) return nullptr;
  std::memcpy(grown, &size, sizeof size);
  if (size >= old_size)
    add(size - old_size);
  else
    sub(old_size - size);
  return grown + kHeader;
}

void tracked_free(void* p) noexcept {
  if (p == nullptr) return;
  auto* block = static_cast<unsigned char*>(p) - kHeader;
  size_t size;
  std::memcpy(&size, block, sizeof size);
  sub(size);
  std::free(block);
}

size_t total_allocated_bytes() noexcept { return g_total.load(std::memory_order_relaxed); }
size_t peak_allocated_bytes() noexcept { return g_peak.load(std::memory_order_relaxed); }
void reset_peak_allocated_bytes() noexcept { g_peak.store(total_allocated_bytes(), std::memory_order_relaxed); }

ZSTD_customMem tracked_custom_mem() noexcept { return ZSTD_customMem{zstd_alloc, zstd_free, nullptr}; }

}  // namespace zk

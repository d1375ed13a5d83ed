#include "core/memory.h"

#include <gtest/gtest.h>

namespace zk {

TEST(Memory, CountsLiveBytesAndPeak) {
  const size_t base = total_allocated_bytes();
  reset_peak_allocated_bytes();
  void* a = tracked_malloc(1000);
  void* b = tracked_malloc(24);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(total_allocated_bytes(), base + 1024);
  tracked_free(a);
  EXPECT_EQ(total_allocated_bytes(), base + 24);
  EXPECT_EQ(peak_allocated_bytes(), base + 1024);
  tracked_free(b);
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Memory, ReallocAdjustsTheCount) {
  const size_t base = total_allocated_bytes();
  auto* p = static_cast<unsigned char*>(tracked_malloc(10));
  for (int i = 0; i < 10; ++i) p[i] = static_cast<unsigned char>(i);
  p = static_cast<unsigned char*>(tracked_realloc(p, 100000));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p[9], 9);
  EXPECT_EQ(total_allocated_bytes(), base + 100000);
  p = static_cast<unsigned char*>(tracked_realloc(p, 5));
  EXPECT_EQ(total_allocated_bytes(), base + 5);
  tracked_free(p);
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Memory, ImpossibleAllocationReturnsNull) {
  const size_t base = total_allocated_bytes();
  EXPECT_EQ(tracked_malloc(SIZE_MAX - 8), nullptr);
  EXPECT_EQ(total_allocated_bytes(), base);
  tracked_free(nullptr);
}

TEST(Memory, ZstdContextsAreAccounted) {
  const size_t base = total_allocated_bytes();
  ZSTD_CCtx* cctx = ZSTD_createCCtx_advanced(tracked_custom_mem());
  EXPECT_GT(total_allocated_bytes(), base);
  ZSTD_freeCCtx(cctx);
  EXPECT_EQ(total_allocated_bytes(), base);
}

}  // namespace zk

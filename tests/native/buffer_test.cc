#include "core/buffer.h"

#include <gtest/gtest.h>

#include <cstring>

namespace zk {

TEST(Buffer, AllocateCopyAndAccount) {
  const size_t base = total_allocated_bytes();
  {
    const uint8_t bytes[] = {1, 2, 3, 4, 5};
    auto b = Buffer::copy_of(bytes, sizeof bytes);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b.value().size(), 5u);
    EXPECT_EQ(std::memcmp(b.value().data(), bytes, 5), 0);
    EXPECT_GE(total_allocated_bytes(), base + 5);
  }
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Buffer, SliceSharesMemoryAndOutlivesParent) {
  const size_t base = total_allocated_bytes();
  Buffer slice;
  {
    auto parent = Buffer::allocate(100);
    for (int i = 0; i < 100; ++i) parent.value().data()[i] = static_cast<uint8_t>(i);
    auto s = parent.value().slice(10, 20);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value().data(), parent.value().data() + 10);
    slice = s.value();
  }
  EXPECT_EQ(slice.size(), 20u);
  EXPECT_EQ(slice.data()[0], 10);
  EXPECT_EQ(slice.data()[19], 29);
  slice = Buffer();
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Buffer, SliceOutOfRangeIsRejected) {
  auto b = Buffer::allocate(10);
  EXPECT_STREQ(b.value().slice(5, 6).status().name(), "out_of_range");
  EXPECT_STREQ(b.value().slice(11, 0).status().name(), "out_of_range");
  EXPECT_STREQ(b.value().slice(1, SIZE_MAX).status().name(), "out_of_range");
  EXPECT_TRUE(b.value().slice(10, 0).ok());
}

TEST(Buffer, ResizeKeepsPrefix) {
  auto b = Buffer::allocate(4);
  std::memcpy(b.value().data(), "abcd", 4);
  ASSERT_TRUE(b.value().resize(1 << 20).ok());
  EXPECT_EQ(std::memcmp(b.value().data(), "abcd", 4), 0);
  ASSERT_TRUE(b.value().resize(2).ok());
  EXPECT_EQ(b.value().size(), 2u);
  EXPECT_EQ(std::memcmp(b.value().data(), "ab", 2), 0);
}

TEST(Buffer, ResizeOfSharedStorageLeavesSlicesIntact) {
  auto b = Buffer::allocate(8);
  std::memcpy(b.value().data(), "01234567", 8);
  auto s = b.value().slice(0, 8);
  ASSERT_TRUE(b.value().resize(4096).ok());
  EXPECT_EQ(std::memcmp(s.value().data(), "01234567", 8), 0);
  EXPECT_EQ(std::memcmp(b.value().data(), "01234567", 8), 0);
  EXPECT_NE(s.value().data(), b.value().data());
}

TEST(Buffer, HugeAllocationFailsCleanly) {
  auto b = Buffer::allocate(SIZE_MAX / 2);
  ASSERT_FALSE(b.ok());
  EXPECT_STREQ(b.status().name(), "memory_allocation");
}

}  // namespace zk

#include "core/segments.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/memory.h"

namespace zk {
namespace {

Buffer bytes_of(const std::string& s) {
  return Buffer::copy_of(reinterpret_cast<const uint8_t*>(s.data()), s.size()).value();
}

std::string text(const BufferSegment& s) { return std::string(reinterpret_cast<const char*>(s.data()), s.length()); }

}  // namespace

TEST(BufferWithSegments, IndexesSegments) {
  auto b = BufferWithSegments::owning(bytes_of("hello world"), {{0, 5}, {6, 5}, {11, 0}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().size(), 11u);
  EXPECT_EQ(b.value().length(), 3u);
  EXPECT_EQ(text(b.value().get(0).value()), "hello");
  EXPECT_EQ(text(b.value().get(1).value()), "world");
  EXPECT_EQ(b.value().get(1).value().offset(), 6u);
  EXPECT_EQ(b.value().get(2).value().length(), 0u);
  EXPECT_STREQ(b.value().get(3).status().name(), "out_of_range");
}

TEST(BufferWithSegments, RejectsSegmentsOutsideTheBuffer) {
  EXPECT_STREQ(BufferWithSegments::owning(bytes_of("abc"), {{0, 4}}).status().name(), "out_of_range");
  EXPECT_STREQ(BufferWithSegments::owning(bytes_of("abc"), {{4, 0}}).status().name(), "out_of_range");
  // offset + length overflows 64 bits: still rejected, not wrapped around.
  EXPECT_STREQ(BufferWithSegments::owning(bytes_of("abc"), {{1, UINT64_MAX}}).status().name(), "out_of_range");
  EXPECT_TRUE(BufferWithSegments::owning(bytes_of("abc"), {{3, 0}, {0, 3}, {1, 1}}).ok());  // overlaps allowed
}

TEST(BufferWithSegments, SegmentKeepsOwnedMemoryAlive) {
  const size_t before = total_allocated_bytes();
  BufferSegment segment;
  {
    auto b = BufferWithSegments::owning(bytes_of("keep me alive"), {{5, 2}});
    segment = b.value().get(0).value();
  }
  EXPECT_GT(total_allocated_bytes(), before);
  EXPECT_EQ(text(segment), "me");
  segment = BufferSegment();
  EXPECT_EQ(total_allocated_bytes(), before);
}

TEST(BufferWithSegments, Borrowing) {
  const char data[] = "borrowed";
  auto b = BufferWithSegments::borrowing(reinterpret_cast<const uint8_t*>(data), 8, {{0, 6}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(text(b.value().get(0).value()), "borrow");
  EXPECT_STREQ(BufferWithSegments::borrowing(reinterpret_cast<const uint8_t*>(data), 8, {{6, 3}}).status().name(),
               "out_of_range");
}

TEST(BufferWithSegmentsCollection, GlobalIndexingSkipsEmptyBuffers) {
  auto a = BufferWithSegments::owning(bytes_of("ab"), {{0, 1}, {1, 1}}).value();
  auto empty = BufferWithSegments::owning(bytes_of(""), {}).value();
  auto c = BufferWithSegments::owning(bytes_of("cde"), {{0, 1}, {1, 1}, {2, 1}}).value();
  BufferWithSegmentsCollection all({a, empty, c, empty});
  EXPECT_EQ(all.length(), 5u);
  EXPECT_EQ(all.buffer_count(), 4u);
  EXPECT_EQ(all.total_size(), 5u);
  std::string seen;
  for (size_t i = 0; i < all.length(); ++i) seen += text(all.get(i).value());
  EXPECT_EQ(seen, "abcde");
  EXPECT_STREQ(all.get(5).status().name(), "out_of_range");
  EXPECT_EQ(BufferWithSegmentsCollection().length(), 0u);
}

}  // namespace zk

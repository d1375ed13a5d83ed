#include "core/decompressor.h"

#include <gtest/gtest.h>

#include "core/memory.h"
#include "test_util.h"

namespace zk {
namespace {

std::unique_ptr<Decompressor> make(DecompressorOptions o = {}) {
  auto d = Decompressor::create(o);
  EXPECT_TRUE(d.ok());
  return std::move(d.value());
}

std::vector<uint8_t> to_vec(const Buffer& b) { return std::vector<uint8_t>(b.data(), b.data() + b.size()); }

}  // namespace

TEST(Decompressor, RoundTrip) {
  auto data = test::sample_data(300000);
  auto frame = test::compress(data);
  auto out = make()->decompress(frame.data(), frame.size(), {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(to_vec(out.value()), data);
}

TEST(Decompressor, UnknownContentSizeNeedsMaxOutputSize) {
  auto data = test::sample_data(300000);
  CompressorOptions o;
  o.write_content_size = false;
  auto frame = test::compress(data, o);
  auto d = make();
  EXPECT_STREQ(d->decompress(frame.data(), frame.size(), {}).status().name(), "content_size_unknown");
  auto out = d->decompress(frame.data(), frame.size(), {data.size(), false});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(to_vec(out.value()), data);
  EXPECT_STREQ(d->decompress(frame.data(), frame.size(), {data.size() - 1, false}).status().name(), "output_too_large");
}

TEST(Decompressor, MaxOutputSizeAppliesToKnownSizes) {
  auto data = test::sample_data(1000);
  auto frame = test::compress(data);
  EXPECT_STREQ(make()->decompress(frame.data(), frame.size(), {999, false}).status().name(), "output_too_large");
  EXPECT_TRUE(make()->decompress(frame.data(), frame.size(), {1000, false}).ok());
}

TEST(Decompressor, FirstFrameOnlyUnlessReadingAcross) {
  auto a = test::sample_data(1000, 1), b = test::sample_data(2000, 2);
  auto fa = test::compress(a), fb = test::compress(b);
  std::vector<uint8_t> both = fa;
  const uint8_t skippable[] = {0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3};
  both.insert(both.end(), skippable, skippable + sizeof skippable);
  both.insert(both.end(), fb.begin(), fb.end());
  auto d = make();
  EXPECT_EQ(to_vec(d->decompress(both.data(), both.size(), {}).value()), a);
  std::vector<uint8_t> ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  EXPECT_EQ(to_vec(d->decompress(both.data(), both.size(), {0, true}).value()), ab);
}

TEST(Decompressor, TruncatedAndCorruptInputAreErrorsWithoutLeaks) {
  auto data = test::sample_data(100000);
  CompressorOptions o;
  o.write_checksum = true;
  auto frame = test::compress(data, o);
  auto d = make();
  ASSERT_TRUE(d->decompress(frame.data(), frame.size(), {}).ok());
  const size_t base = total_allocated_bytes();
  EXPECT_STREQ(d->decompress(frame.data(), frame.size() - 3, {}).status().name(), "src_size_wrong");
  EXPECT_STREQ(d->decompress(frame.data(), 3, {}).status().name(), "src_size_wrong");
  EXPECT_STREQ(d->decompress(frame.data(), 0, {}).status().name(), "src_size_wrong");
  std::mt19937 rng(5);
  for (int i = 0; i < 500; ++i) {
    auto bad = frame;
    for (int k = 0; k < 3; ++k) bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    auto r = d->decompress(bad.data(), bad.size(), {});
    if (r.ok()) EXPECT_EQ(to_vec(r.value()), data);  // a flip in a place that does not matter
  }
  EXPECT_EQ(total_allocated_bytes(), base);
  EXPECT_EQ(to_vec(d->decompress(frame.data(), frame.size(), {}).value()), data);
}

TEST(Decompressor, LyingContentSizeIsCorruption) {
  // A tiny frame claiming 1 GiB of content must not allocate it.
  std::vector<uint8_t> frame = {0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0x40, 1, 0, 0, 'x'};
  auto r = make()->decompress(frame.data(), frame.size(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_STREQ(r.status().name(), "corruption_detected");
}

TEST(Decompressor, MaxWindowSizeIsEnforced) {
  auto data = test::sample_data(4 << 20);
  CompressorOptions o;
  o.level = 19;  // a large window
  auto frame = test::compress(data, o);
  DecompressorOptions small;
  small.max_window_size = 1 << 10;
  EXPECT_STREQ(make(small)->decompress(frame.data(), frame.size(), {}).status().name(),
               "frame_parameter_window_too_large");
  DecompressorOptions bad;
  bad.max_window_size = 5;
  EXPECT_STREQ(Decompressor::create(bad).status().name(), "parameter_out_of_bound");
}

TEST(Decompressor, PlannedSizeIsTheFirstFrameContentSize) {
  auto data = test::sample_data(70000);
  auto frame = test::compress(data);
  auto d = make();
  EXPECT_EQ(d->planned_size(frame.data(), frame.size(), {}), 70000);
  EXPECT_EQ(d->planned_size(frame.data(), frame.size(), {0, true}), -1);
  EXPECT_EQ(d->planned_size(frame.data(), frame.size(), {100, false}), -1);
  EXPECT_EQ(d->planned_size(frame.data(), 3, {}), -1);
  CompressorOptions o;
  o.write_content_size = false;
  auto unknown = test::compress(data, o);
  EXPECT_EQ(d->planned_size(unknown.data(), unknown.size(), {}), -1);
}

TEST(Decompressor, MagiclessFormat) {
  auto data = test::sample_data(5000);
  auto frame = test::compress(data);
  std::vector<uint8_t> magicless(frame.begin() + 4, frame.end());
  DecompressorOptions o;
  o.format = ZSTD_f_zstd1_magicless;
  auto r = make(o)->decompress(magicless.data(), magicless.size(), {data.size(), false});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(to_vec(r.value()), data);
}

}  // namespace zk

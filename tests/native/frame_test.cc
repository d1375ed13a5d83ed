#include "core/frame.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace zk {

TEST(Frame, ParametersOfAPlainFrame) {
  auto frame = test::compress(test::sample_data(5000));
  auto p = get_frame_parameters(frame.data(), frame.size());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().content_size, 5000);
  EXPECT_GT(p.value().window_size, 0u);
  EXPECT_EQ(p.value().dict_id, 0u);
  EXPECT_EQ(frame_content_size(frame.data(), frame.size()).value(), 5000);
  auto hs = frame_header_size(frame.data(), frame.size());
  ASSERT_TRUE(hs.ok());
  EXPECT_GE(hs.value(), 6u);
}

TEST(Frame, ShortAndInvalidHeaders) {
  const uint8_t magic_only[] = {0x28, 0xb5, 0x2f, 0xfd};
  EXPECT_STREQ(get_frame_parameters(magic_only, 4).status().name(), "src_size_wrong");
  const uint8_t garbage[] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_STREQ(get_frame_parameters(garbage, 8).status().name(), "prefix_unknown");
  EXPECT_FALSE(frame_header_size(garbage, 8).ok());
}

TEST(Frame, SkippableFrameIsAClearError) {
  const uint8_t skippable[] = {0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9};
  auto p = get_frame_parameters(skippable, sizeof skippable);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("skippable"), std::string::npos);
}

TEST(Frame, DecompressedSizeBound) {
  EXPECT_GE(max_decompressed_size(8), 2u * ZSTD_BLOCKSIZE_MAX);
  EXPECT_LT(max_decompressed_size(8), 4u * ZSTD_BLOCKSIZE_MAX);
}

TEST(Frame, DecodeChecksSayWhatIsWrong) {
  ZSTD_frameHeader header{};
  header.windowSize = 1 << 20;
  EXPECT_TRUE(check_window(header, 0).ok());
  EXPECT_TRUE(check_window(header, 1 << 20).ok());
  Status window = check_window(header, 1 << 19);
  EXPECT_STREQ(window.name(), "frame_parameter_window_too_large");
  EXPECT_EQ(window.prefixed("item 4: ").message(), "item 4: frame window of 1048576 bytes exceeds maxWindowSize");
  EXPECT_TRUE(check_decoded_size(10, 10).ok());
  Status decoded = check_decoded_size(9, 10);
  EXPECT_STREQ(decoded.name(), "corruption_detected");
  EXPECT_EQ(decoded.message(), "decoded to 9 bytes, expected 10");
  EXPECT_TRUE(Status().prefixed("item 1: ").ok());
}

TEST(Frame, MagiclessFrameSizeWalksTheBlocks) {
  // The same frame with and without its magic number: zstd1's size is libzstd's, minus four.
  for (bool checksum : {false, true}) {
    CompressorOptions o;
    o.write_checksum = checksum;
    auto frame = test::compress(test::sample_data(300000, 5), o);
    std::vector<uint8_t> padded(frame.begin() + 4, frame.end());  // and 7 bytes of what follows
    padded.insert(padded.end(), 7, 0xee);
    auto size = magicless_frame_size(padded.data(), padded.size());
    ASSERT_TRUE(size.ok()) << size.status().message();
    EXPECT_EQ(size.value(), ZSTD_findFrameCompressedSize(frame.data(), frame.size()) - 4);
    for (size_t cut : {size_t{1}, size_t{5}, frame.size() - 5}) {
      EXPECT_STREQ(magicless_frame_size(frame.data() + 4, cut).status().name(), "src_size_wrong") << cut;
    }
  }
}

TEST(Frame, BlockScanBoundsTheOutput) {
  // Text in compressed blocks, then incompressible bytes in raw blocks: the bound holds the
  // content, and the raw blocks are counted exactly.
  auto data = test::sample_data(1000000, 3);
  std::mt19937 rng(1);
  for (int i = 0; i < 300000; ++i) data.push_back(static_cast<uint8_t>(rng()));
  auto frame = test::compress(data);
  auto blocks = scan_frame_blocks(frame.data(), frame.size());
  ASSERT_TRUE(blocks.ok()) << blocks.status().message();
  EXPECT_EQ(blocks.value().frame_size, frame.size());
  EXPECT_EQ(blocks.value().block_max, 131072u);
  EXPECT_GT(blocks.value().compressed_blocks, 0u);
  EXPECT_GE(blocks.value().exact_bytes, 200000u);
  EXPECT_GE(blocks.value().upper_bound(), data.size());
  EXPECT_LE(blocks.value().upper_bound(), data.size() + 131072);
  EXPECT_STREQ(scan_frame_blocks(frame.data(), frame.size() - 10).status().name(), "src_size_wrong");
  const uint8_t skippable[] = {0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0};
  EXPECT_STREQ(scan_frame_blocks(skippable, sizeof skippable).status().name(), "frame_parameter_unsupported");
}

}  // namespace zk

#include "core/decompressor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "core/memory.h"
#include "core/thread_pool.h"
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

TEST(Decompressor, DecompressOnceIsDecompressWithAContextOfItsOwn) {
  auto data = test::sample_data(3 << 20);
  CompressorOptions co;
  co.level = 3;
  auto frame = compress_once(co, data.data(), data.size());
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(std::vector<uint8_t>(frame.value().data(), frame.value().data() + frame.value().size()),
            test::compress(data, co));
  auto back = decompress_once({}, frame.value().data(), frame.value().size(), {});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::vector<uint8_t>(back.value().data(), back.value().data() + back.value().size()), data);
  // Limits and errors as Decompressor::decompress() reports them, nothing left allocated.
  const size_t before = total_allocated_bytes();
  auto capped = decompress_once({}, frame.value().data(), frame.value().size(), {1000, false});
  EXPECT_STREQ(capped.status().name(), "output_too_large");
  auto cut = decompress_once({}, frame.value().data(), frame.value().size() / 2, {});
  EXPECT_FALSE(cut.ok());
  EXPECT_EQ(total_allocated_bytes(), before);
}

TEST(Decompressor, UnknownContentSizeDecodesWithoutAHint) {
  auto data = test::sample_data(300000);
  CompressorOptions o;
  o.write_content_size = false;
  auto frame = test::compress(data, o);
  auto d = make();
  auto out = d->decompress(frame.data(), frame.size(), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(to_vec(out.value()), data);
  out = d->decompress(frame.data(), frame.size(), {data.size(), false});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(to_vec(out.value()), data);
  EXPECT_STREQ(d->decompress(frame.data(), frame.size(), {data.size() - 1, false}).status().name(), "output_too_large");
}

// What a pipe gives: one frame streamed in chunks, without a content size.
std::vector<uint8_t> stream_compress(const std::vector<uint8_t>& data, int level = 3, int window_log = 0) {
  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_windowLog, window_log);
  std::vector<uint8_t> out(ZSTD_compressBound(data.size()) + 1024);
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  const size_t chunk = 100000;
  for (size_t pos = 0; pos < data.size(); pos += chunk) {
    ZSTD_inBuffer in{data.data() + pos, std::min(chunk, data.size() - pos), 0};
    while (in.pos < in.size) EXPECT_FALSE(ZSTD_isError(ZSTD_compressStream2(cctx.get(), &o, &in, ZSTD_e_continue)));
  }
  ZSTD_inBuffer end{nullptr, 0, 0};
  while (true) {
    const size_t left = ZSTD_compressStream2(cctx.get(), &o, &end, ZSTD_e_end);
    EXPECT_FALSE(ZSTD_isError(left));
    if (left == 0 || ZSTD_isError(left)) break;
  }
  out.resize(o.pos);
  EXPECT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  return out;
}

std::vector<uint8_t> random_data(size_t size) {
  std::mt19937 rng(7);
  std::vector<uint8_t> out(size);
  for (auto& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

// Compresses far better than 64:1 in compressed (not RLE) blocks: the first guess falls short.
std::vector<uint8_t> repetitive_data(size_t size) {
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>("abcabd"[i % 6]);
  return out;
}

TEST(Decompressor, StreamedFramesOfEverySizeDecode) {
  auto d = make();
  for (size_t size : {size_t{1}, size_t{100}, size_t{131072}, size_t{131073}, size_t{3000000}, size_t{16} << 20}) {
    for (const auto& data : {test::sample_data(size), random_data(size), repetitive_data(size)}) {
      auto frame = stream_compress(data);
      auto out = d->decompress(frame.data(), frame.size(), {});
      ASSERT_TRUE(out.ok()) << size << ": " << out.status().message();
      EXPECT_TRUE(to_vec(out.value()) == data) << size;
      auto exact = d->decompress(frame.data(), frame.size(), {size, false});
      ASSERT_TRUE(exact.ok()) << size;
      EXPECT_EQ(exact.value().size(), size);
      EXPECT_STREQ(d->decompress(frame.data(), frame.size(), {size - 1 + (size == 1), false}).status().name(),
                   size == 1 ? "" : "output_too_large");
      // start()/finish() (decompressToBuffer) takes the same path.
      auto started = d->start(frame.data(), frame.size(), {}, true);
      ASSERT_TRUE(started.ok()) << size;
      EXPECT_TRUE(to_vec(d->take_result()) == data) << size;
    }
  }
}

TEST(Decompressor, StreamedFramesKeepZstdsDefaultWindowLimit) {
  auto data = test::sample_data(100000);
  auto frame = stream_compress(data, 3, 28);
  EXPECT_STREQ(make()->decompress(frame.data(), frame.size(), {}).status().name(), "frame_parameter_window_too_large");
  DecompressorOptions o;
  o.max_window_size = size_t{1} << 28;
  auto out = make(o)->decompress(frame.data(), frame.size(), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(to_vec(out.value()) == data);
}

TEST(Decompressor, MixedFramesDecodeAcross) {
  auto a = test::sample_data(500000, 1), b = repetitive_data(20 << 20), c = random_data(200000);
  std::vector<uint8_t> all = stream_compress(a);
  auto fb = stream_compress(b), fc = test::compress(c);
  const uint8_t skippable[] = {0x51, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9};
  all.insert(all.end(), fb.begin(), fb.end());
  all.insert(all.end(), skippable, skippable + sizeof skippable);
  all.insert(all.end(), fc.begin(), fc.end());
  std::vector<uint8_t> expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  expected.insert(expected.end(), c.begin(), c.end());
  auto out = make()->decompress(all.data(), all.size(), {0, true});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(to_vec(out.value()) == expected);
  EXPECT_STREQ(make()->decompress(all.data(), all.size(), {expected.size() - 1, true}).status().name(),
               "output_too_large");
  // Truncated inside the second frame: an error, whatever was decoded before it.
  EXPECT_STREQ(make()->decompress(all.data(), all.size() - fc.size() - sizeof skippable - 5, {0, true}).status().name(),
               "src_size_wrong");
}

TEST(Decompressor, BombsWithALimitAreRefusedBeforeTheBigAllocation) {
  const size_t bomb_size = size_t{256} << 20, limit = size_t{1} << 20;
  auto d = make();
  for (const auto& frame :
       {stream_compress(std::vector<uint8_t>(bomb_size, 0), 19), stream_compress(repetitive_data(bomb_size), 1)}) {
    ASSERT_LT(frame.size(), size_t{1} << 20);
    reset_peak_allocated_bytes();
    const size_t before = total_allocated_bytes();
    EXPECT_STREQ(d->decompress(frame.data(), frame.size(), {limit, false}).status().name(), "output_too_large");
    EXPECT_STREQ(d->start(frame.data(), frame.size(), {limit, false}, true).status().name(), "output_too_large");
    // At most the limit (grown by doubling) and the streaming window: never the bomb's size.
    EXPECT_LT(peak_allocated_bytes() - before, 3 * limit + (size_t{8} << 20));
    EXPECT_LE(total_allocated_bytes(), before + d->memory_size());  // the context keeps its window
  }
}

// DecodeSteps gives what decompress() gives, result or error, whatever the budget.
Result<Buffer> in_steps(const std::vector<uint8_t>& input, DecompressOptions decode, size_t budget) {
  auto steps = DecodeSteps::create({}, input.data(), input.size(), decode);
  if (!steps.ok()) return steps.status();
  for (size_t n = 0;; ++n) {
    auto done = steps.value()->step(budget);
    if (!done.ok()) return done.status();
    if (done.value()) break;
    EXPECT_LT(n, input.size() + (size_t{64} << 20) / std::max<size_t>(budget, 1) + 10);
  }
  return steps.value()->take_result();
}

TEST(DecodeSteps, SameResultsAndErrorsAsDecompress) {
  auto a = test::sample_data(3000000, 1), b = repetitive_data(5 << 20), c = random_data(200000);
  std::vector<uint8_t> all = stream_compress(a);
  auto fb = test::compress(b), fc = stream_compress(c);
  all.insert(all.end(), fb.begin(), fb.end());
  all.insert(all.end(), fc.begin(), fc.end());
  std::vector<uint8_t> truncated(all.begin(), all.end() - 7), corrupt = all;
  corrupt[all.size() / 3] ^= 0x55;
  std::vector<uint8_t> empty, skippable_only = {0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0};
  auto d = make();
  for (const auto* input : {&all, &truncated, &corrupt, &empty, &skippable_only}) {
    for (DecompressOptions decode : {DecompressOptions{0, false}, DecompressOptions{0, true},
                                     DecompressOptions{1 << 20, true}, DecompressOptions{a.size() + b.size(), true}}) {
      auto expected = d->decompress(input->data(), input->size(), decode);
      for (size_t budget : {size_t{0}, size_t{1000}, size_t{1} << 20, SIZE_MAX}) {
        auto got = in_steps(*input, decode, budget);
        ASSERT_EQ(got.ok(), expected.ok()) << budget << " " << got.status().message();
        if (got.ok()) {
          EXPECT_TRUE(to_vec(got.value()) == to_vec(expected.value()));
        } else {
          EXPECT_STREQ(got.status().name(), expected.status().name());
        }
      }
    }
  }
}

TEST(Decompressor, BombsWithoutALimitDecode) {
  auto data = repetitive_data(size_t{64} << 20);
  auto frame = stream_compress(data, 1);
  auto out = make()->decompress(frame.data(), frame.size(), {});
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(to_vec(out.value()) == data);
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
    if (r.ok()) {
      EXPECT_EQ(to_vec(r.value()), data);  // a flip in a place that does not matter
    }
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
  auto rejected = Decompressor::create(bad);
  EXPECT_STREQ(rejected.status().name(), "out_of_range");  // a RangeError in JS
  EXPECT_NE(rejected.status().message().find("maxWindowSize 5 is outside zstd's bounds [1024, "), std::string::npos)
      << rejected.status().message();
}

TEST(Decompressor, PlannedSizeIsTheStatedContentSize) {
  auto data = test::sample_data(70000);
  auto frame = test::compress(data);
  auto d = make();
  EXPECT_EQ(d->planned_size(frame.data(), frame.size(), {}), 70000);
  EXPECT_EQ(d->planned_size(frame.data(), frame.size(), {0, true}), 70000);
  std::vector<uint8_t> two = frame;
  two.insert(two.end(), frame.begin(), frame.end());
  EXPECT_EQ(d->planned_size(two.data(), two.size(), {0, true}), 140000);
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

TEST(ContentDictChain, DecodesChain) {
  std::vector<std::vector<uint8_t>> inputs;
  for (unsigned i = 0; i < 50; ++i) inputs.push_back(test::sample_data(1000 + i * 37, i % 3));
  std::vector<std::vector<uint8_t>> frames;
  auto cctx = create_cctx({}, 0).value();  // the test's own context, outside the job
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::vector<uint8_t> frame(ZSTD_compressBound(inputs[i].size()));
    if (i > 0) ZSTD_CCtx_refPrefix(cctx.get(), inputs[i - 1].data(), inputs[i - 1].size());
    size_t n = ZSTD_compress2(cctx.get(), frame.data(), frame.size(), inputs[i].data(), inputs[i].size());
    ASSERT_FALSE(ZSTD_isError(n));
    frame.resize(n);
    frames.push_back(frame);
  }
  auto out = decompress_content_dict_chain({}, test::collection_of(frames));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(std::vector<uint8_t>(out.value().data(), out.value().data() + out.value().size()), inputs.back());

  // Without its predecessor, a frame does not decode.
  std::vector<std::vector<uint8_t>> broken = frames;
  broken.erase(broken.begin() + 10);
  EXPECT_FALSE(decompress_content_dict_chain({}, test::collection_of(broken)).ok());
  EXPECT_STREQ(decompress_content_dict_chain({}, BufferWithSegmentsCollection()).status().name(), "out_of_range");
}

TEST(Decompressor, SmallInputPathDecodesOrDeclines) {
  auto d = make();
  auto data = test::sample_data(100000, 4);
  auto frame = test::compress(data);
  ASSERT_LE(frame.size(), kSmallInput);
  uint8_t* scratch = d->small_scratch();
  ASSERT_NE(scratch, nullptr);
  std::copy(frame.begin(), frame.end(), scratch);
  auto n = d->decompress_small(frame.size(), 0);
  ASSERT_TRUE(n.ok()) << n.status().message();
  ASSERT_EQ(n.value(), static_cast<int64_t>(data.size()));
  EXPECT_EQ(std::memcmp(scratch + kSmallInput, data.data(), data.size()), 0);
  // Declined (the general path decides): above maxOutputSize, or too large for the scratch.
  EXPECT_EQ(d->decompress_small(frame.size(), 10).value(), Decompressor::kNotApplicable);
  auto big = test::compress(test::sample_data(kSmallOutput + 1));
  std::copy(big.begin(), big.end(), scratch);
  EXPECT_EQ(d->decompress_small(big.size(), 0).value(), Decompressor::kNotApplicable);
  // Corrupt blocks are errors, and the decompressor keeps working.
  std::copy(frame.begin(), frame.end(), scratch);
  for (size_t i = 20; i < 60; ++i) scratch[i] ^= 0x55;
  EXPECT_FALSE(d->decompress_small(frame.size(), 0).ok());
  std::copy(frame.begin(), frame.end(), scratch);
  EXPECT_EQ(d->decompress_small(frame.size(), 0).value(), static_cast<int64_t>(data.size()));
  EXPECT_STREQ(d->decompress_small(kSmallInput + 1, 0).status().name(), "invalid_state");
}

TEST(Decompressor, StartFinishDecodesLargeFramesInTheBackground) {
  set_max_threads(2);
  auto d = make();
  auto data = test::sample_data(3 << 20, 8);
  auto frame = test::compress(data);
  for (bool background : {false, true}) {
    auto expected = d->start(frame.data(), frame.size(), {}, background);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(expected.value(), data.size());
    auto size = d->finish();
    ASSERT_TRUE(size.ok());
    ASSERT_EQ(size.value(), data.size());
    EXPECT_EQ(std::memcmp(d->result_data(), data.data(), data.size()), 0);
    Buffer taken = d->take_result();
    EXPECT_EQ(taken.size(), data.size());
  }
  // A failure shows at finish() when the frame decodes in the background, at start() otherwise.
  auto bad = frame;
  for (size_t i = bad.size() / 2; i < bad.size() / 2 + 100; ++i) bad[i] ^= 0x5a;
  const size_t base = total_allocated_bytes();
  auto started = d->start(bad.data(), bad.size(), {}, true);
  if (started.ok()) {
    EXPECT_FALSE(d->finish().ok());
  }
  EXPECT_FALSE(d->start(bad.data(), bad.size(), {}, false).ok());
  d->drop_result();
  EXPECT_EQ(total_allocated_bytes(), base);
  // Small frames never leave the calling thread: start() returns the result's size.
  auto small = test::compress(test::sample_data(1000));
  EXPECT_EQ(d->start(small.data(), small.size(), {}, true).value(), 1000u);
  EXPECT_EQ(d->finish().value(), 1000u);
}

}  // namespace zk

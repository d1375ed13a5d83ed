#include "core/stream.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "core/decompressor.h"
#include "core/memory.h"
#include "core/thread_pool.h"
#include "test_util.h"

namespace zk {
namespace {

using Bytes = std::vector<uint8_t>;

// Feeds data through the session in pieces of `piece` bytes (through the staging buffer).
Bytes compress_stream(CompressSession& s, const Bytes& data, size_t piece, ZSTD_EndDirective last = ZSTD_e_end) {
  Bytes out;
  auto drain = [&] {
    out.insert(out.end(), s.output(), s.output() + s.output_size());
    s.clear();
  };
  for (size_t pos = 0; pos < data.size(); pos += piece) {
    const size_t n = std::min(piece, data.size() - pos);
    for (size_t done = 0; done < n;) {
      const size_t k = std::min(n - done, s.input_capacity());
      std::memcpy(s.input(), data.data() + pos + done, k);
      s.load(k);
      EXPECT_TRUE(s.run(ZSTD_e_continue).ok());
      drain();
      done += k;
    }
  }
  s.load(0);
  EXPECT_TRUE(s.run(last).ok());
  drain();
  return out;
}

// Feeds input in random splits; returns the output or the first error.
Result<Bytes> decompress_stream(DecompressSession& s, const Bytes& input, bool across, unsigned seed,
                                size_t max_output = 0) {
  std::mt19937 rng(seed);
  Bytes out;
  size_t pos = 0;
  while (pos < input.size()) {
    const size_t n = std::min<size_t>(1 + rng() % 70000, input.size() - pos);
    s.load_external(input.data() + pos, n);
    do {
      Status st = s.run(across, max_output);
      if (!st.ok()) return st;
      if (max_output != 0) {
        EXPECT_LE(s.output_size(), max_output + ZSTD_DStreamOutSize());
      }
      out.insert(out.end(), s.output(), s.output() + s.output_size());
      s.clear();
    } while (!s.done());
    pos += n - s.input_left();
    if (s.frame_ended() && !across) break;
  }
  Status end = s.check_end();
  if (!end.ok()) return end;
  return out;
}

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

TEST(CompressSession, ChunkedOutputDecodesAndReusesItsMemory) {
  auto data = test::sample_data(3 << 20);
  auto s = CompressSession::create({}, -1).value();
  auto frame = compress_stream(*s, data, 65536);
  auto d = Decompressor::create({}).value();
  auto back = d->decompress(frame.data(), frame.size(), {data.size(), false});
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(Bytes(back.value().data(), back.value().data() + back.value().size()), data);
  // A second frame in the same session allocates nothing new.
  const size_t before = total_allocated_bytes();
  auto again = compress_stream(*s, data, 65536);
  EXPECT_EQ(again, frame);
  EXPECT_LE(total_allocated_bytes(), before);
}

TEST(CompressSession, FlushBlockMakesEverythingSoFarDecodable) {
  auto data = test::sample_data(200000);
  auto s = CompressSession::create({}, -1).value();
  auto partial = compress_stream(*s, data, 50000, ZSTD_e_flush);
  auto d = DecompressSession::create({}).value();
  auto out = decompress_stream(*d, partial, true, 1);
  ASSERT_FALSE(out.ok());  // the frame is not finished...
  auto d2 = DecompressSession::create({}).value();
  d2->load_external(partial.data(), partial.size());
  ASSERT_TRUE(d2->run(true).ok());
  EXPECT_EQ(Bytes(d2->output(), d2->output() + d2->output_size()), data);  // ...but all data is there
  EXPECT_TRUE(d2->in_frame());
}

TEST(CompressSession, PledgedSizeIsWrittenAndChecked) {
  auto data = test::sample_data(100000);
  auto s = CompressSession::create({}, static_cast<int64_t>(data.size())).value();
  auto frame = compress_stream(*s, data, 30000);
  EXPECT_EQ(ZSTD_getFrameContentSize(frame.data(), frame.size()), data.size());
  auto wrong = CompressSession::create({}, static_cast<int64_t>(data.size() + 1)).value();
  std::memcpy(wrong->input(), data.data(), 1000);
  wrong->load(1000);
  EXPECT_TRUE(wrong->run(ZSTD_e_continue).ok());
  wrong->load(0);
  EXPECT_STREQ(wrong->run(ZSTD_e_end).name(), "src_size_wrong");
}

// A session dropped mid-frame (a cancelled upload) while zstd's workers still run its jobs:
// libzstd 1.5.4 freed a context sharing the thread pool without waiting for them (patched in
// cmake/zstd.cmake). ASan / TSan see the workers touch freed memory if it does not wait.
TEST(CompressSession, FreedMidFrameWithWorkersRunningLeavesNothingBehind) {
  set_max_threads(2);
  if (!threads_supported()) GTEST_SKIP() << "single-threaded build";
  auto data = test::sample_data(6 << 20, 7);
  const CompressorOptions o = test::jobs_in_flight_options();
  const size_t baseline = total_allocated_bytes();
  for (int round = 0; round < 8; ++round) {
    auto s = CompressSession::create(o, -1).value();
    for (size_t pos = 0; pos < data.size(); pos += s->input_capacity()) {
      const size_t n = std::min(s->input_capacity(), data.size() - pos);
      std::memcpy(s->input(), data.data() + pos, n);
      s->load(n);
      ASSERT_TRUE(s->run(ZSTD_e_continue).ok());
      s->clear();
    }
    EXPECT_GT(s->progression().nbActiveWorkers, 0u) << "round " << round << ": no job in flight to test";
  }  // freed here, jobs still queued or running
  EXPECT_EQ(total_allocated_bytes(), baseline);
}

TEST(DecompressSession, RandomSplitsEqualOneShotAcrossFramesAndSkippableFrames) {
  auto a = test::sample_data(500000, 1);
  auto b = test::sample_data(70000, 2);
  CompressorOptions no_size;
  no_size.write_content_size = false;
  const Bytes skippable = {0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'x', 'y', 'z'};
  auto input = concat(concat(test::compress(a), skippable), test::compress(b, no_size));
  for (unsigned seed = 0; seed < 20; ++seed) {
    auto s = DecompressSession::create({}).value();
    auto out = decompress_stream(*s, input, true, seed);
    ASSERT_TRUE(out.ok()) << out.status().message();
    ASSERT_EQ(out.value(), concat(a, b)) << seed;
  }
}

TEST(DecompressSession, FirstFrameOnlyLeavesTheRestUnconsumed) {
  auto a = test::sample_data(300000, 1);
  auto frame = test::compress(a);
  auto input = concat(frame, Bytes{1, 2, 3, 4, 5});
  auto s = DecompressSession::create({}).value();
  s->load_external(input.data(), input.size());
  ASSERT_TRUE(s->run(false).ok());
  EXPECT_TRUE(s->frame_ended());
  EXPECT_EQ(s->input_left(), 5u);
  EXPECT_EQ(s->output_size(), a.size());
  EXPECT_TRUE(s->check_end().ok());
}

TEST(DecompressSession, BoundedOutputSteps) {
  auto data = Bytes(20 << 20, 'a');  // ~1000x: a small input, a large output
  auto frame = test::compress(data);
  auto s = DecompressSession::create({}).value();
  auto out = decompress_stream(*s, frame, true, 3, 1 << 20);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.value().size(), data.size());
}

TEST(DecompressSession, TruncatedCorruptAndWindowTooLarge) {
  auto data = test::sample_data(400000);
  auto frame = test::compress(data);
  auto truncated = Bytes(frame.begin(), frame.end() - 10);
  auto s = DecompressSession::create({}).value();
  EXPECT_STREQ(decompress_stream(*s, truncated, true, 1).status().name(), "src_size_wrong");
  auto corrupt = frame;
  for (size_t i = 100; i < 200; ++i) corrupt[i] ^= 0x5a;
  auto s2 = DecompressSession::create({}).value();
  EXPECT_FALSE(decompress_stream(*s2, corrupt, true, 1).ok());
  DecompressorOptions small_window;
  small_window.max_window_size = 1 << 10;
  auto s3 = DecompressSession::create(small_window).value();
  EXPECT_STREQ(decompress_stream(*s3, frame, true, 1).status().name(), "frame_parameter_window_too_large");
}

TEST(DecompressSession, MagiclessFramesStreamInAnySplitAsTheyDecodeOneShot) {
  // Several magicless frames (sizes known and unknown, with and without checksums), then the
  // same decoded in every split: libzstd's own magicless streaming misreads frames it could
  // decode in one pass, so the session feeds them to a zstd1 context with the magic put back.
  CompressorOptions o;
  o.params = {{ZSTD_c_format, ZSTD_f_zstd1_magicless}};
  Bytes input;
  Bytes expected;
  for (int i = 0; i < 4; ++i) {
    CompressorOptions oi = o;
    oi.write_content_size = i % 2 == 0;
    oi.write_checksum = i >= 2;
    const Bytes data = test::sample_data(i == 0 ? 0 : 5000 * i, 40 + i);
    const Bytes frame = test::compress(data, oi);
    input.insert(input.end(), frame.begin(), frame.end());
    expected.insert(expected.end(), data.begin(), data.end());
  }
  DecompressorOptions magicless;
  magicless.format = ZSTD_f_zstd1_magicless;
  for (unsigned seed = 0; seed < 20; ++seed) {
    auto s = DecompressSession::create(magicless).value();
    auto out = decompress_stream(*s, input, true, seed);
    ASSERT_TRUE(out.ok()) << seed << ": " << out.status().message();
    EXPECT_EQ(out.value(), expected) << seed;
  }
  auto d = Decompressor::create(magicless).value();
  auto one = d->decompress(input.data(), input.size(), {expected.size(), true});
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(Bytes(one.value().data(), one.value().data() + one.value().size()), expected);
  // Cut short: an error at the end, never a crash or a read past the input.
  for (size_t cut : {size_t{1}, size_t{2}, size_t{7}, input.size() - 1}) {
    auto s = DecompressSession::create(magicless).value();
    Bytes head(input.begin(), input.begin() + static_cast<long>(cut));
    auto out = decompress_stream(*s, head, true, 3);
    EXPECT_FALSE(out.ok()) << cut;
    EXPECT_FALSE(d->decompress(head.data(), head.size(), {expected.size(), true}).ok()) << cut;
  }
}

}  // namespace zk

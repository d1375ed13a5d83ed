#include "core/seekable.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include <zstd_errors.h>

#include "core/memory.h"
#include "test_util.h"
#include "zstd_seekable.h"  // zstd's own reader and writer (contrib/seekable_format): the oracle

namespace zk {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes seekable(const Bytes& data, size_t frame_size, bool checksum, CompressorOptions c = {}) {
  SeekableOptions o;
  o.frame_size = frame_size;
  o.checksum = checksum;
  auto out = compress_seekable(c, o, data.data(), data.size());
  EXPECT_TRUE(out.ok()) << out.status().message();
  return Bytes(out.value().data(), out.value().data() + out.value().size());
}

Result<SeekTable> table_of(const Bytes& file) {
  if (file.size() < kSeekTableFooterSize) return seek_table_invalid("short");
  auto footer =
      parse_seek_table_footer(file.data() + file.size() - kSeekTableFooterSize, kSeekTableFooterSize, file.size());
  if (!footer.ok()) return footer.status();
  const size_t n = footer.value().table_size;
  return SeekTable::parse(file.data() + file.size() - n, n, file.size());
}

// Every frame of the file decoded through the table, back to back.
Bytes decode_all(const Bytes& file, const SeekTable& t) {
  auto d = SeekableDecoder::create({});
  Bytes out;
  for (size_t i = 0; i < t.frame_count(); ++i) {
    auto n = d.value()->decode(t, i, file.data() + t.compressed_offset(i), t.compressed_size(i));
    EXPECT_TRUE(n.ok()) << n.status().message();
    if (!n.ok()) return out;
    out.insert(out.end(), d.value()->output(), d.value()->output() + n.value());
  }
  return out;
}

void put32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(Seekable, OneShotFramesAndTableRoundTrip) {
  const size_t base = total_allocated_bytes();
  const Bytes data = test::sample_data(1000003, 3);
  for (bool checksum : {false, true}) {
    const Bytes file = seekable(data, 100000, checksum);
    auto t = table_of(file);
    ASSERT_TRUE(t.ok()) << t.status().message();
    EXPECT_EQ(t.value().frame_count(), 11u);
    EXPECT_EQ(t.value().has_checksums(), checksum);
    EXPECT_EQ(t.value().decompressed_size(), data.size());
    EXPECT_EQ(t.value().compressed_size() + t.value().table_size(), file.size());
    EXPECT_EQ(t.value().decompressed_size(10), 3u);
    EXPECT_EQ(t.value().max_decompressed_size(), 100000u);
    EXPECT_EQ(t.value().frame_at(0), 0u);
    EXPECT_EQ(t.value().frame_at(99999), 0u);
    EXPECT_EQ(t.value().frame_at(100000), 1u);
    EXPECT_EQ(t.value().frame_at(data.size() - 1), 10u);
    EXPECT_EQ(decode_all(file, t.value()), data);
    // Each frame states its content size (zstd -d and other readers rely on nothing else).
    EXPECT_EQ(ZSTD_getFrameContentSize(file.data(), file.size()), 100000u);
  }
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(Seekable, EmptyInputIsJustATable) {
  const Bytes file = seekable({}, 1 << 20, true);
  EXPECT_EQ(file.size(), kSkippableHeaderSize + kSeekTableFooterSize);
  auto t = table_of(file);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().frame_count(), 0u);
  EXPECT_EQ(t.value().decompressed_size(), 0u);
}

TEST(Seekable, FrameSizeBounds) {
  SeekableOptions o;
  o.frame_size = 0;
  const Bytes data(10, 1);
  EXPECT_EQ(compress_seekable({}, o, data.data(), data.size()).status().code(),
            static_cast<int>(LibError::out_of_range));
  o.frame_size = kSeekableMaxFrameSize + 1;
  EXPECT_EQ(SeekableCompressSession::create({}, o).status().code(), static_cast<int>(LibError::out_of_range));
}

TEST(Seekable, HostileTablesAreSeekTableInvalid) {
  const Bytes data = test::sample_data(50000, 4);
  const Bytes good = seekable(data, 10000, true);
  const size_t n = good.size();
  const size_t table = kSkippableHeaderSize + 5 * 12 + kSeekTableFooterSize;
  const size_t entries = n - table + kSkippableHeaderSize;
  auto invalid = [](const Bytes& file) {
    auto t = table_of(file);
    return !t.ok() && t.status().code() == static_cast<int>(LibError::seek_table_invalid);
  };
  ASSERT_FALSE(invalid(good));
  std::vector<std::pair<const char*, Bytes>> cases;
  auto with = [&](const char* what, auto edit) {
    Bytes b = good;
    edit(b);
    cases.emplace_back(what, b);
  };
  with("seekable magic", [&](Bytes& b) { b[n - 1] ^= 1; });
  with("reserved bit", [&](Bytes& b) { b[n - 5] |= 0x04; });
  with("count too large for the data", [&](Bytes& b) { put32(b, n - 9, 1000000); });
  with("count beyond the format", [&](Bytes& b) { put32(b, n - 9, kSeekableMaxFrames + 1); });
  with("count one more", [&](Bytes& b) { put32(b, n - 9, 6); });
  with("skippable magic", [&](Bytes& b) { put32(b, n - table, 0x184D2A50); });
  with("skippable size", [&](Bytes& b) { put32(b, n - table + 4, static_cast<uint32_t>(table - 7)); });
  with("compressed sizes do not add up", [&](Bytes& b) { b[entries] ^= 1; });
  with("a frame smaller than any frame", [&](Bytes& b) {
    // Moves bytes between two entries so that the sum still adds up.
    const uint32_t c0 = b[entries] | b[entries + 1] << 8 | b[entries + 2] << 16;
    put32(b, entries, 3);
    const uint32_t c1 = b[entries + 12] | b[entries + 13] << 8 | b[entries + 14] << 16;
    put32(b, entries + 12, c1 + c0 - 3);
  });
  with("a decompressed size the frame cannot hold", [&](Bytes& b) { put32(b, entries + 4, 0xFFFFFFF0u); });
  with("truncated", [&](Bytes& b) {
    b.erase(b.begin() + static_cast<std::ptrdiff_t>(n - table), b.begin() + static_cast<std::ptrdiff_t>(n - table + 3));
  });
  cases.emplace_back("nothing", Bytes{});
  cases.emplace_back("one frame, no table", test::compress(data));
  for (const auto& [what, file] : cases) EXPECT_TRUE(invalid(file)) << what;

  // The unused bits are ignored, as the format says.
  Bytes unused = good;
  unused[n - 5] |= 0x03;
  EXPECT_TRUE(table_of(unused).ok());
}

TEST(Seekable, AHugeClaimedCountAllocatesNothing) {
  // 17 bytes claiming the most frames the format allows: refused from the footer alone.
  Bytes file(kSkippableHeaderSize + kSeekTableFooterSize, 0);
  put32(file, 0, kSeekTableMagic);
  put32(file, 4, kSeekTableFooterSize);
  put32(file, 8, kSeekableMaxFrames);
  put32(file, 13, kSeekableMagic);
  reset_peak_allocated_bytes();
  const size_t before = peak_allocated_bytes();
  EXPECT_EQ(table_of(file).status().code(), static_cast<int>(LibError::seek_table_invalid));
  EXPECT_EQ(peak_allocated_bytes(), before);
}

TEST(Seekable, DecoderChecksFramesAgainstTheTable) {
  const Bytes data = test::sample_data(30000, 5);
  Bytes file = seekable(data, 10000, true);
  auto t = table_of(file).value();
  auto d = SeekableDecoder::create({}).value();
  // The table's checksum of frame 1 altered: checksum_wrong.
  Bytes bad_sum = file;
  bad_sum[bad_sum.size() - kSeekTableFooterSize - 12 + 8] ^= 1;  // the last entry's checksum
  auto t2 = table_of(bad_sum).value();
  EXPECT_EQ(d->decode(t2, 2, bad_sum.data() + t2.compressed_offset(2), t2.compressed_size(2)).status().code(),
            ZSTD_error_checksum_wrong);
  // A corrupt frame: an error, never a wrong result.
  Bytes corrupt = file;
  for (size_t i = 20; i < 60; ++i) corrupt[t.compressed_offset(1) + i] ^= 0x55;
  EXPECT_FALSE(d->decode(t, 1, corrupt.data() + t.compressed_offset(1), t.compressed_size(1)).ok());
  // The wrong number of compressed bytes is refused.
  EXPECT_EQ(d->decode(t, 0, file.data(), t.compressed_size(0) - 1).status().code(),
            static_cast<int>(LibError::out_of_range));
  EXPECT_EQ(d->decode(t, 3, file.data(), 10).status().code(), static_cast<int>(LibError::out_of_range));
  // The decoder still works.
  auto ok = d->decode(t, 0, file.data(), t.compressed_size(0));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(0, std::memcmp(d->output(), data.data(), ok.value()));
}

TEST(Seekable, FrameSizeMismatchesAreCorruption) {
  // A frame whose content differs from the table's decompressed size.
  const Bytes a = test::compress(test::sample_data(1000, 6));
  const Bytes b = test::compress(test::sample_data(2000, 7));
  SeekTableWriter log(false);
  ASSERT_TRUE(log.add(a.size(), 999, 0).ok());  // a holds 1000
  ASSERT_TRUE(log.add(b.size(), 2000, 0).ok());
  Bytes file = a;
  file.insert(file.end(), b.begin(), b.end());
  const size_t at = file.size();
  file.resize(at + log.table_size());
  log.write(file.data() + at);
  auto t = table_of(file);
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto d = SeekableDecoder::create({}).value();
  EXPECT_EQ(d->decode(t.value(), 0, file.data(), a.size()).status().code(), ZSTD_error_corruption_detected);
  EXPECT_TRUE(d->decode(t.value(), 1, file.data() + a.size(), b.size()).ok());
}

// The streaming session, fed in pieces of `piece` bytes, with `flush_every` flush directives.
Bytes stream_seekable(const Bytes& data, size_t frame_size, bool checksum, size_t piece, int mid_directive = -1) {
  SeekableOptions o;
  o.frame_size = frame_size;
  o.checksum = checksum;
  auto s = SeekableCompressSession::create({}, o).value();
  Bytes out;
  auto drain = [&] {
    out.insert(out.end(), s->output(), s->output() + s->output_size());
    s->clear();
  };
  for (size_t pos = 0; pos < data.size(); pos += piece) {
    const size_t n = std::min(piece, data.size() - pos);
    s->load_external(data.data() + pos, n);
    do {
      EXPECT_TRUE(s->run(ZSTD_e_continue, 4096).ok());
      drain();
    } while (!s->done());
    if (mid_directive >= 0) {
      s->load(0);
      do {
        EXPECT_TRUE(s->run(mid_directive, 4096).ok());
        drain();
      } while (!s->done());
    }
  }
  s->load(0);
  do {
    EXPECT_TRUE(s->run(SeekableCompressSession::kFinish, 1000).ok());
    drain();
  } while (!s->done());
  EXPECT_TRUE(s->finished());
  // Finished: more data is refused.
  const uint8_t more = 1;
  s->load_external(&more, 1);
  EXPECT_EQ(s->run(ZSTD_e_continue).code(), static_cast<int>(LibError::invalid_state));
  return out;
}

TEST(Seekable, StreamingMakesFramesOfFrameSize) {
  const Bytes data = test::sample_data(700001, 8);
  for (bool checksum : {false, true}) {
    const Bytes file = stream_seekable(data, 65536, checksum, 10007);
    auto t = table_of(file);
    ASSERT_TRUE(t.ok()) << t.status().message();
    EXPECT_EQ(t.value().frame_count(), (data.size() + 65535) / 65536);
    for (size_t i = 0; i + 1 < t.value().frame_count(); ++i) EXPECT_EQ(t.value().decompressed_size(i), 65536u);
    EXPECT_EQ(decode_all(file, t.value()), data);
  }
}

TEST(Seekable, StreamingFlushAndEndDirectives) {
  const Bytes data = test::sample_data(200000, 9);
  // Flush: frames stay of frameSize. End: every piece ends a frame.
  auto flushed = table_of(stream_seekable(data, 50000, true, 30000, ZSTD_e_flush)).value();
  EXPECT_EQ(flushed.frame_count(), 4u);
  auto ended_file = stream_seekable(data, 50000, true, 30000, ZSTD_e_end);
  auto ended = table_of(ended_file).value();
  EXPECT_EQ(ended.frame_count(), 7u);  // each piece of 30000 bytes (the last 20000) its own frame
  EXPECT_EQ(ended.decompressed_size(0), 30000u);
  EXPECT_EQ(ended.decompressed_size(6), 20000u);
  EXPECT_EQ(decode_all(ended_file, ended), data);
  // Nothing at all: a table of no frames.
  auto empty = table_of(stream_seekable({}, 1000, true, 1)).value();
  EXPECT_EQ(empty.frame_count(), 0u);
}

TEST(Seekable, ZstdsReaderReadsOurFiles) {
  const Bytes data = test::sample_data(1 << 20, 10);
  for (bool checksum : {false, true}) {
    for (const Bytes& file : {seekable(data, 100000, checksum), stream_seekable(data, 77777, checksum, 65536)}) {
      ZSTD_seekable* zs = ZSTD_seekable_create();
      ASSERT_FALSE(ZSTD_isError(ZSTD_seekable_initBuff(zs, file.data(), file.size())));
      auto t = table_of(file).value();
      EXPECT_EQ(ZSTD_seekable_getNumFrames(zs), t.frame_count());
      std::mt19937 rng(1);
      for (int k = 0; k < 20; ++k) {
        const size_t offset = rng() % data.size();
        const size_t length = std::min<size_t>(1 + rng() % 200000, data.size() - offset);
        Bytes got(length);
        size_t done = 0;
        while (done < length) {
          const size_t r = ZSTD_seekable_decompress(zs, got.data() + done, length - done, offset + done);
          ASSERT_FALSE(ZSTD_isError(r)) << ZSTD_getErrorName(r);
          ASSERT_GT(r, 0u);
          done += r;
        }
        EXPECT_EQ(0, std::memcmp(got.data(), data.data() + offset, length));
      }
      ZSTD_seekable_free(zs);
    }
  }
}

TEST(Seekable, WeReadZstdsFiles) {
  const Bytes data = test::sample_data(500000, 11);
  for (int checksum : {0, 1}) {
    ZSTD_seekable_CStream* cs = ZSTD_seekable_createCStream();
    ASSERT_FALSE(ZSTD_isError(ZSTD_seekable_initCStream(cs, 5, checksum, 40000)));
    Bytes file(ZSTD_compressBound(data.size()) + 4096);
    ZSTD_outBuffer out{file.data(), file.size(), 0};
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (in.pos < in.size) ASSERT_FALSE(ZSTD_isError(ZSTD_seekable_compressStream(cs, &out, &in)));
    size_t left;
    do {
      left = ZSTD_seekable_endStream(cs, &out);
      ASSERT_FALSE(ZSTD_isError(left));
    } while (left != 0);
    ZSTD_seekable_freeCStream(cs);
    file.resize(out.pos);
    auto t = table_of(file);
    ASSERT_TRUE(t.ok()) << t.status().message();
    EXPECT_EQ(t.value().frame_count(), 13u);
    EXPECT_EQ(t.value().has_checksums(), checksum == 1);
    EXPECT_EQ(decode_all(file, t.value()), data);
  }
}

TEST(Seekable, TableWriterLimits) {
  SeekTableWriter log(false);
  EXPECT_EQ(log.add(uint64_t{1} << 32, 1, 0).code(), static_cast<int>(LibError::out_of_range));
  EXPECT_EQ(log.add(9, uint64_t{1} << 32, 0).code(), static_cast<int>(LibError::out_of_range));
  EXPECT_TRUE(log.add(9, 0, 0).ok());
  EXPECT_EQ(log.table_size(), kSkippableHeaderSize + 8 + kSeekTableFooterSize);
}

}  // namespace
}  // namespace zk

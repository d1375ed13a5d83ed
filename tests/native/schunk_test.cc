#include "core/schunk.h"

#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <vector>

#include <zstd_errors.h>

#include "core/memory.h"
#include "test_util.h"
#include "zstd_seekable.h"  // zstd's own reader (contrib/seekable_format): the oracle

namespace zk {
namespace {

using Bytes = std::vector<uint8_t>;
constexpr int kOutOfRange = static_cast<int>(LibError::out_of_range);

std::unique_ptr<SChunk> make(size_t chunk_size, size_t typesize) {
  SChunkOptions o;
  o.chunk_size = chunk_size;
  o.typesize = typesize;
  auto s = SChunk::create(o);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return std::move(s.value());
}

std::vector<int32_t> arange(size_t n, int32_t from = 0) {
  std::vector<int32_t> v(n);
  std::iota(v.begin(), v.end(), from);
  return v;
}

const uint8_t* bytes(const std::vector<int32_t>& v) { return reinterpret_cast<const uint8_t*>(v.data()); }

std::vector<int32_t> slice(SChunk& s, size_t start, size_t stop) {
  std::vector<int32_t> out(stop - start);
  Status st = s.get_slice(start * 4, stop * 4, reinterpret_cast<uint8_t*>(out.data()));
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

Bytes cframe_of(const SChunk& s) {
  auto b = s.to_cframe();
  EXPECT_TRUE(b.ok()) << b.status().message();
  return Bytes(b.value().data(), b.value().data() + b.value().size());
}

std::unique_ptr<SChunk> open(const Bytes& cframe, bool whole) {
  auto footer = parse_seek_table_footer(cframe.data() + cframe.size() - 9, 9, cframe.size());
  EXPECT_TRUE(footer.ok());
  const size_t t = footer.value().table_size;
  auto head_size = cframe[4] | cframe[5] << 8;
  Buffer copy = Buffer::copy_of(cframe.data(), cframe.size()).value();
  auto s = SChunk::open({}, whole ? &copy : nullptr, cframe.data() + cframe.size() - t, t, cframe.size(), cframe.data(),
                        8 + head_size);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return std::move(s.value());
}

// python-blosc2's "Slicing, extending and serializing" tutorial, step by step.
TEST(SChunk, Blosc2Tutorial) {
  const size_t base = total_allocated_bytes();
  {
    const size_t nchunks = 10, per = 200 * 1000;
    auto data = arange(per * nchunks);
    auto s = make(per * 4, 4);
    ASSERT_TRUE(s->append(bytes(data), data.size() * 4).ok());
    EXPECT_EQ(s->nchunks(), nchunks);
    EXPECT_EQ(s->nbytes(), data.size() * 4);
    EXPECT_LT(s->cbytes(), s->nbytes());
    // decompress_chunk, chunk by chunk.
    std::vector<int32_t> out(data.size());
    for (size_t i = 0; i < nchunks; ++i) {
      auto n = s->decompress_chunk(i, reinterpret_cast<uint8_t*>(out.data() + per * i), per * 4);
      ASSERT_TRUE(n.ok());
      EXPECT_EQ(n.value(), per * 4);
    }
    EXPECT_EQ(out, data);
    EXPECT_EQ(slice(*s, 0, data.size()), data);
    // set_slice in the middle: [34, 800000) set to ones.
    const size_t start = 34, stop = 200 * 1000 * 4;
    std::vector<int32_t> ones(stop - start, 1);
    ASSERT_TRUE(s->set_slice(start * 4, bytes(ones), ones.size() * 4).ok());
    std::fill(data.begin() + start, data.begin() + stop, 1);
    EXPECT_EQ(slice(*s, 0, data.size()), data);
    // set_slice that updates and appends in one call.
    std::vector<int32_t> zeros(1000 * 200 * 2 + 53, 0);
    const size_t at = data.size() - 123;
    ASSERT_TRUE(s->set_slice(at * 4, bytes(zeros), zeros.size() * 4).ok());
    data.resize(at + zeros.size());
    std::fill(data.begin() + at, data.end(), 0);
    EXPECT_EQ(s->nbytes(), data.size() * 4);
    EXPECT_EQ(s->nchunks(), 12u);  // 2,399,930 items of 200,000 per chunk
    EXPECT_EQ(slice(*s, 0, data.size()), data);
    EXPECT_EQ(slice(*s, 1999990, 2000010), std::vector<int32_t>(data.begin() + 1999990, data.begin() + 2000010));
    // cframe and back, copied or not.
    const Bytes cframe = cframe_of(*s);
    for (bool whole : {true, false}) {
      auto t = open(cframe, whole);
      EXPECT_EQ(t->typesize(), 4u);
      EXPECT_EQ(t->chunk_size(), per * 4);
      EXPECT_EQ(t->nchunks(), s->nchunks());
      EXPECT_EQ(t->nbytes(), s->nbytes());
      if (!whole) {
        // External chunks must be attached first.
        std::vector<int32_t> x(10);
        EXPECT_EQ(t->get_slice(0, 40, reinterpret_cast<uint8_t*>(x.data())).code(),
                  static_cast<int>(LibError::invalid_state));
        for (size_t i = 0; i < t->nchunks(); ++i) {
          ASSERT_TRUE(t->attach(i, cframe.data() + t->source_offset(i), t->frame_size(i)).ok());
        }
      }
      EXPECT_EQ(slice(*t, 0, data.size()), data);
    }
  }
  EXPECT_EQ(total_allocated_bytes(), base);
}

TEST(SChunk, AppendFillsTheLastChunk) {
  auto s = make(1000, 2);
  const Bytes a = test::sample_data(700, 1), b = test::sample_data(2500, 2);
  ASSERT_TRUE(s->append(a.data(), a.size()).ok());
  ASSERT_TRUE(s->append(b.data(), b.size()).ok());
  EXPECT_EQ(s->nchunks(), 4u);
  EXPECT_EQ(s->chunk_bytes(0), 1000u);
  EXPECT_EQ(s->chunk_bytes(3), 200u);
  Bytes all = a;
  all.insert(all.end(), b.begin(), b.end());
  Bytes out(all.size());
  ASSERT_TRUE(s->get_slice(0, all.size(), out.data()).ok());
  EXPECT_EQ(out, all);
  EXPECT_EQ(s->append(a.data(), 3).code(), kOutOfRange);  // not whole items
}

TEST(SChunk, InsertDeleteAndTouched) {
  auto s = make(100, 1);
  const Bytes data = test::sample_data(350, 3);
  ASSERT_TRUE(s->append(data.data(), data.size()).ok());
  EXPECT_EQ(s->touched(0, 1), std::make_pair(size_t{0}, size_t{1}));
  EXPECT_EQ(s->touched(99, 201), std::make_pair(size_t{0}, size_t{3}));
  EXPECT_EQ(s->touched(300, 300), std::make_pair(size_t{4}, size_t{4}));
  const Bytes extra = test::sample_data(40, 4);
  ASSERT_TRUE(s->insert_chunk(1, extra.data(), extra.size()).ok());
  EXPECT_EQ(s->nchunks(), 5u);
  EXPECT_EQ(s->nbytes(), 390u);
  Bytes out(390);
  ASSERT_TRUE(s->get_slice(0, 390, out.data()).ok());
  Bytes expected(data.begin(), data.begin() + 100);
  expected.insert(expected.end(), extra.begin(), extra.end());
  expected.insert(expected.end(), data.begin() + 100, data.end());
  EXPECT_EQ(out, expected);
  ASSERT_TRUE(s->delete_chunk(0).ok());
  Bytes chunk(100);
  auto n = s->decompress_chunk(0, chunk.data(), chunk.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(Bytes(chunk.begin(), chunk.begin() + n.value()), extra);
  EXPECT_EQ(s->insert_chunk(9, extra.data(), extra.size()).code(), kOutOfRange);
  EXPECT_EQ(s->insert_chunk(0, data.data(), 101).code(), kOutOfRange);
  EXPECT_EQ(s->insert_chunk(0, data.data(), 0).code(), kOutOfRange);
  EXPECT_EQ(s->delete_chunk(4).code(), kOutOfRange);
  EXPECT_EQ(s->decompress_chunk(4, chunk.data(), chunk.size()).status().code(), kOutOfRange);
  EXPECT_EQ(s->get_slice(0, 1000, out.data()).code(), kOutOfRange);
  EXPECT_EQ(s->set_slice(1000, data.data(), 1).code(), kOutOfRange);
}

TEST(SChunk, OptionsAreChecked) {
  SChunkOptions o;
  o.typesize = 4;
  o.chunk_size = 10;  // not whole items
  EXPECT_EQ(SChunk::create(o).status().code(), kOutOfRange);
  o.chunk_size = 0;
  EXPECT_EQ(SChunk::create(o).status().code(), kOutOfRange);
  o.typesize = 0;
  o.chunk_size = 8;
  EXPECT_EQ(SChunk::create(o).status().code(), kOutOfRange);
}

TEST(SChunk, CframeIsASeekableFileZstdReads) {
  auto s = make(64 * 1024, 8);
  const Bytes data = test::sample_data(64 * 1024 * 5 + 800, 5);
  ASSERT_TRUE(s->append(data.data(), data.size()).ok());
  const Bytes cframe = cframe_of(*s);
  // zstd's seekable reader: the header frame, then one frame per chunk.
  ZSTD_seekable* zs = ZSTD_seekable_create();
  ASSERT_FALSE(ZSTD_isError(ZSTD_seekable_initBuff(zs, cframe.data(), cframe.size())));
  EXPECT_EQ(ZSTD_seekable_getNumFrames(zs), 7u);
  Bytes got(3000);
  ASSERT_EQ(ZSTD_seekable_decompress(zs, got.data(), got.size(), 64 * 1024 * 2 - 100), got.size());
  EXPECT_EQ(0, std::memcmp(got.data(), data.data() + 64 * 1024 * 2 - 100, got.size()));
  ZSTD_seekable_free(zs);
  // Plain zstd decoding: the frames in order, the skippable ones skipped.
  Bytes all(data.size());
  EXPECT_EQ(ZSTD_decompress(all.data(), all.size(), cframe.data(), cframe.size()), data.size());
  EXPECT_EQ(all, data);
}

TEST(SChunk, AnySeekableFileOpens) {
  SeekableOptions so;
  so.frame_size = 4000;
  const Bytes data = test::sample_data(10000, 6);
  auto file = compress_seekable({}, so, data.data(), data.size()).value();
  Bytes f(file.data(), file.data() + file.size());
  const size_t t = f.size() >= 9 ? parse_seek_table_footer(f.data() + f.size() - 9, 9, f.size()).value().table_size : 0;
  SChunkOptions o;
  o.typesize = 2;
  auto s = SChunk::open(o, &file, f.data() + f.size() - t, t, f.size(), f.data(), 4000);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s.value()->chunk_size(), 4000u);  // the largest frame
  EXPECT_EQ(s.value()->typesize(), 2u);
  Bytes out(data.size());
  ASSERT_TRUE(s.value()->get_slice(0, data.size(), out.data()).ok());
  EXPECT_EQ(out, data);
  o.typesize = 3;  // 4000 bytes are not whole items of 3
  EXPECT_EQ(SChunk::open(o, &file, f.data() + f.size() - t, t, f.size(), f.data(), 4000).status().code(),
            static_cast<int>(LibError::seek_table_invalid));
}

TEST(SChunk, CorruptChunksFailOnlyWhenTouched) {
  auto s = make(1000, 1);
  const Bytes data = test::sample_data(5000, 7);
  ASSERT_TRUE(s->append(data.data(), data.size()).ok());
  Bytes cframe = cframe_of(*s);
  auto t = open(cframe, false);
  // Chunk 3's frame, garbled, attached: chunks 0-2 still read, chunk 3 fails.
  Bytes bad(cframe.begin() + static_cast<std::ptrdiff_t>(t->source_offset(3)),
            cframe.begin() + static_cast<std::ptrdiff_t>(t->source_offset(3) + t->frame_size(3)));
  for (size_t i = 10; i < bad.size() - 4; ++i) bad[i] ^= 0x33;
  for (size_t i = 0; i < 5; ++i) {
    const uint8_t* src = i == 3 ? bad.data() : cframe.data() + t->source_offset(i);
    ASSERT_TRUE(t->attach(i, src, t->frame_size(i)).ok());
  }
  Bytes out(5000);
  EXPECT_TRUE(t->get_slice(0, 3000, out.data()).ok());
  EXPECT_FALSE(t->get_slice(2500, 3500, out.data()).ok());
  EXPECT_TRUE(t->get_slice(4000, 5000, out.data()).ok());
  t->detach(3);
  EXPECT_EQ(t->get_slice(3000, 3001, out.data()).code(), static_cast<int>(LibError::invalid_state));
}

TEST(SChunk, HeaderIsChecked) {
  auto s = make(1000, 4);
  s->set_meta(Buffer::copy_of(reinterpret_cast<const uint8_t*>("meta"), 4).value());
  auto header = s->header_frame().value();
  SChunkHeader h;
  auto found = parse_schunk_header(header.data(), header.size(), h);
  ASSERT_TRUE(found.ok() && found.value());
  EXPECT_EQ(h.typesize, 4u);
  EXPECT_EQ(h.chunk_size, 1000u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h.meta.data()), h.meta.size()), "meta");
  Bytes bad(header.data(), header.data() + header.size());
  bad[12] = 2;  // version
  EXPECT_EQ(parse_schunk_header(bad.data(), bad.size(), h).status().code(), ZSTD_error_corruption_detected);
  const Bytes frame = test::compress(test::sample_data(100, 1));
  auto other = parse_schunk_header(frame.data(), frame.size(), h);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other.value());
}

}  // namespace
}  // namespace zk

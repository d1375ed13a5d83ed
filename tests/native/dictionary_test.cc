#include "core/dictionary.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/frame.h"
#include "core/memory.h"
#include "core/stream.h"
#include "test_util.h"

namespace zk {
namespace {

using Bytes = std::vector<uint8_t>;

// JSON-like records sharing most of their structure: what dictionaries are for.
Bytes record(unsigned i) {
  std::string s = "{\"id\":" + std::to_string(i) + ",\"user\":\"user" + std::to_string(i % 97) + "\",\"status\":\"" +
                  (i % 3 ? "active" : "suspended") + "\",\"score\":" + std::to_string(i * 37 % 1000) +
                  ",\"tags\":[\"alpha\",\"beta\",\"gamma\"],\"note\":\"lorem ipsum dolor sit amet " +
                  std::to_string(i % 11) + "\"}";
  return Bytes(s.begin(), s.end());
}

BufferWithSegmentsCollection records(unsigned from, unsigned count) {
  std::vector<Segment> segments;
  Bytes all;
  for (unsigned i = from; i < from + count; ++i) {
    auto r = record(i);
    segments.push_back({all.size(), r.size()});
    all.insert(all.end(), r.begin(), r.end());
  }
  return BufferWithSegmentsCollection(
      {BufferWithSegments::owning(Buffer::copy_of(all.data(), all.size()).value(), segments).value()});
}

DictionaryPtr trained(uint32_t dict_id = 0) {
  TrainOptions o;
  o.dict_id = dict_id;
  auto d = train_dictionary(4096, records(0, 2000), o);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.value();
}

Bytes compress_with(const Bytes& data, DictionaryPtr dict, CompressorOptions o = {}) {
  o.dict = std::move(dict);
  auto c = Compressor::create(o).value();
  auto frame = c->compress_to_buffer(data.data(), data.size());
  EXPECT_TRUE(frame.ok()) << frame.status().message();
  return Bytes(frame.value().data(), frame.value().data() + frame.value().size());
}

Result<Bytes> decompress_with(const Bytes& frame, DictionaryPtr dict) {
  DecompressorOptions o;
  o.dict = std::move(dict);
  auto d = Decompressor::create(o).value();
  auto out = d->decompress(frame.data(), frame.size(), {});
  if (!out.ok()) return out.status();
  return Bytes(out.value().data(), out.value().data() + out.value().size());
}

}  // namespace

TEST(Dictionary, TrainedDictionaryCompressesBetterAndRoundTrips) {
  auto dict = trained(40000);
  EXPECT_EQ(dict->id(), 40000u);
  EXPECT_LE(dict->size(), 4096u);
  size_t plain = 0, with_dict = 0;
  for (unsigned i = 5000; i < 5100; ++i) {
    auto r = record(i);
    plain += test::compress(r).size();
    auto frame = compress_with(r, dict);
    with_dict += frame.size();
    auto params = get_frame_parameters(frame.data(), frame.size());
    EXPECT_EQ(params.value().dict_id, 40000u);
    auto back = decompress_with(frame, dict);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back.value(), r);
  }
  EXPECT_LT(with_dict * 2, plain);
}

TEST(Dictionary, WrongOrMissingDictionaryIsDictionaryWrong) {
  auto dict = trained(50001);
  auto other = trained(50002);
  auto frame = compress_with(record(7000), dict);
  EXPECT_STREQ(decompress_with(frame, other).status().name(), "dictionary_wrong");
  EXPECT_STREQ(decompress_with(frame, nullptr).status().name(), "dictionary_wrong");
}

TEST(Dictionary, DigestsAreMadeOncePerLevelAndShared) {
  auto dict = trained();
  auto a = dict->cdict(3).value();
  auto b = dict->cdict(3).value();
  auto c = dict->cdict(9).value();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(dict->ddict().value(), dict->ddict().value());
  EXPECT_GT(dict->memory_size(), dict->size());
}

TEST(Dictionary, RawContentAndAuto) {
  std::string text = "the quick brown fox jumps over the lazy dog; the quick brown fox";
  auto raw =
      Dictionary::create(reinterpret_cast<const uint8_t*>(text.data()), text.size(), ZSTD_dct_rawContent).value();
  EXPECT_EQ(raw->id(), 0u);
  auto data = Bytes(text.begin(), text.end());
  auto frame = compress_with(data, raw);
  EXPECT_LT(frame.size(), 30u);
  EXPECT_EQ(decompress_with(frame, raw).value(), data);
  auto autodetect = Dictionary::create(raw->data(), raw->size(), ZSTD_dct_auto).value();
  EXPECT_EQ(decompress_with(frame, autodetect).value(), data);
  EXPECT_STREQ(Dictionary::create(raw->data(), raw->size(), ZSTD_dct_fullDict).status().name(), "dictionary_corrupted");
}

TEST(Dictionary, EveryPathUsesIt) {
  auto dict = trained(60000);
  CompressorOptions o;
  o.dict = dict;
  DecompressorOptions d;
  d.dict = dict;
  // Batch, both ways.
  auto input = records(9000, 300);
  auto job = make_compress_job(o, input, 2).value();
  job->run();
  auto frames = job->take_result().value();
  auto djob = make_decompress_job(d, frames, nullptr, 0, 2).value();
  djob->run();
  auto back = djob->take_result().value();
  for (size_t i = 0; i < input.length(); ++i) {
    ASSERT_EQ(Bytes(back.item_data(i), back.item_data(i) + back.item_size(i)),
              Bytes(input.item_data(i), input.item_data(i) + input.item_size(i)));
  }
  // Streaming, both ways.
  auto s = CompressSession::create(o, -1).value();
  auto r = record(12345);
  std::memcpy(s->input(), r.data(), r.size());
  s->load(r.size());
  ASSERT_TRUE(s->run(ZSTD_e_end).ok());
  Bytes frame(s->output(), s->output() + s->output_size());
  EXPECT_EQ(get_frame_parameters(frame.data(), frame.size()).value().dict_id, 60000u);
  auto ds = DecompressSession::create(d).value();
  ds->load_external(frame.data(), frame.size());
  ASSERT_TRUE(ds->run(true).ok());
  EXPECT_EQ(Bytes(ds->output(), ds->output() + ds->output_size()), r);
}

// A streaming session keeps its dictionary: the options and every other owner may go first
// (zstd-kit/node frees a dictionary made from a `dictionary` option as soon as its stream exists).
TEST(Dictionary, StreamingSessionsOutliveEveryOtherOwnerOfTheirDictionary) {
  std::unique_ptr<CompressSession> cs;
  std::unique_ptr<DecompressSession> ds;
  {
    auto dict = trained(60001);
    CompressorOptions o;
    o.dict = dict;
    DecompressorOptions d;
    d.dict = dict;
    cs = CompressSession::create(o, -1).value();
    ds = DecompressSession::create(d).value();
  }  // the last other reference to the dictionary goes here
  auto r = record(4242);
  std::memcpy(cs->input(), r.data(), r.size());
  cs->load(r.size());
  ASSERT_TRUE(cs->run(ZSTD_e_end).ok());
  Bytes frame(cs->output(), cs->output() + cs->output_size());
  EXPECT_EQ(get_frame_parameters(frame.data(), frame.size()).value().dict_id, 60001u);
  ds->load_external(frame.data(), frame.size());
  ASSERT_TRUE(ds->run(true).ok());
  EXPECT_EQ(Bytes(ds->output(), ds->output() + ds->output_size()), r);
}

TEST(Dictionary, ExplicitParametersWithADictionaryAndLongDistanceMatching) {
  auto dict = trained();
  CompressorOptions o;
  o.dict = dict;
  o.params = {{ZSTD_c_windowLog, 23}, {ZSTD_c_enableLongDistanceMatching, 1}, {ZSTD_c_checksumFlag, 1}};
  auto data = test::sample_data(10 << 20);  // larger than the window: the header shows it
  auto frame = compress_with(data, dict, o);
  auto p = get_frame_parameters(frame.data(), frame.size()).value();
  EXPECT_TRUE(p.has_checksum);
  EXPECT_EQ(p.window_size, 1u << 23);
  EXPECT_EQ(decompress_with(frame, dict).value(), data);
  o.params = {{ZSTD_c_windowLog, 99}};
  EXPECT_STREQ(Compressor::create(o).status().name(), "parameter_out_of_bound");
}

TEST(Dictionary, TrainingErrorsAreClear) {
  TrainOptions o;
  EXPECT_STREQ(train_dictionary(100, records(0, 100), o).status().name(), "out_of_range");
  auto none = train_dictionary(4096, BufferWithSegmentsCollection(), o);
  EXPECT_FALSE(none.ok());
  auto few = train_dictionary(65536, records(0, 5), o);
  ASSERT_FALSE(few.ok());
  EXPECT_NE(few.status().message().find("more"), std::string::npos) << few.status().message();
  o.k = 64;
  o.d = 8;
  EXPECT_TRUE(train_dictionary(4096, records(0, 2000), o).ok());
}

TEST(Dictionary, NoLeaks) {
  const size_t before = total_allocated_bytes();
  {
    auto dict = trained();
    ASSERT_TRUE(dict->cdict(3).ok());
    ASSERT_TRUE(dict->cdict(19).ok());
    ASSERT_TRUE(dict->ddict().ok());
    compress_with(record(1), dict);
  }
  EXPECT_EQ(total_allocated_bytes(), before);
}

}  // namespace zk

// Contract: any data compressed with any parameters libzstd accepts (level, flags, explicit
// parameters, one-shot, streamed with random flushes, or in a batch) decompresses to itself,
// and nothing leaks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/batch.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/stream.h"
#include "fuzz_util.h"

namespace {

zk::CompressorOptions options_from(zk::fuzz::Input& in, size_t size) {
  zk::CompressorOptions o;
  o.level = in.range(-7, size < 1024 ? 19 : 6);  // high levels only where they stay fast
  o.write_checksum = in.flag();
  o.write_content_size = in.flag();
  o.write_dict_id = in.flag();
  if (in.flag()) {
    const int count = in.range(1, 4);
    for (int i = 0; i < count; ++i) {
      switch (in.range(0, 5)) {
        case 0:
          o.params.emplace_back(ZSTD_c_windowLog, in.range(10, 23));
          break;
        case 1:
          o.params.emplace_back(ZSTD_c_strategy, in.range(1, 9));
          break;
        case 2:
          o.params.emplace_back(ZSTD_c_hashLog, in.range(6, 20));
          break;
        case 3:
          o.params.emplace_back(ZSTD_c_enableLongDistanceMatching, in.range(0, 2));
          break;
        case 4:
          o.params.emplace_back(ZSTD_c_minMatch, in.range(3, 7));
          break;
        default:
          o.params.emplace_back(ZSTD_c_targetLength, in.range(0, 999));
      }
    }
  }
  return o;
}

std::vector<uint8_t> decode(const uint8_t* frame, size_t size, size_t expected) {
  auto d = zk::Decompressor::create({});
  if (!d.ok()) abort();
  auto r = d.value()->decompress(frame, size, {expected + 1, true});
  if (!r.ok()) abort();  // our own frame must decode
  return std::vector<uint8_t>(r.value().data(), r.value().data() + r.value().size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::Input in(data, size);
  const uint8_t how = in.byte();
  const uint32_t seed = in.u32();
  zk::fuzz::LeakCheck leaks;
  const zk::CompressorOptions options = options_from(in, in.left());
  const uint8_t* src = in.rest();
  const size_t n = in.left();

  auto c = zk::Compressor::create(options);
  if (!c.ok()) return 0;  // a parameter combination libzstd refuses
  std::vector<uint8_t> frame;
  switch (how % 3) {
    case 0: {  // one-shot
      auto f = c.value()->compress_to_buffer(src, n);
      if (!f.ok()) abort();
      frame.assign(f.value().data(), f.value().data() + f.value().size());
      break;
    }
    case 1: {  // streamed, random pieces and flushes
      auto s = zk::CompressSession::create(options, (how & 8) ? static_cast<int64_t>(n) : -1);
      if (!s.ok()) abort();
      uint32_t rng = seed | 1;
      size_t pos = 0;
      do {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        const size_t piece = std::min<size_t>(n - pos, rng % 3000);
        s.value()->load_external(src + pos, piece);
        pos += piece;
        const ZSTD_EndDirective directive = pos == n ? ZSTD_e_end : (rng & 0x300) == 0 ? ZSTD_e_flush : ZSTD_e_continue;
        do {
          if (!s.value()->run(directive, rng % 2 ? 0 : 1 + rng % 5000).ok()) abort();
          frame.insert(frame.end(), s.value()->output(), s.value()->output() + s.value()->output_size());
          s.value()->clear();
        } while (!s.value()->done());
      } while (pos < n);
      break;
    }
    default: {  // a batch of one item per 1000 bytes
      std::vector<zk::Segment> segments;
      for (size_t at = 0; at < n || segments.empty(); at += 1000)
        segments.push_back({at, std::min<size_t>(1000, n - at)});
      auto items = zk::BufferWithSegments::borrowing(src, n, segments);
      if (!items.ok()) abort();
      auto job = zk::make_compress_job(options, zk::BufferWithSegmentsCollection({items.value()}), 1 + how % 2);
      if (!job.ok()) abort();
      job.value()->run();
      auto out = job.value()->take_result();
      if (!out.ok()) abort();
      for (size_t i = 0; i < out.value().length(); ++i) {
        auto back = decode(out.value().item_data(i), out.value().item_size(i), segments[i].length);
        zk::fuzz::expect_same(back.data(), back.size(), src + segments[i].offset, segments[i].length);
      }
      return 0;
    }
  }
  auto back = decode(frame.data(), frame.size(), n);
  zk::fuzz::expect_same(back.data(), back.size(), src, n);
  return 0;
}

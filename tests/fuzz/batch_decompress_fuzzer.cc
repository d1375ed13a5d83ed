// Contract: batch decompression of any items (sizes from their headers or given, lying or not;
// one thread or several; run at once or in slices) and content-dictionary chains never crash,
// hang or leak; every item that a batch decodes is what one-shot decompression (reading across
// frames) gives for it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/batch.h"
#include "core/decompressor.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::Input in(data, size);
  const uint8_t selector = in.byte();
  const int count = in.range(1, 8);
  std::vector<zk::Segment> segments;
  std::vector<uint64_t> sizes;
  // Item lengths and claimed sizes first, then the items' bytes back to back.
  std::vector<size_t> lengths;
  for (int i = 0; i < count; ++i) {
    lengths.push_back(in.u16() % 2048);
    sizes.push_back(in.u16() % 65536);
  }
  const uint8_t* payload = in.rest();
  const size_t total = in.left();
  size_t at = 0;
  for (size_t len : lengths) {
    const size_t take = std::min(len, total - at);
    segments.push_back({at, take});
    at += take;
  }
  zk::fuzz::LeakCheck leaks;
  auto items = zk::BufferWithSegments::borrowing(payload, total, segments);
  if (!items.ok()) abort();
  const zk::BufferWithSegmentsCollection frames({items.value()});
  zk::DecompressorOptions options;
  options.max_window_size = (selector & 1) ? (1u << 20) : 0;
  options.format = (selector & 2) ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1;
  const bool given_sizes = (selector & 4) != 0;
  auto job = zk::make_decompress_job(options, frames, given_sizes ? sizes.data() : nullptr,
                                     given_sizes ? sizes.size() : 0, 1 + (selector >> 3) % 3);
  if (!job.ok()) abort();
  if (selector & 0x20) {
    while (!job.value()->step(1 + selector * 64)) {
    }
  } else {
    job.value()->run();
  }
  auto out = job.value()->take_result();
  if (out.ok()) {
    if (out.value().length() != frames.length()) abort();
    auto d = zk::Decompressor::create(options);
    if (!d.ok()) abort();
    for (size_t i = 0; i < frames.length(); ++i) {
      // Across frames: a batch item is decoded whole (ZSTD_decompressDCtx reads every frame in it).
      auto one = d.value()->decompress(frames.item_data(i), frames.item_size(i), {out.value().item_size(i) + 1, true});
      if (one.ok() && frames.item_size(i) > 0) {
        zk::fuzz::expect_same(one.value().data(), one.value().size(), out.value().item_data(i),
                              out.value().item_size(i));
      }
    }
  }
  (void)zk::decompress_content_dict_chain(options, frames).ok();
  return 0;
}

// Contract: any bytes load as a dictionary (auto, raw content or full) or fail cleanly; a
// dictionary that loads compresses and decompresses data to itself, one-shot and in batches;
// hostile frames decoded with it never crash; nothing leaks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/batch.h"
#include "core/compressor.h"
#include "core/decompressor.h"
#include "core/dictionary.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::Input in(data, size);
  const uint8_t selector = in.byte();
  size_t dict_size = in.u16();
  zk::fuzz::LeakCheck leaks;
  const uint8_t* dict_bytes = in.take(dict_size);
  const uint8_t* payload = in.rest();
  const size_t n = in.left();
  const auto type = static_cast<ZSTD_dictContentType_e>(selector % 3);  // auto, raw content, full
  auto dict = zk::Dictionary::create(dict_bytes, dict_size, type);
  if (!dict.ok()) return 0;
  if (dict.value()->size() != dict_size) abort();

  // Hostile frames with this dictionary: errors, never crashes.
  zk::DecompressorOptions dopts;
  dopts.dict = dict.value();
  auto d = zk::Decompressor::create(dopts);
  if (!d.ok()) return 0;  // a full dictionary whose tables do not digest
  (void)d.value()->decompress(payload, n, {1 << 20, true}).ok();

  // The payload as data: round trip with the dictionary, at a level or with explicit parameters.
  zk::CompressorOptions copts;
  copts.dict = dict.value();
  copts.level = 1 + selector % 9;
  if (selector & 0x40) copts.params = {{ZSTD_c_windowLog, 17}, {ZSTD_c_checksumFlag, 1}};
  auto c = zk::Compressor::create(copts);
  if (!c.ok()) return 0;  // e.g. an id wasm32 cannot compress with
  auto frame = c.value()->compress_to_buffer(payload, n);
  if (!frame.ok()) abort();
  auto back = d.value()->decompress(frame.value().data(), frame.value().size(), {});
  if (!back.ok()) abort();
  zk::fuzz::expect_same(back.value().data(), back.value().size(), payload, n);

  if (selector & 0x80) {  // the same through batch jobs, which share the dictionary's digests
    auto items = zk::BufferWithSegments::borrowing(payload, n, {{0, n / 2}, {n / 2, n - n / 2}});
    if (!items.ok()) abort();
    auto job = zk::make_compress_job(copts, zk::BufferWithSegmentsCollection({items.value()}), 2);
    if (!job.ok()) abort();
    job.value()->run();
    auto frames = job.value()->take_result();
    if (!frames.ok()) abort();
    auto djob = zk::make_decompress_job(dopts, frames.value(), nullptr, 0, 2);
    if (!djob.ok()) abort();
    djob.value()->run();
    auto out = djob.value()->take_result();
    if (!out.ok()) abort();
    zk::fuzz::expect_same(out.value().item_data(0), out.value().item_size(0), payload, n / 2);
    zk::fuzz::expect_same(out.value().item_data(1), out.value().item_size(1), payload + n / 2, n - n / 2);
  }
  return 0;
}

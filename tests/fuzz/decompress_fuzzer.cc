// Contract: one-shot decompression of any bytes, with every option combination the first byte
// selects, never crashes, leaks or reads out of bounds; a frame that decodes re-decodes the same,
// and planned_size() promises only what decompress() then produces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/decompressor.h"
#include "core/frame.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::Input in(data, size);
  const uint8_t selector = in.byte();
  zk::fuzz::LeakCheck leaks;
  zk::DecompressorOptions options;
  options.max_window_size = (selector & 1) ? (1u << 20) : 0;
  options.format = (selector & 2) ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1;
  auto d = zk::Decompressor::create(options);
  if (!d.ok()) abort();
  const zk::DecompressOptions decode{(selector & 4) ? size_t{1} << 20 : 0, (selector & 8) != 0};
  auto first = d.value()->decompress(in.rest(), in.left(), decode);
  if (first.ok()) {
    auto again = d.value()->decompress(in.rest(), in.left(), decode);
    if (!again.ok()) abort();
    zk::fuzz::expect_same(again.value().data(), again.value().size(), first.value().data(), first.value().size());
    const int64_t planned = d.value()->planned_size(in.rest(), in.left(), decode);
    if (planned >= 0 && static_cast<size_t>(planned) != first.value().size()) abort();
  }
  // The two-step form decides the same way.
  auto started = d.value()->start(in.rest(), in.left(), decode, (selector & 16) != 0);
  auto finished = started.ok() ? d.value()->finish() : zk::Result<size_t>(started.status());
  if (finished.ok() != first.ok()) abort();
  if (finished.ok() && finished.value() != first.value().size()) abort();
  d.value()->drop_result();
  return 0;
}

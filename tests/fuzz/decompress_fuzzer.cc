// libFuzzer target: any bytes through the core's decompressor, with every option combination the
// first input byte selects. Must never crash, leak or read out of bounds; a frame that decodes
// must re-decode identically. Build: cmake -B build/fuzz -DCMAKE_CXX_COMPILER=clang++
// -DCMAKE_C_COMPILER=clang -DZSTDKIT_FUZZ=ON && cmake --build build/fuzz --target decompress_fuzzer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/decompressor.h"
#include "core/frame.h"
#include "core/memory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  ++data;
  --size;
  const size_t base = zk::total_allocated_bytes();
  {
    zk::DecompressorOptions options;
    options.max_window_size = (selector & 1) ? (1u << 20) : 0;
    options.format = (selector & 2) ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1;
    auto d = zk::Decompressor::create(options);
    if (!d.ok()) abort();
    zk::DecompressOptions decode{(selector & 4) ? size_t{1} << 20 : 0, (selector & 8) != 0};
    auto first = d.value()->decompress(data, size, decode);
    if (first.ok()) {
      auto again = d.value()->decompress(data, size, decode);
      if (!again.ok() || again.value().size() != first.value().size() ||
          (first.value().size() > 0 &&
           std::memcmp(again.value().data(), first.value().data(), first.value().size()) != 0))
        abort();
      const int64_t planned = d.value()->planned_size(data, size, decode);
      if (planned >= 0 && static_cast<size_t>(planned) != first.value().size()) abort();
    }
    (void)zk::get_frame_parameters(data, size);
    (void)zk::frame_header_size(data, size);
  }
  if (zk::total_allocated_bytes() != base) abort();  // everything released
  return 0;
}

// Contract: frame-header inspection of any bytes (zstd1 and magicless) never crashes, and what it
// reports is consistent: a readable header has a size that fits the input, the parameters agree
// with libzstd's own readers, and a stated content size is one the blocks can hold or is flagged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/decompressor.h"
#include "core/frame.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::LeakCheck leaks;
  auto params = zk::get_frame_parameters(data, size);
  auto header_size = zk::frame_header_size(data, size);
  auto content = zk::frame_content_size(data, size);
  if (params.ok()) {
    if (!header_size.ok() || header_size.value() > size) abort();
    if (!content.ok() || content.value() != params.value().content_size) abort();
    const unsigned long long libzstd = ZSTD_getFrameContentSize(data, size);
    if (params.value().content_size == zk::kContentSizeUnknown
            ? libzstd != ZSTD_CONTENTSIZE_UNKNOWN
            : libzstd != static_cast<uint64_t>(params.value().content_size))
      abort();
    if (params.value().content_size >= 0) {
      const bool holds = static_cast<uint64_t>(params.value().content_size) <= zk::max_decompressed_size(size);
      if (holds != zk::check_claimed_size(params.value().content_size, size).ok()) abort();
    }
  } else if (content.ok()) {
    abort();  // the content size comes from the same header
  }
  for (const ZSTD_format_e format : {ZSTD_f_zstd1, ZSTD_f_zstd1_magicless}) {
    auto header = zk::read_frame_header(data, size, format);
    if (header.ok()) {
      (void)zk::check_window(header.value(), 1 << 20).ok();
    }
  }
  // What a decompressor plans for input that starts with a zstd frame matches what its header
  // says (a leading skippable frame is skipped: decompress_fuzzer holds the plan to the output).
  const bool skippable = size >= 4 && ((data[0] | data[1] << 8 | data[2] << 16 | static_cast<uint32_t>(data[3]) << 24) &
                                       0xFFFFFFF0u) == ZSTD_MAGIC_SKIPPABLE_START;
  auto d = zk::Decompressor::create({});
  if (!d.ok()) abort();
  const int64_t planned = d.value()->planned_size(data, size, {});
  if (!skippable && planned >= 0 && (!params.ok() || planned != params.value().content_size)) abort();
  return 0;
}

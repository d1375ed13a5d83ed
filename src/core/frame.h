// Frame inspection: what a frame header says, without decoding the frame.
#pragma once

#include <cstddef>
#include <cstdint>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "error.h"

namespace zk {

constexpr int64_t kContentSizeUnknown = -1;

struct FrameParameters {
  int64_t content_size = kContentSizeUnknown;  // -1 when the header does not say
  uint64_t window_size = 0;
  uint32_t dict_id = 0;
  bool has_checksum = false;
};

// The header of the frame at the start of data (zstd or skippable); src_size_wrong when data
// ends inside it.
Result<ZSTD_frameHeader> read_frame_header(const uint8_t* data, size_t size, ZSTD_format_e format = ZSTD_f_zstd1);

// Parameters of the zstd frame at the start of data. Skippable frames and short or invalid
// headers are errors.
Result<FrameParameters> get_frame_parameters(const uint8_t* data, size_t size);

// Content size from the header, -1 when unknown.
Result<int64_t> frame_content_size(const uint8_t* data, size_t size);

// Size of the frame header at the start of data.
Result<size_t> frame_header_size(const uint8_t* data, size_t size);

// Compressed size of the magicless frame at the start of data: its header, blocks and checksum,
// walked as the format spec says (libzstd 1.5.4's ZSTD_findFrameCompressedSize reads zstd1 frames
// only); src_size_wrong when data ends inside it, corruption_detected for a reserved block type.
Result<size_t> magicless_frame_size(const uint8_t* data, size_t size);

// Largest output a frame of compressed_size bytes can legitimately produce; a header claiming
// more is corrupt (every block of up to 128 KiB costs at least 4 bytes, as an RLE block).
uint64_t max_decompressed_size(size_t compressed_size);

// The checks every decoding path (one-shot, batch, chain) makes, with one message each:
// corruption_detected when a header's content size is more than compressed_size bytes of frame
// can hold: such a size must never be allocated.
Status check_claimed_size(uint64_t content_size, size_t compressed_size);
// frame_parameter_window_too_large when the frame's window exceeds max_window_size (0: no limit
// of ours; libzstd's own applies).
Status check_window(const ZSTD_frameHeader& header, size_t max_window_size);
// corruption_detected unless a frame decoded to exactly the `expected` bytes its header stated.
Status check_decoded_size(size_t written, uint64_t expected);

}  // namespace zk

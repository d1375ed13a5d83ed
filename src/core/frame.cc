#include "frame.h"

#include <algorithm>
#include <string>

#include <zstd_errors.h>

namespace zk {

Result<ZSTD_frameHeader> read_frame_header(const uint8_t* data, size_t size, ZSTD_format_e format) {
  ZSTD_frameHeader header{};
  size_t ret = ZSTD_getFrameHeader_advanced(&header, data, size, format);
  if (ZSTD_isError(ret)) return Status::from_zstd(ret, "reading frame header");
  if (ret > 0) {
    return Status(ZSTD_error_srcSize_wrong, "input ends inside the frame header (it needs " + std::to_string(ret) +
                                                " bytes, got " + std::to_string(size) + ")");
  }
  return header;
}

Result<FrameParameters> get_frame_parameters(const uint8_t* data, size_t size) {
  auto header = read_frame_header(data, size);
  if (!header.ok()) return header.status();
  const ZSTD_frameHeader& h = header.value();
  if (h.frameType == ZSTD_skippableFrame) {
    return Status(ZSTD_error_frameParameter_unsupported, "a skippable frame has no frame parameters");
  }
  FrameParameters params;
  params.content_size =
      h.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN ? kContentSizeUnknown : static_cast<int64_t>(h.frameContentSize);
  params.window_size = h.windowSize;
  params.dict_id = h.dictID;
  params.has_checksum = h.checksumFlag != 0;
  return params;
}

Result<int64_t> frame_content_size(const uint8_t* data, size_t size) {
  auto params = get_frame_parameters(data, size);
  if (!params.ok()) return params.status();
  return params.value().content_size;
}

Result<size_t> frame_header_size(const uint8_t* data, size_t size) {
  auto header = read_frame_header(data, size);  // ZSTD_frameHeaderSize alone does not check the magic
  if (!header.ok()) return header.status();
  // A skippable frame's header is its magic and size field, whatever the size says.
  if (header.value().frameType == ZSTD_skippableFrame) return static_cast<size_t>(ZSTD_SKIPPABLEHEADERSIZE);
  size_t ret = ZSTD_frameHeaderSize(data, size);
  if (ZSTD_isError(ret)) return Status::from_zstd(ret, "reading frame header size");
  return ret;
}

namespace {
constexpr size_t kBlockHeaderSize = 3;  // zstd format: last-block flag, type, size (24 bits)
}

Result<FrameBlocks> scan_frame_blocks(const uint8_t* data, size_t size, ZSTD_format_e format) {
  auto header = read_frame_header(data, size, format);
  if (!header.ok()) return header.status();
  if (header.value().frameType == ZSTD_skippableFrame) {
    return Status(ZSTD_error_frameParameter_unsupported, "a skippable frame has no blocks");
  }
  FrameBlocks blocks;
  blocks.block_max = std::min<uint64_t>(header.value().windowSize, ZSTD_BLOCKSIZE_MAX);
  size_t pos = header.value().headerSize;
  for (bool last = false; !last;) {
    if (size - pos < kBlockHeaderSize) return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
    const uint32_t block = data[pos] | data[pos + 1] << 8 | static_cast<uint32_t>(data[pos + 2]) << 16;
    last = (block & 1) != 0;
    const uint32_t type = (block >> 1) & 3;  // raw, RLE, compressed, reserved
    const uint32_t block_size = block >> 3;
    if (type == 3) return Status(ZSTD_error_corruption_detected, "reserved block type");
    const size_t content = type == 1 ? 1 : block_size;  // an RLE block stores its one byte
    pos += kBlockHeaderSize;
    if (size - pos < content) return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
    pos += content;
    if (type == 2) {
      ++blocks.compressed_blocks;
      blocks.compressed_bytes += block_size;
    } else {
      blocks.exact_bytes += block_size;
    }
  }
  if (header.value().checksumFlag) {
    if (size - pos < 4) return Status(ZSTD_error_srcSize_wrong, "input ends inside a frame (truncated)");
    pos += 4;
  }
  blocks.frame_size = pos;
  return blocks;
}

Result<size_t> magicless_frame_size(const uint8_t* data, size_t size) {
  auto blocks = scan_frame_blocks(data, size, ZSTD_f_zstd1_magicless);
  if (!blocks.ok()) return blocks.status();
  return blocks.value().frame_size;
}

uint64_t max_decompressed_size(size_t compressed_size) {
  constexpr uint64_t kBlockMax = ZSTD_BLOCKSIZE_MAX;
  return (static_cast<uint64_t>(compressed_size) / 4 + 1) * kBlockMax;
}

Status check_claimed_size(uint64_t content_size, size_t compressed_size) {
  if (content_size <= max_decompressed_size(compressed_size)) return Status();
  return Status(ZSTD_error_corruption_detected,
                "frame header claims " + std::to_string(content_size) + " bytes, more than its blocks can hold");
}

Status check_window(const ZSTD_frameHeader& header, size_t max_window_size) {
  if (max_window_size == 0 || header.windowSize <= max_window_size) return Status();
  return Status(ZSTD_error_frameParameter_windowTooLarge,
                "frame window of " + std::to_string(header.windowSize) + " bytes exceeds maxWindowSize");
}

Status check_decoded_size(size_t written, uint64_t expected) {
  if (written == expected) return Status();
  return Status(ZSTD_error_corruption_detected,
                "decoded to " + std::to_string(written) + " bytes, expected " + std::to_string(expected));
}

}  // namespace zk

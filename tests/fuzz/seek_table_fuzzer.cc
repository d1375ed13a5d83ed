// Contract: any bytes, read as a seekable file, never crash the seek-table parser, the frame
// decoder or SChunk::open, and never make them allocate more than the input can justify. What the
// parser accepts is consistent: offsets add up to the bytes before the table, frame_at() finds
// the frame holding each offset, the table written back from the entries is the same bytes (but
// for the descriptor's unused bits), and every frame either decodes to exactly its size (its
// checksum matching) or is an error. Whatever is allocated is freed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/frame.h"
#include "core/memory.h"
#include "core/schunk.h"
#include "core/seekable.h"
#include "fuzz_util.h"

namespace {

// Frames decoded per input (and their size) are capped so that each run stays fast.
constexpr size_t kMaxDecodedFrame = 1 << 20;
constexpr size_t kMaxDecodedFrames = 64;

void check_table(const uint8_t* data, size_t size, const zk::SeekTable& t) {
  if (t.compressed_size() + t.table_size() != size) abort();
  uint64_t c = 0, d = 0;
  for (size_t i = 0; i < t.frame_count(); ++i) {
    if (t.compressed_offset(i) != c || t.decompressed_offset(i) != d) abort();
    if (t.compressed_size(i) < zk::kSkippableHeaderSize) abort();
    if (t.decompressed_size(i) > zk::max_decompressed_size(t.compressed_size(i))) abort();
    if (t.decompressed_size(i) > 0 && t.frame_at(d) != i) abort();
    c += t.compressed_size(i);
    d += t.decompressed_size(i);
  }
  if (t.decompressed_size() != d) abort();
  // The table written back from its entries.
  zk::SeekTableWriter log(t.has_checksums());
  for (size_t i = 0; i < t.frame_count(); ++i) {
    if (!log.add(t.compressed_size(i), t.decompressed_size(i), t.checksum(i)).ok()) abort();
  }
  auto written = log.serialize();
  if (!written.ok() || written.value().size() != t.table_size()) abort();
  const uint8_t* original = data + size - t.table_size();
  uint8_t* copy = written.value().data();
  copy[t.table_size() - 5] |= original[t.table_size() - 5] & 0x03;  // the unused bits
  zk::fuzz::expect_same(copy, t.table_size(), original, t.table_size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::LeakCheck leaks;
  if (size < zk::kSeekTableFooterSize) {
    if (zk::parse_seek_table_footer(data, size, size).ok()) abort();
    return 0;
  }
  auto footer = zk::parse_seek_table_footer(data + size - zk::kSeekTableFooterSize, zk::kSeekTableFooterSize, size);
  if (!footer.ok()) return 0;
  if (footer.value().table_size > size) abort();
  const size_t table_size = footer.value().table_size;
  const uint8_t* table = data + size - table_size;
  auto parsed = zk::SeekTable::parse(table, table_size, size);
  if (!parsed.ok()) return 0;
  const zk::SeekTable& t = parsed.value();
  check_table(data, size, t);

  auto decoder = zk::SeekableDecoder::create({});
  if (!decoder.ok()) abort();
  size_t decoded = 0;
  for (size_t i = 0; i < t.frame_count() && decoded < kMaxDecodedFrames; ++i) {
    if (t.decompressed_size(i) > kMaxDecodedFrame) continue;
    ++decoded;
    auto n = decoder.value()->decode(t, i, data + t.compressed_offset(i), t.compressed_size(i));
    if (n.ok() && n.value() != t.decompressed_size(i)) abort();
    if (n.ok() && t.has_checksums() && zk::frame_checksum(decoder.value()->output(), n.value()) != t.checksum(i))
      abort();
  }

  // The same bytes as a cframe, its chunks in place (slices of one buffer).
  if (t.decompressed_size() <= kMaxDecodedFrame && t.max_decompressed_size() > 0) {
    auto whole = zk::Buffer::copy_of(data, size);
    if (!whole.ok()) return 0;
    const size_t head = t.frame_count() > 0 ? t.compressed_size(0) : 0;
    auto s = zk::SChunk::open({}, &whole.value(), table, table_size, size, data, head);
    if (s.ok()) {
      auto out = zk::Buffer::allocate(s.value()->nbytes());
      if (!out.ok()) abort();
      (void)s.value()->get_slice(0, s.value()->nbytes(), out.value().data()).ok();
    }
  }
  return 0;
}

// The seekable format (core/seekable.h): the seek table as JS reads it (footer first, then the
// table), the frame decoder behind openSeekable(), and the one-shot and streaming compressors.
#include <emscripten/bind.h>

#include <memory>

#include "bind_dict.h"
#include "boundary.h"
#include "core/compressor.h"
#include "core/seekable.h"

namespace zkw {
namespace {

zk::SeekableOptions seekable_options(double frame_size, bool checksum) {
  zk::SeekableOptions o;
  o.frame_size = static_cast<size_t>(frame_size);
  o.checksum = checksum;
  return o;
}

// Size of the whole seek-table frame a footer announces, or kFailed.
double seek_table_size(uintptr_t footer, size_t size, double file_size) {
  auto r = zk::parse_seek_table_footer(in(footer), size, static_cast<uint64_t>(file_size));
  if (!r.ok()) {
    record(r.status());
    return kFailed;
  }
  return static_cast<double>(r.value().table_size);
}

std::unique_ptr<zk::SeekableDecoder> create_decoder(const emscripten::val& dict) {
  zk::DecompressorOptions options;
  options.dict = dictionary_of(dict);
  return handle(zk::SeekableDecoder::create(options));
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_seekable) {
  using emscripten::optional_override;
  using zk::SeekableCompressSession;
  using zk::SeekableDecoder;
  using zk::SeekTable;

  emscripten::constant("SEEKABLE_FINISH", SeekableCompressSession::kFinish);
  emscripten::constant("SEEKABLE_MAX_FRAME_SIZE", static_cast<double>(zk::kSeekableMaxFrameSize));
  emscripten::function("seekTableSize", &zkw::seek_table_size);
  emscripten::function(
      "parseSeekTable", optional_override([](uintptr_t ptr, size_t size, double file_size) {
        return zkw::handle_of<SeekTable>(SeekTable::parse(zkw::in(ptr), size, static_cast<uint64_t>(file_size)));
      }));

  // Offsets are doubles: files may exceed 4 GiB.
  emscripten::class_<SeekTable>("SeekTable")
      .function("frameCount",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.frame_count()); }))
      .function("hasChecksums", &SeekTable::has_checksums)
      .function("compressedSize",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.compressed_size()); }))
      .function("decompressedSize",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.decompressed_size()); }))
      .function("tableSize", optional_override([](const SeekTable& t) { return static_cast<double>(t.table_size()); }))
      .function("maxCompressedSize",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.max_compressed_size()); }))
      .function("maxDecompressedSize",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.max_decompressed_size()); }))
      // Frame i's compressed and decompressed offsets and sizes (i < frameCount(); i == frameCount()
      // for the offsets gives the totals).
      .function("compressedOffset", optional_override([](const SeekTable& t, size_t i) {
                  return static_cast<double>(t.compressed_offset(i));
                }))
      .function("decompressedOffset", optional_override([](const SeekTable& t, size_t i) {
                  return static_cast<double>(t.decompressed_offset(i));
                }))
      .function("frameCompressedSize", optional_override([](const SeekTable& t, size_t i) {
                  return static_cast<double>(t.compressed_size(i));
                }))
      .function("frameDecompressedSize", optional_override([](const SeekTable& t, size_t i) {
                  return static_cast<double>(t.decompressed_size(i));
                }))
      .function("frameAt", optional_override([](const SeekTable& t, double offset) {
                  return static_cast<double>(t.frame_at(static_cast<uint64_t>(offset)));
                }))
      .function("memorySize",
                optional_override([](const SeekTable& t) { return static_cast<double>(t.memory_size()); }));

  emscripten::class_<SeekableDecoder>("SeekableDecoder")
      // Frame i of `table` from `size` bytes at src into outputPtr(); its size, or -1.
      .function("decode",
                optional_override([](SeekableDecoder& d, const SeekTable& t, size_t i, uintptr_t src, size_t size) {
                  return zkw::number(d.decode(t, i, zkw::in(src), size));
                }))
      .function("outputPtr", optional_override([](const SeekableDecoder& d) { return zkw::address(d.output()); }))
      .function("memorySize",
                optional_override([](const SeekableDecoder& d) { return static_cast<double>(d.memory_size()); }));
  emscripten::function("createSeekableDecoder", &zkw::create_decoder);

  // One-shot, with a compressor's options: a WasmBuffer, or null.
  emscripten::function("compressSeekable", optional_override([](const zk::Compressor& c, uintptr_t src, size_t size,
                                                                double frame_size, bool checksum) {
                         return zkw::handle_of<zk::Buffer>(zk::compress_seekable(
                             c.options(), zkw::seekable_options(frame_size, checksum), zkw::in(src), size));
                       }));

  // Streaming, as Compressor.stream()'s sessions (bind_stream.cc), with SEEKABLE_FINISH as the
  // directive that writes the seek table.
  emscripten::class_<SeekableCompressSession, emscripten::base<zk::StreamBuffers>>("SeekableCompressStream")
      .function("run", optional_override([](SeekableCompressSession& s, int directive, double max_output) {
                  return zkw::status(s.run(directive, static_cast<size_t>(max_output)));
                }))
      .function("done", &SeekableCompressSession::done)
      .function("finished", &SeekableCompressSession::finished)
      .function("memorySize", optional_override([](const SeekableCompressSession& s) {
                  return static_cast<double>(s.memory_size());
                }));
  emscripten::function(
      "seekableStream", optional_override([](const zk::Compressor& c, double frame_size, bool checksum) {
        return zkw::handle(
            zk::SeekableCompressSession::create(c.options(), zkw::seekable_options(frame_size, checksum)));
      }));
}

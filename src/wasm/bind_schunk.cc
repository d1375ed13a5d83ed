// SChunk (core/schunk.h): items in chunks decoded on demand, and its cframe. Offsets and sizes
// in bytes are doubles (an SChunk may hold more than 4 GiB of items in compressed form).
#include <emscripten/bind.h>

#include <memory>

#include "bind_dict.h"
#include "boundary.h"
#include "core/buffer.h"
#include "core/schunk.h"

namespace zkw {
namespace {

zk::SChunkOptions schunk_options(double chunk_size, double typesize, int level, const emscripten::val& dict) {
  zk::SChunkOptions o;
  o.chunk_size = static_cast<size_t>(chunk_size);
  o.typesize = static_cast<size_t>(typesize);
  o.compressor.level = level;
  o.compressor.dict = dictionary_of(dict);
  return o;
}

std::unique_ptr<zk::SChunk> create_schunk(double chunk_size, double typesize, int level, const emscripten::val& dict) {
  return handle(zk::SChunk::create(schunk_options(chunk_size, typesize, level, dict)));
}

// whole: a WasmBuffer holding the cframe (its chunks become slices of it), or null (external
// chunks). table and head are the cframe's last table_size and first head_size bytes.
std::unique_ptr<zk::SChunk> open_schunk(double chunk_size, double typesize, int level, const emscripten::val& dict,
                                        const emscripten::val& whole, uintptr_t table, size_t table_size,
                                        double file_size, uintptr_t head, size_t head_size) {
  const zk::Buffer* buffer = whole.isNull() ? nullptr : &whole.as<const zk::Buffer&>();
  return handle(zk::SChunk::open(schunk_options(chunk_size, typesize, level, dict), buffer, in(table), table_size,
                                 static_cast<uint64_t>(file_size), in(head), head_size));
}

emscripten::val touched(const zk::SChunk& s, double start, double stop) {
  const auto [first, last] = s.touched(static_cast<uint64_t>(start), static_cast<uint64_t>(stop));
  emscripten::val out = emscripten::val::array();
  out.call<void>("push", static_cast<double>(first), static_cast<double>(last));
  return out;
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_schunk) {
  using emscripten::optional_override;
  using zk::Buffer;
  using zk::SChunk;

  emscripten::function("createSChunk", &zkw::create_schunk);
  emscripten::function("openSChunk", &zkw::open_schunk);

  emscripten::class_<SChunk>("SChunk")
      .function("chunkSize", optional_override([](const SChunk& s) { return static_cast<double>(s.chunk_size()); }))
      .function("typesize", optional_override([](const SChunk& s) { return static_cast<double>(s.typesize()); }))
      .function("nchunks", optional_override([](const SChunk& s) { return static_cast<double>(s.nchunks()); }))
      .function("nbytes", optional_override([](const SChunk& s) { return static_cast<double>(s.nbytes()); }))
      .function("cbytes", optional_override([](const SChunk& s) { return static_cast<double>(s.cbytes()); }))
      .function("append", optional_override([](SChunk& s, uintptr_t src, size_t size) {
                  return zkw::status(s.append(zkw::in(src), size));
                }))
      .function(
          "getSlice", optional_override([](SChunk& s, double start, double stop, uintptr_t dst) {
            return zkw::status(s.get_slice(static_cast<uint64_t>(start), static_cast<uint64_t>(stop), zkw::out(dst)));
          }))
      .function("setSlice", optional_override([](SChunk& s, double start, uintptr_t src, size_t size) {
                  return zkw::status(s.set_slice(static_cast<uint64_t>(start), zkw::in(src), size));
                }))
      .function("decompressChunk", optional_override([](SChunk& s, size_t i, uintptr_t dst, size_t capacity) {
                  return zkw::number(s.decompress_chunk(i, zkw::out(dst), capacity));
                }))
      .function("insertChunk", optional_override([](SChunk& s, size_t i, uintptr_t src, size_t size) {
                  return zkw::status(s.insert_chunk(i, zkw::in(src), size));
                }))
      .function("deleteChunk", optional_override([](SChunk& s, size_t i) { return zkw::status(s.delete_chunk(i)); }))
      .function("chunkBytes",
                optional_override([](const SChunk& s, size_t i) { return static_cast<double>(s.chunk_bytes(i)); }))
      .function("touched", &zkw::touched)
      .function("external", &SChunk::external)
      .function("attached", &SChunk::attached)
      .function("sourceOffset",
                optional_override([](const SChunk& s, size_t i) { return static_cast<double>(s.source_offset(i)); }))
      .function("frameSize",
                optional_override([](const SChunk& s, size_t i) { return static_cast<double>(s.frame_size(i)); }))
      .function("framePtr", optional_override([](const SChunk& s, size_t i) { return zkw::address(s.frame_data(i)); }))
      .function("attach", optional_override([](SChunk& s, size_t i, uintptr_t src, size_t size) {
                  return zkw::status(s.attach(i, zkw::in(src), size));
                }))
      .function("detach", &SChunk::detach)
      .function("setMeta", optional_override([](SChunk& s, uintptr_t src, size_t size) {
                  auto meta = Buffer::copy_of(zkw::in(src), size);
                  if (!meta.ok()) return zkw::status(meta.status());
                  s.set_meta(std::move(meta.value()));
                  return 0.0;
                }))
      .function("metaPtr", optional_override([](const SChunk& s) { return zkw::address(s.meta().data()); }))
      .function("metaSize", optional_override([](const SChunk& s) { return static_cast<double>(s.meta().size()); }))
      .function("headerFrame",
                optional_override([](const SChunk& s) { return zkw::handle_of<Buffer>(s.header_frame()); }))
      .function("seekTable", optional_override([](const SChunk& s) { return zkw::handle_of<Buffer>(s.seek_table()); }))
      .function("toCframe", optional_override([](const SChunk& s) { return zkw::handle_of<Buffer>(s.to_cframe()); }))
      .function("memorySize", optional_override([](const SChunk& s) { return static_cast<double>(s.memory_size()); }));
}

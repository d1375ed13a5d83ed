// WasmBuffer, Collection and raw tracked memory for staging JS input.
#include "bind_buffer.h"

#include <emscripten/bind.h>

#include <memory>

#include "boundary.h"
#include "core/buffer.h"
#include "core/memory.h"

namespace zkw {

uintptr_t Collection::table() {
  if (table_.empty() && c_.length() > 0) {
    table_.reserve(c_.length() * 3);
    for (size_t b = 0; b < c_.buffer_count(); ++b) {
      const zk::BufferWithSegments& buffer = c_.buffer(b);
      for (size_t i = 0; i < buffer.length(); ++i) {
        table_.push_back(static_cast<uint32_t>(address(buffer.item_data(i))));
        table_.push_back(static_cast<uint32_t>(buffer.segment(i).offset));
        table_.push_back(static_cast<uint32_t>(buffer.segment(i).length));
      }
    }
  }
  return address(table_.data());
}

namespace {

std::unique_ptr<Collection> concat(const Collection& a, const Collection& b) {
  std::vector<zk::BufferWithSegments> buffers;
  for (const auto* c : {&a.get(), &b.get()}) {
    for (size_t i = 0; i < c->buffer_count(); ++i) buffers.push_back(c->buffer(i));
  }
  return std::make_unique<Collection>(zk::BufferWithSegmentsCollection(std::move(buffers)));
}

// data's bytes (shared, not copied) with `count` (offset, length) uint64 pairs read from segments.
std::unique_ptr<Collection> create_buffer_with_segments(const zk::Buffer& data, uintptr_t segments, size_t count) {
  std::vector<zk::Segment> table(count);
  const auto* pairs = reinterpret_cast<const uint64_t*>(segments);
  for (size_t i = 0; i < count; ++i) table[i] = {pairs[2 * i], pairs[2 * i + 1]};
  auto b = zk::BufferWithSegments::owning(data, std::move(table));
  if (!b.ok()) {
    record(b.status());
    return nullptr;
  }
  return std::make_unique<Collection>(zk::BufferWithSegmentsCollection({std::move(b.value())}));
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_buffer) {
  using emscripten::optional_override;
  using zk::Buffer;
  using zkw::Collection;

  emscripten::class_<Buffer>("WasmBuffer")
      .function("ptr", optional_override([](const Buffer& b) { return zkw::address(b.data()); }))
      .function("size", optional_override([](const Buffer& b) { return static_cast<double>(b.size()); }))
      .function("resize", optional_override([](Buffer& b, size_t size) { return zkw::status(b.resize(size)); }))
      .function("slice", optional_override([](const Buffer& b, size_t offset, size_t length) {
                  return zkw::handle_of<Buffer>(b.slice(offset, length));
                }));
  emscripten::function("allocBuffer",
                       optional_override([](size_t size) { return zkw::handle_of<Buffer>(Buffer::allocate(size)); }));

  emscripten::class_<Collection>("Collection")
      .function("length", optional_override([](const Collection& c) { return static_cast<double>(c.get().length()); }))
      .function("bufferCount",
                optional_override([](const Collection& c) { return static_cast<double>(c.get().buffer_count()); }))
      .function("totalSize",
                optional_override([](const Collection& c) { return static_cast<double>(c.get().total_size()); }))
      .function("bufferPtr",
                optional_override([](const Collection& c, size_t b) { return zkw::address(c.get().buffer(b).data()); }))
      .function("bufferSize", optional_override([](const Collection& c, size_t b) {
                  return static_cast<double>(c.get().buffer(b).size());
                }))
      .function("table", &Collection::table)
      .function("concat", &zkw::concat);
  emscripten::function("emptyCollection", optional_override([] {
                         return std::make_unique<Collection>(zk::BufferWithSegmentsCollection());
                       }));
  emscripten::function("createBufferWithSegments", &zkw::create_buffer_with_segments);

  // Raw tracked memory for staging JS input: JS frees it right after the call.
  emscripten::function("malloc", optional_override([](size_t size) { return zkw::address(zk::tracked_malloc(size)); }));
  emscripten::function("free", optional_override([](uintptr_t p) { zk::tracked_free(reinterpret_cast<void*>(p)); }));
}

// The buffer types JS sees: zk::Buffer is bound as WasmBuffer; Collection wraps a
// BufferWithSegmentsCollection (a JS BufferWithSegments is a collection of one buffer).
#pragma once

#include <cstdint>
#include <vector>

#include "core/segments.h"

namespace zkw {

class Collection {
 public:
  explicit Collection(zk::BufferWithSegmentsCollection c) : c_(std::move(c)) {}
  const zk::BufferWithSegmentsCollection& get() const { return c_; }

  // Every segment as three uint32s (data pointer, offset in its buffer, length), so JS reads the
  // whole table with one copy instead of a call per segment. Built on first use.
  uintptr_t table();

 private:
  zk::BufferWithSegmentsCollection c_;
  std::vector<uint32_t> table_;
};

}  // namespace zkw

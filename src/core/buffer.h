// Bytes owned by the core in tracked memory. A Buffer is a (storage, offset, size) view:
// slices share their parent's storage, so a slice keeps that memory alive on its own
// (cf. arrow::Buffer / SliceBuffer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "error.h"
#include "memory.h"

namespace zk {

class Buffer {
 public:
  Buffer() = default;

  // Uninitialised bytes; memory_allocation error when the allocator says no or the size does
  // not fit this platform (a 64-bit size from a frame header on wasm32).
  static Result<Buffer> allocate(uint64_t size);
  static Result<Buffer> copy_of(const uint8_t* data, size_t size);

  uint8_t* data() const { return storage_ ? storage_->bytes.get() + offset_ : nullptr; }
  size_t size() const { return size_; }

  // Zero-copy view of [offset, offset + length); out_of_range when it does not fit.
  Result<Buffer> slice(size_t offset, size_t length) const;

  // Changes the size, keeping the first min(old, new) bytes. Storage shared with slices is
  // left to them, and this buffer moves to storage of its own.
  Status resize(size_t size);

 private:
  struct Storage {
    std::unique_ptr<uint8_t[], TrackedFree> bytes;
    size_t capacity = 0;
  };
  std::shared_ptr<Storage> storage_;
  size_t offset_ = 0;
  size_t size_ = 0;
};

}  // namespace zk

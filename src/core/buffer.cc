#include "buffer.h"

#include <cstring>
#include <string>

#include <zstd_errors.h>

namespace zk {

namespace {
Status allocation_failed(uint64_t size) {
  return Status(ZSTD_error_memory_allocation, "cannot allocate " + std::to_string(size) + " bytes");
}
}  // namespace

Result<Buffer> Buffer::allocate(uint64_t wide_size) {
  if (wide_size > SIZE_MAX) {
    return Status(ZSTD_error_memory_allocation,
                  "cannot allocate " + std::to_string(wide_size) + " bytes: more than this platform's memory");
  }
  const auto size = static_cast<size_t>(wide_size);
  auto* bytes = static_cast<uint8_t*>(tracked_malloc(size));
  if (bytes == nullptr) return allocation_failed(size);
  Buffer buffer;
  buffer.storage_ = std::make_shared<Storage>();
  buffer.storage_->bytes.reset(bytes);
  buffer.storage_->capacity = size;
  buffer.size_ = size;
  return buffer;
}

Result<Buffer> Buffer::copy_of(const uint8_t* data, size_t size) {
  auto buffer = allocate(size);
  if (buffer.ok() && size > 0) std::memcpy(buffer.value().data(), data, size);
  return buffer;
}

Result<Buffer> Buffer::slice(size_t offset, size_t length) const {
  if (offset > size_ || length > size_ - offset) {
    return Status(LibError::out_of_range, "slice [" + std::to_string(offset) + ", +" + std::to_string(length) +
                                              ") is outside the buffer of " + std::to_string(size_) + " bytes");
  }
  Buffer view = *this;
  view.offset_ += offset;
  view.size_ = length;
  return view;
}

Status Buffer::resize(size_t size) {
  if (storage_ && storage_.use_count() == 1 && offset_ == 0) {
    if (size <= storage_->capacity && size >= storage_->capacity / 2) {
      size_ = size;  // fits, and not worth giving memory back
      return Status();
    }
    auto* grown = static_cast<uint8_t*>(tracked_realloc(storage_->bytes.get(), size));
    if (grown == nullptr) return allocation_failed(size);
    storage_->bytes.release();
    storage_->bytes.reset(grown);
    storage_->capacity = size;
    size_ = size;
    return Status();
  }
  auto fresh = allocate(size);
  if (!fresh.ok()) return fresh.status();
  if (size_ > 0 && size > 0) std::memcpy(fresh.value().data(), data(), size < size_ ? size : size_);
  *this = std::move(fresh.value());
  return Status();
}

}  // namespace zk

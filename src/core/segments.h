// Buffer types for batch work (python-zstandard's BufferWithSegments family): one backing
// allocation holding many items, described by (offset, length) pairs. Every object that refers
// to the bytes shares ownership of them, so a segment outlives whatever it was taken from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "buffer.h"
#include "error.h"

namespace zk {

struct Segment {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// One item's bytes. Keeps the backing memory alive when it is owned.
class BufferSegment {
 public:
  BufferSegment() = default;
  BufferSegment(Buffer owner, const uint8_t* data, uint64_t offset, uint64_t length)
      : owner_(std::move(owner)), data_(data), offset_(offset), length_(length) {}

  const uint8_t* data() const { return data_; }
  uint64_t offset() const { return offset_; }  // within the parent's backing buffer
  uint64_t length() const { return length_; }

 private:
  Buffer owner_;  // empty when the parent borrows its bytes
  const uint8_t* data_ = nullptr;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
};

class BufferWithSegments {
 public:
  BufferWithSegments() = default;

  // Takes (shared) ownership of data. out_of_range when a segment does not fit in data.
  static Result<BufferWithSegments> owning(Buffer data, std::vector<Segment> segments);
  // Refers to bytes someone else keeps alive for as long as this object and its segments live.
  static Result<BufferWithSegments> borrowing(const uint8_t* data, size_t size, std::vector<Segment> segments);

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t length() const { return segments_ ? segments_->size() : 0; }
  const Segment& segment(size_t i) const { return (*segments_)[i]; }
  const uint8_t* item_data(size_t i) const { return data_ + segment(i).offset; }
  size_t item_size(size_t i) const { return static_cast<size_t>(segment(i).length); }

  // out_of_range when i >= length().
  Result<BufferSegment> get(size_t i) const;

 private:
  static Status validate(size_t size, const std::vector<Segment>& segments);

  Buffer owner_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::shared_ptr<const std::vector<Segment>> segments_;
};

// Several BufferWithSegments seen as one sequence of segments (global indexing).
class BufferWithSegmentsCollection {
 public:
  BufferWithSegmentsCollection() = default;
  explicit BufferWithSegmentsCollection(std::vector<BufferWithSegments> buffers);

  size_t length() const { return starts_.empty() ? 0 : starts_.back(); }  // segments in all buffers
  size_t buffer_count() const { return buffers_.size(); }
  const BufferWithSegments& buffer(size_t b) const { return buffers_[b]; }
  uint64_t total_size() const;  // bytes of all backing buffers

  // Buffer index and index within it of global segment i (i < length()).
  std::pair<size_t, size_t> locate(size_t i) const;
  const uint8_t* item_data(size_t i) const;
  size_t item_size(size_t i) const;

  // out_of_range when i >= length().
  Result<BufferSegment> get(size_t i) const;

 private:
  std::vector<BufferWithSegments> buffers_;
  std::vector<size_t> starts_;  // starts_[b + 1] = segments in buffers 0..b; starts_[0] = 0
};

}  // namespace zk

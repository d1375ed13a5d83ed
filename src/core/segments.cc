#include "segments.h"

#include <algorithm>
#include <string>

namespace zk {

Status BufferWithSegments::validate(size_t size, const std::vector<Segment>& segments) {
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    if (s.offset > size || s.length > size - s.offset) {
      return Status(LibError::out_of_range, "segment " + std::to_string(i) + " [offset " + std::to_string(s.offset) +
                                                ", length " + std::to_string(s.length) + "] is outside the buffer of " +
                                                std::to_string(size) + " bytes");
    }
  }
  return Status();
}

Result<BufferWithSegments> BufferWithSegments::owning(Buffer data, std::vector<Segment> segments) {
  Status st = validate(data.size(), segments);
  if (!st.ok()) return st;
  BufferWithSegments b;
  b.data_ = data.data();
  b.size_ = data.size();
  b.owner_ = std::move(data);
  b.segments_ = std::make_shared<const std::vector<Segment>>(std::move(segments));
  return b;
}

Result<BufferWithSegments> BufferWithSegments::borrowing(const uint8_t* data, size_t size,
                                                         std::vector<Segment> segments) {
  Status st = validate(size, segments);
  if (!st.ok()) return st;
  BufferWithSegments b;
  b.data_ = data;
  b.size_ = size;
  b.segments_ = std::make_shared<const std::vector<Segment>>(std::move(segments));
  return b;
}

Result<BufferSegment> BufferWithSegments::get(size_t i) const {
  if (i >= length()) {
    return Status(LibError::out_of_range,
                  "segment index " + std::to_string(i) + " out of range (length " + std::to_string(length()) + ")");
  }
  const Segment& s = segment(i);
  return BufferSegment(owner_, data_ + s.offset, s.offset, s.length);
}

BufferWithSegmentsCollection::BufferWithSegmentsCollection(std::vector<BufferWithSegments> buffers)
    : buffers_(std::move(buffers)) {
  starts_.reserve(buffers_.size() + 1);
  starts_.push_back(0);
  for (const auto& b : buffers_) starts_.push_back(starts_.back() + b.length());
}

uint64_t BufferWithSegmentsCollection::total_size() const {
  uint64_t total = 0;
  for (const auto& b : buffers_) total += b.size();
  return total;
}

std::pair<size_t, size_t> BufferWithSegmentsCollection::locate(size_t i) const {
  // The buffer b with starts_[b] <= i < starts_[b + 1]; upper_bound steps over empty buffers.
  auto it = std::upper_bound(starts_.begin(), starts_.end(), i);
  size_t b = static_cast<size_t>(it - starts_.begin()) - 1;
  return {b, i - starts_[b]};
}

const uint8_t* BufferWithSegmentsCollection::item_data(size_t i) const {
  auto [b, j] = locate(i);
  return buffers_[b].item_data(j);
}

size_t BufferWithSegmentsCollection::item_size(size_t i) const {
  auto [b, j] = locate(i);
  return buffers_[b].item_size(j);
}

Result<BufferSegment> BufferWithSegmentsCollection::get(size_t i) const {
  if (i >= length()) {
    return Status(LibError::out_of_range,
                  "segment index " + std::to_string(i) + " out of range (length " + std::to_string(length()) + ")");
  }
  auto [b, j] = locate(i);
  return buffers_[b].get(j);
}

}  // namespace zk

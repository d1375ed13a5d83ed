// The small-input path of one-shot calls, for per-item loops: one scratch allocation per
// compressor or decompressor, made on first use. The host copies an input of up to kSmallInput
// bytes to input() and reads the result at output(): one call per item and no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "buffer.h"

namespace zk {

constexpr size_t kSmallInput = 32 << 10;
constexpr size_t kSmallOutput = 128 << 10;  // for decompressed items; a compressed one needs less

class Scratch {
 public:
  explicit Scratch(size_t output_capacity) : output_capacity_(output_capacity) {}

  // The memory (input at its start, output kSmallInput bytes in), allocated on first use;
  // nullptr when it cannot be: the caller then takes its general path.
  uint8_t* get() {
    if (buffer_.data() == nullptr) {
      auto b = Buffer::allocate(kSmallInput + output_capacity_);
      if (b.ok()) buffer_ = std::move(b.value());
    }
    return buffer_.data();
  }
  bool ready() const { return buffer_.data() != nullptr; }
  uint8_t* input() const { return buffer_.data(); }
  uint8_t* output() const { return buffer_.data() + kSmallInput; }
  size_t output_capacity() const { return output_capacity_; }
  size_t memory_size() const { return buffer_.size(); }

 private:
  Buffer buffer_;
  size_t output_capacity_;
};

}  // namespace zk

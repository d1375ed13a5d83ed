// What the libFuzzer targets share: a reader that takes options from the front of the input
// (so seeds are plain files: a few option bytes, then the payload), and the leak check every
// target ends with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/memory.h"

namespace zk::fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // The next byte (0 once the input is used up).
  uint8_t byte() { return size_ > 0 ? (--size_, *data_++) : 0; }
  // A little-endian uint16 / uint32 from the next bytes.
  uint16_t u16() { return static_cast<uint16_t>(byte() | byte() << 8); }
  uint32_t u32() { return static_cast<uint32_t>(u16()) | static_cast<uint32_t>(u16()) << 16; }
  // A value in [lo, hi] from the next byte(s).
  int range(int lo, int hi) { return lo + static_cast<int>(u16() % static_cast<uint32_t>(hi - lo + 1)); }
  bool flag() { return byte() & 1; }

  // The next `n` bytes (fewer when the input ends first).
  const uint8_t* take(size_t& n) {
    if (n > size_) n = size_;
    const uint8_t* p = data_;
    data_ += n;
    size_ -= n;
    return p;
  }
  const uint8_t* rest() const { return data_; }
  size_t left() const { return size_; }

 private:
  const uint8_t* data_;
  size_t size_;
};

// Every byte the core allocated while handling one input is freed by the end of it.
class LeakCheck {
 public:
  LeakCheck() : base_(total_allocated_bytes()) {}
  ~LeakCheck() {
    if (total_allocated_bytes() != base_) abort();
  }
  LeakCheck(const LeakCheck&) = delete;
  LeakCheck& operator=(const LeakCheck&) = delete;

 private:
  size_t base_;
};

// Aborts (a finding) unless a and b hold the same bytes.
inline void expect_same(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size) {
  if (a_size != b_size || (a_size > 0 && std::memcmp(a, b, a_size) != 0)) abort();
}

}  // namespace zk::fuzz

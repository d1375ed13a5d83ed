#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/compressor.h"
#include "core/segments.h"

namespace zk::test {

// Compressible text-like data, deterministic per seed.
inline std::vector<uint8_t> sample_data(size_t size, unsigned seed = 1) {
  static const char* words[] = {"zstd ", "kit ", "frame ", "block ", "window ", "literal ", "match ", "\n"};
  std::mt19937 rng(seed);
  std::vector<uint8_t> out;
  out.reserve(size);
  while (out.size() < size) {
    const char* w = words[rng() % 8];
    for (const char* p = w; *p && out.size() < size; ++p) out.push_back(static_cast<uint8_t>(*p));
  }
  return out;
}

// Two zstd workers on 1 MiB jobs at level 9: an input of a few MiB keeps several jobs in flight.
inline CompressorOptions jobs_in_flight_options() {
  CompressorOptions o;
  o.threads = 2;
  o.params = {{ZSTD_c_compressionLevel, 9}, {ZSTD_c_jobSize, 1 << 20}};
  return o;
}

inline std::vector<uint8_t> compress(const std::vector<uint8_t>& data, CompressorOptions options = {}) {
  auto c = Compressor::create(options);
  auto frame = c.value()->compress_to_buffer(data.data(), data.size());
  return std::vector<uint8_t>(frame.value().data(), frame.value().data() + frame.value().size());
}

// The given items in one owned buffer, one segment each.
inline BufferWithSegmentsCollection collection_of(const std::vector<std::vector<uint8_t>>& items) {
  std::vector<Segment> segments;
  std::vector<uint8_t> all;
  for (const auto& item : items) {
    segments.push_back({all.size(), item.size()});
    all.insert(all.end(), item.begin(), item.end());
  }
  auto buffer = Buffer::copy_of(all.data(), all.size()).value();
  return BufferWithSegmentsCollection({BufferWithSegments::owning(buffer, segments).value()});
}

}  // namespace zk::test

// Contract: streaming decompression of any bytes, cut into pieces of random sizes and read with
// random output limits, never crashes or leaks; when it ends cleanly (at a frame boundary) and
// one-shot decompression of the same bytes succeeds, both produce the same output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/decompressor.h"
#include "core/stream.h"
#include "fuzz_util.h"

namespace {
constexpr size_t kMaxOutput = 8 << 20;  // beyond this, stop: the contract is about correctness, not volume
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zk::fuzz::Input in(data, size);
  const uint8_t selector = in.byte();
  const uint32_t split_seed = in.u32();
  zk::fuzz::LeakCheck leaks;
  zk::DecompressorOptions options;
  options.max_window_size = (selector & 1) ? (1u << 20) : 0;
  options.format = (selector & 2) ? ZSTD_f_zstd1_magicless : ZSTD_f_zstd1;
  const bool across = (selector & 4) != 0;
  const size_t max_output = (selector & 8) ? 1 + (split_seed >> 20) : 0;
  auto s = zk::DecompressSession::create(options);
  if (!s.ok()) abort();
  zk::DecompressSession& session = *s.value();

  const uint8_t* payload = in.rest();
  const size_t total = in.left();
  std::vector<uint8_t> out;
  uint32_t rng = split_seed | 1;
  bool failed = false;
  size_t pos = 0;
  while (pos < total && out.size() < kMaxOutput && !failed) {
    rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;  // xorshift32: piece sizes
    const size_t n = std::min<size_t>(total - pos, 1 + rng % 4096);
    session.load_external(payload + pos, n);
    do {
      if (!session.run(across, max_output).ok()) {
        failed = true;
        break;
      }
      out.insert(out.end(), session.output(), session.output() + session.output_size());
      session.clear();
    } while (!session.done() && out.size() < kMaxOutput);
    pos += n - session.input_left();
    if (session.frame_ended() && !across) break;
    if (session.input_left() == n && session.done() && !session.frame_ended()) break;  // no progress
  }
  if (failed || out.size() >= kMaxOutput || !session.check_end().ok()) return 0;

  // Differential: the one-shot path on the bytes the stream read.
  auto d = zk::Decompressor::create(options);
  if (!d.ok()) abort();
  auto one = d.value()->decompress(payload, pos, {out.size() + 1, across});
  if (one.ok() && pos > 0) zk::fuzz::expect_same(one.value().data(), one.value().size(), out.data(), out.size());
  return 0;
}

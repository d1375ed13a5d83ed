// Compression parameters: the one table of those a host may set (its name, libzstd's id and
// bounds), libzstd's per-level table, and what a context with given parameters costs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "error.h"

namespace zk {

// Explicit parameters as (ZSTD_cParameter, value) pairs, applied in order.
using ParamList = std::vector<std::pair<int, int>>;

struct CompressionParameter {
  const char* name;  // the JS name, e.g. "windowLog", "threads" (ZSTD_c_nbWorkers)
  ZSTD_cParameter param;
};

// Every compression parameter a host may set.
extern const std::array<CompressionParameter, 20> kCompressionParameters;

// libzstd's parameters for `level`, tuned to a source of source_size bytes (0: unknown) and a
// dictionary of dict_size bytes.
ZSTD_compressionParameters level_parameters(int level, uint64_t source_size, size_t dict_size);

// Bytes a single-threaded compression context with these parameters needs; the error libzstd
// gives when it rejects them. Worker counts are ignored: libzstd estimates one context only.
Result<size_t> estimate_cctx_size(const ParamList& params);

}  // namespace zk

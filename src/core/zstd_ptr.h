// RAII for every libzstd object the core creates: one unique_ptr per type, freed with libzstd's
// own function. No zstd object is ever held by a raw owning pointer.
#pragma once

#include <cstddef>
#include <memory>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

namespace zk {

template <class T, size_t (*Free)(T*)>
struct ZstdFree {
  void operator()(T* p) const noexcept { Free(p); }
};

using CCtxPtr = std::unique_ptr<ZSTD_CCtx, ZstdFree<ZSTD_CCtx, ZSTD_freeCCtx>>;
using DCtxPtr = std::unique_ptr<ZSTD_DCtx, ZstdFree<ZSTD_DCtx, ZSTD_freeDCtx>>;
using CDictPtr = std::unique_ptr<ZSTD_CDict, ZstdFree<ZSTD_CDict, ZSTD_freeCDict>>;
using DDictPtr = std::unique_ptr<ZSTD_DDict, ZstdFree<ZSTD_DDict, ZSTD_freeDDict>>;
using CCtxParamsPtr = std::unique_ptr<ZSTD_CCtx_params, ZstdFree<ZSTD_CCtx_params, ZSTD_freeCCtxParams>>;

}  // namespace zk

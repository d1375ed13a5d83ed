#include "params.h"

#include <algorithm>
#include <map>

#include <zstd_errors.h>

#include "zstd_ptr.h"

namespace zk {

const std::array<CompressionParameter, 20> kCompressionParameters = {{
    {"windowLog", ZSTD_c_windowLog},
    {"chainLog", ZSTD_c_chainLog},
    {"hashLog", ZSTD_c_hashLog},
    {"searchLog", ZSTD_c_searchLog},
    {"minMatch", ZSTD_c_minMatch},
    {"targetLength", ZSTD_c_targetLength},
    {"strategy", ZSTD_c_strategy},
    {"format", ZSTD_c_format},
    {"writeContentSize", ZSTD_c_contentSizeFlag},
    {"writeChecksum", ZSTD_c_checksumFlag},
    {"writeDictId", ZSTD_c_dictIDFlag},
    {"jobSize", ZSTD_c_jobSize},
    {"overlapLog", ZSTD_c_overlapLog},
    {"forceMaxWindow", ZSTD_c_forceMaxWindow},
    {"enableLdm", ZSTD_c_enableLongDistanceMatching},
    {"ldmHashLog", ZSTD_c_ldmHashLog},
    {"ldmMinMatch", ZSTD_c_ldmMinMatch},
    {"ldmBucketSizeLog", ZSTD_c_ldmBucketSizeLog},
    {"ldmHashRateLog", ZSTD_c_ldmHashRateLog},
    {"threads", ZSTD_c_nbWorkers},
}};

namespace {

// libzstd fills in unset long-distance-matching fields only when it starts compressing; its
// estimate needs them set (it would divide by zero), so fill them in as ZSTD_ldm_adjustParameters does.
void fill_ldm_defaults(std::map<int, int>& set) {
  auto enabled = set.find(ZSTD_c_enableLongDistanceMatching);
  if (enabled == set.end() || enabled->second != 1) return;
  auto window = set.find(ZSTD_c_windowLog);
  const int window_log =
      window != set.end() && window->second != 0 ? window->second : ZSTD_getCParams(3, 0, 0).windowLog;
  int& hash_log = set[ZSTD_c_ldmHashLog];
  if (hash_log == 0) hash_log = std::max(ZSTD_HASHLOG_MIN, window_log - 7);
  int& min_match = set[ZSTD_c_ldmMinMatch];
  if (min_match == 0) min_match = 64;
  int& bucket = set[ZSTD_c_ldmBucketSizeLog];
  if (bucket == 0) bucket = std::min(3, hash_log);
  int& rate = set[ZSTD_c_ldmHashRateLog];
  if (rate == 0) rate = window_log < hash_log ? 0 : window_log - hash_log;
}

}  // namespace

ZSTD_compressionParameters level_parameters(int level, uint64_t source_size, size_t dict_size) {
  return ZSTD_getCParams(level, static_cast<unsigned long long>(source_size), dict_size);
}

Result<size_t> estimate_cctx_size(const ParamList& params) {
  CCtxParamsPtr cctx_params(ZSTD_createCCtxParams());
  if (!cctx_params) return Status(ZSTD_error_memory_allocation, "cannot create compression parameters");
  std::map<int, int> set;  // the last value of each parameter
  for (const auto& [param, value] : params) {
    if (param != ZSTD_c_nbWorkers) set[param] = value;
  }
  fill_ldm_defaults(set);
  for (const auto& [param, value] : set) {
    Status st =
        Status::from_zstd(ZSTD_CCtxParams_setParameter(cctx_params.get(), static_cast<ZSTD_cParameter>(param), value),
                          "compression parameters");
    if (!st.ok()) return st;
  }
  const size_t size = ZSTD_estimateCCtxSize_usingCCtxParams(cctx_params.get());
  if (ZSTD_isError(size)) return Status::from_zstd(size, "estimate");
  return size;
}

}  // namespace zk

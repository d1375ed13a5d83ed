#include "core/params.h"

#include <gtest/gtest.h>
#include <zstd_errors.h>

#include <set>
#include <string>

#include "core/compressor.h"

namespace zk {

TEST(Params, OneTableNamesEveryParameterOnce) {
  std::set<std::string> names;
  std::set<int> ids;
  for (const auto& p : kCompressionParameters) {
    names.insert(p.name);
    ids.insert(p.param);
    const ZSTD_bounds b = ZSTD_cParam_getBounds(p.param);
    EXPECT_FALSE(ZSTD_isError(b.error)) << p.name;
  }
  EXPECT_EQ(names.size(), kCompressionParameters.size());
  EXPECT_EQ(ids.size(), kCompressionParameters.size());
  EXPECT_EQ(names.count("threads"), 1u);
  EXPECT_EQ(ids.count(ZSTD_c_nbWorkers), 1u);
}

TEST(Params, LevelParametersAreLibzstdsTable) {
  const ZSTD_compressionParameters p = level_parameters(19, 0, 0);
  const ZSTD_compressionParameters expected = ZSTD_getCParams(19, 0, 0);
  EXPECT_EQ(p.windowLog, expected.windowLog);
  EXPECT_EQ(p.strategy, expected.strategy);
  EXPECT_LT(level_parameters(3, 1000, 0).windowLog, level_parameters(3, 0, 0).windowLog);  // shrunk to the source
}

TEST(Params, EstimateGrowsWithTheWindow) {
  auto small = estimate_cctx_size({{ZSTD_c_windowLog, 12}});
  auto large = estimate_cctx_size({{ZSTD_c_windowLog, 24}});
  ASSERT_TRUE(small.ok() && large.ok());
  EXPECT_LT(small.value(), large.value());
  // The last value of a parameter counts; worker counts are ignored.
  EXPECT_EQ(estimate_cctx_size({{ZSTD_c_windowLog, 24}, {ZSTD_c_windowLog, 12}}).value(), small.value());
  EXPECT_EQ(estimate_cctx_size({{ZSTD_c_windowLog, 12}, {ZSTD_c_nbWorkers, 4}}).value(), small.value());
}

TEST(Params, EstimateWithLongDistanceMatchingFillsItsDefaults) {
  // libzstd alone would divide by zero here: its LDM fields are only filled in when compressing.
  auto ldm = estimate_cctx_size({{ZSTD_c_enableLongDistanceMatching, 1}});
  ASSERT_TRUE(ldm.ok()) << ldm.status().message();
  EXPECT_GT(ldm.value(), estimate_cctx_size({}).value());
  auto with_window = estimate_cctx_size({{ZSTD_c_enableLongDistanceMatching, 1}, {ZSTD_c_windowLog, 27}});
  ASSERT_TRUE(with_window.ok());
  EXPECT_GT(with_window.value(), ldm.value());
  // The defaults match what a context uses when it compresses.
  CompressorOptions o;
  o.params = {{ZSTD_c_enableLongDistanceMatching, 1}, {ZSTD_c_windowLog, 20}};
  EXPECT_TRUE(Compressor::create(o).ok());
}

// cmake/zstd.cmake leaves the dedicated-dictionary-search block compressors out of libzstd:
// asking for them is refused, and dictionaries at the lazy levels (which would have used them)
// attach through the dictMatchState ones.
TEST(Params, DedicatedDictionarySearchIsRefusedAndLazyLevelsWithADictionaryStillWork) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ASSERT_NE(cctx, nullptr);
  size_t ret = ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableDedicatedDictSearch, 1);
  EXPECT_EQ(ZSTD_getErrorCode(ret), ZSTD_error_parameter_unsupported);
  EXPECT_FALSE(ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableDedicatedDictSearch, 0)));
  std::string dict, text;
  for (int i = 0; i < 4000; i++) dict += "entry " + std::to_string(i * 7919 % 1000) + " of the dictionary; ";
  for (int i = 0; i < 300; i++) text += "entry " + std::to_string(i * 31 % 1000) + " of the text; ";
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  for (int level : {5, 7, 9, 12}) {  // greedy, lazy, lazy2 (row and hash-chain match finders)
    ZSTD_CDict* cdict = ZSTD_createCDict(dict.data(), dict.size(), level);
    ASSERT_NE(cdict, nullptr);
    std::string frame(ZSTD_compressBound(text.size()), '\0');
    size_t n = ZSTD_compress_usingCDict(cctx, frame.data(), frame.size(), text.data(), text.size(), cdict);
    ASSERT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
    std::string back(text.size(), '\0');
    size_t m = ZSTD_decompress_usingDict(dctx, back.data(), back.size(), frame.data(), n, dict.data(), dict.size());
    ASSERT_FALSE(ZSTD_isError(m)) << ZSTD_getErrorName(m);
    EXPECT_EQ(back, text) << "level " << level;
    EXPECT_LT(n, text.size() / 4) << "level " << level;  // the dictionary was used
    ZSTD_freeCDict(cdict);
  }
  ZSTD_freeDCtx(dctx);
  ZSTD_freeCCtx(cctx);
}

TEST(Params, RejectedParametersAreTheirError) {
  auto r = estimate_cctx_size({{ZSTD_c_windowLog, 99}});
  ASSERT_FALSE(r.ok());
  EXPECT_STREQ(r.status().name(), "parameter_out_of_bound");
}

}  // namespace zk

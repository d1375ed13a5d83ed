#include "core/error.h"

#include <gtest/gtest.h>
#include <zstd.h>
#include <zstd_errors.h>

namespace zk {

TEST(Error, ZstdNamesAreSnakeCase) {
  EXPECT_STREQ(error_code_name(ZSTD_error_corruption_detected), "corruption_detected");
  EXPECT_STREQ(error_code_name(ZSTD_error_frameParameter_windowTooLarge), "frame_parameter_window_too_large");
  EXPECT_STREQ(error_code_name(ZSTD_error_dstSize_tooSmall), "dst_size_too_small");
  EXPECT_STREQ(error_code_name(ZSTD_error_srcSize_wrong), "src_size_wrong");
  EXPECT_STREQ(error_code_name(ZSTD_error_prefix_unknown), "prefix_unknown");
  EXPECT_STREQ(error_code_name(ZSTD_error_memory_allocation), "memory_allocation");
}

TEST(Error, LibraryCodes) {
  EXPECT_STREQ(error_code_name(static_cast<int>(LibError::content_size_unknown)), "content_size_unknown");
  EXPECT_STREQ(error_code_name(static_cast<int>(LibError::output_too_large)), "output_too_large");
  EXPECT_STREQ(error_code_name(static_cast<int>(LibError::invalid_state)), "invalid_state");
}

TEST(Error, FromZstdReturn) {
  EXPECT_TRUE(Status::from_zstd(42).ok());
  Status st = Status::from_zstd(static_cast<size_t>(-ZSTD_error_checksum_wrong), "ctx");
  EXPECT_FALSE(st.ok());
  EXPECT_STREQ(st.name(), "checksum_wrong");
  EXPECT_EQ(st.message().rfind("ctx: ", 0), 0u);
}

TEST(Error, ResultHoldsValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 7);
  Result<int> bad(Status(LibError::invalid_state, "no"));
  EXPECT_FALSE(bad.ok());
  EXPECT_STREQ(bad.status().name(), "invalid_state");
}

}  // namespace zk

// One place for error codes: zstd's own (ZSTD_ErrorCode values) and the library's (>= 1000),
// each with the snake_case name the JS API exposes as ZstdError.code.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace zk {

enum class LibError : int {
  content_size_unknown = 1000,
  output_too_large = 1001,
  invalid_state = 1002,
  out_of_range = 1003,  // an offset, index or size outside what it refers to
  // Random access (seekable.h, schunk.h).
  seek_table_invalid = 1100,  // no seek table, or one whose fields do not check out
};

// [[nodiscard]]: a Status or Result nobody looks at is an error that was dropped.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(int code, std::string message) : code_(code), message_(std::move(message)) {}
  Status(LibError code, std::string message) : Status(static_cast<int>(code), std::move(message)) {}

  // Status of a libzstd size_t return: ok unless ZSTD_isError(ret).
  static Status from_zstd(size_t ret, const char* context = nullptr);

  bool ok() const { return code_ == 0; }
  int code() const { return code_; }
  const std::string& message() const { return message_; }
  const char* name() const;  // snake_case code name, "" when ok

  // The same error with `prefix` before its message ("item 3: ", "chain frame 2: "); ok stays ok.
  Status prefixed(const std::string& prefix) const;

 private:
  int code_ = 0;
  std::string message_;
};

// snake_case name of a code: zstd's ZSTD_error_frameParameter_windowTooLarge -> "frame_parameter_window_too_large".
const char* error_code_name(int code);

// A value or the Status that prevented it.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status status) : v_(std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace zk

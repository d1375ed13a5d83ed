// What every binding file shares: the one error shape across the boundary, and conversions.
//
// A binding that can fail records its Status (lastErrorCode() / lastErrorMessage()) and returns
// its type's empty value: a null handle, or kFailed (-1) where it returns a number (sizes and
// statuses; a status is 0 when it went well). js/runtime.js check() is the one JS function that
// tests for that, and js/errors.js errorFrom() the one that turns the record into the error
// users see. Data crosses as (pointer, length) pairs into wasm memory; handles that JS gets are
// owned by it (embind deletes them with the JS object), never raw pointers.
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <utility>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "core/error.h"
#include "core/params.h"

namespace zkw {

constexpr double kFailed = -1;

// Records a failure for lastErrorCode() / lastErrorMessage() (per thread).
void record(const zk::Status& status);

inline double status(const zk::Status& st) {
  if (st.ok()) return 0;
  record(st);
  return kFailed;
}

template <class T>
double number(const zk::Result<T>& r) {
  if (!r.ok()) {
    record(r.status());
    return kFailed;
  }
  return static_cast<double>(r.value());
}

// A handle for JS from a core factory, or null.
template <class T>
std::unique_ptr<T> handle(zk::Result<std::unique_ptr<T>> r) {
  if (!r.ok()) {
    record(r.status());
    return nullptr;
  }
  return std::move(r).value();
}

// A handle for JS holding a core value (H, or the value's own type), or null.
template <class H, class T>
std::unique_ptr<H> handle_of(zk::Result<T> r) {
  if (!r.ok()) {
    record(r.status());
    return nullptr;
  }
  return std::make_unique<H>(std::move(r).value());
}

inline const uint8_t* in(uintptr_t p) { return reinterpret_cast<const uint8_t*>(p); }
inline uint8_t* out(uintptr_t p) { return reinterpret_cast<uint8_t*>(p); }
inline uintptr_t address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// Explicit parameters from JS: a flat array [param, value, param, value, ...].
inline zk::ParamList param_list(const emscripten::val& flat) {
  zk::ParamList out;
  const auto numbers = emscripten::vecFromJSArray<int>(flat);
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) out.emplace_back(numbers[i], numbers[i + 1]);
  return out;
}

// { ingested, consumed, produced } of a compression context's frame.
inline emscripten::val progression_of(const ZSTD_frameProgression& p) {
  emscripten::val out = emscripten::val::object();
  out.set("ingested", static_cast<double>(p.ingested));
  out.set("consumed", static_cast<double>(p.consumed));
  out.set("produced", static_cast<double>(p.produced));
  return out;
}

}  // namespace zkw

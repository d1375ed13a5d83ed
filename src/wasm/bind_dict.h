// A dictionary as JS holds it: one reference to the shared zk::Dictionary.
#pragma once

#include <emscripten/val.h>

#include "core/dictionary.h"

namespace zkw {

struct Dict {
  explicit Dict(zk::DictionaryPtr p) : ptr(std::move(p)) {}
  zk::DictionaryPtr ptr;
};

// The dictionary of a dictData argument: a Dict handle, or null for none.
zk::DictionaryPtr dictionary_of(const emscripten::val& dict);

}  // namespace zkw

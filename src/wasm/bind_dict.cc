// Dictionaries: creation from bytes, fastCover training, and what JS reads of one.
#include "bind_dict.h"

#include <emscripten/bind.h>

#include <memory>

#include "bind_buffer.h"
#include "boundary.h"

namespace zkw {

zk::DictionaryPtr dictionary_of(const emscripten::val& dict) {
  return dict.isNull() ? nullptr : dict.as<const Dict&>().ptr;
}

namespace {

// type: 0 auto, 1 raw content, 2 full dictionary (ZSTD_dictContentType_e).
std::unique_ptr<Dict> create_dictionary(uintptr_t data, size_t size, int type) {
  return handle_of<Dict>(zk::Dictionary::create(in(data), size, static_cast<ZSTD_dictContentType_e>(type)));
}

// options: { k, d, f, steps, accel, splitPoint, threads, level, dictId, notifications } (numbers).
std::unique_ptr<Dict> train_dictionary(double dict_size, const Collection& samples, const emscripten::val& options) {
  zk::TrainOptions o;
  o.k = options["k"].as<unsigned>();
  o.d = options["d"].as<unsigned>();
  o.f = options["f"].as<unsigned>();
  o.steps = options["steps"].as<unsigned>();
  o.accel = options["accel"].as<unsigned>();
  o.split_point = options["splitPoint"].as<double>();
  o.threads = options["threads"].as<int>();
  o.level = options["level"].as<int>();
  o.dict_id = options["dictId"].as<unsigned>();
  o.notifications = options["notifications"].as<int>();
  return handle_of<Dict>(zk::train_dictionary(static_cast<size_t>(dict_size), samples.get(), o));
}

}  // namespace
}  // namespace zkw

EMSCRIPTEN_BINDINGS(zstd_kit_dict) {
  using emscripten::optional_override;
  using zkw::Dict;

  emscripten::class_<Dict>("Dictionary")
      .function("id", optional_override([](const Dict& d) { return static_cast<double>(d.ptr->id()); }))
      .function("ptr", optional_override([](const Dict& d) { return zkw::address(d.ptr->data()); }))
      .function("size", optional_override([](const Dict& d) { return static_cast<double>(d.ptr->size()); }))
      .function("memorySize",
                optional_override([](const Dict& d) { return static_cast<double>(d.ptr->memory_size()); }))
      .function("precompute", optional_override([](const Dict& d, int level) {
                  auto cdict = d.ptr->cdict(level);
                  return zkw::status(cdict.ok() ? zk::Status() : cdict.status());
                }));
  emscripten::function("createDictionary", &zkw::create_dictionary);
  emscripten::function("trainDictionary", &zkw::train_dictionary);
}

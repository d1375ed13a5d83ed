#include "dictionary.h"

#include <cstring>
#include <string>
#include <vector>

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd_errors.h>

#include "memory.h"

namespace zk {

Status id_too_large(uint32_t id) {
  return Status(ZSTD_error_dictionary_corrupted,
                "dictionary id " + std::to_string(id) + " is above " + std::to_string(kMaxDictId) +
                    ", the largest a 32-bit libzstd (wasm) can compress with: libzstd returns the id as a size_t, "
                    "where larger values read as error codes");
}

Result<DictionaryPtr> Dictionary::create(const uint8_t* data, size_t size, ZSTD_dictContentType_e type) {
  auto bytes = Buffer::copy_of(data, size);
  if (!bytes.ok()) return bytes.status();
  DictionaryPtr dict(new Dictionary(std::move(bytes.value()), type));
  if (type == ZSTD_dct_fullDict) {
    // Digesting checks the header and entropy tables now, not at first use.
    auto d = dict->ddict();
    if (!d.ok()) return d.status();
  }
  return dict;
}

uint32_t Dictionary::id() const {
  if (type_ == ZSTD_dct_rawContent) return 0;
  return ZDICT_getDictID(data(), size());
}

Result<const ZSTD_CDict*> Dictionary::cdict(int level) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cdicts_.find(level);
  if (it != cdicts_.end()) return static_cast<const ZSTD_CDict*>(it->second.get());
  CCtxParamsPtr params(ZSTD_createCCtxParams());
  if (!params) return Status(ZSTD_error_memory_allocation, "cannot digest the dictionary");
  Status st = Status::from_zstd(ZSTD_CCtxParams_init(params.get(), level), "compression level");
  if (!st.ok()) return st;
  // By reference: the bytes live as long as this object, which outlives its digests.
  CDictPtr cdict(ZSTD_createCDict_advanced2(data(), size(), ZSTD_dlm_byRef, type_, params.get(), tracked_custom_mem()));
  if (!cdict) {
    if (id() > kMaxDictId) return id_too_large(id());
    return Status(type_ == ZSTD_dct_rawContent ? ZSTD_error_memory_allocation : ZSTD_error_dictionary_corrupted,
                  "cannot digest the dictionary for compression at level " + std::to_string(level));
  }
  const ZSTD_CDict* digest = cdict.get();
  cdicts_.emplace(level, std::move(cdict));
  return digest;
}

Result<const ZSTD_DDict*> Dictionary::ddict() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ddict_) {
    ddict_.reset(ZSTD_createDDict_advanced(data(), size(), ZSTD_dlm_byRef, type_, tracked_custom_mem()));
    if (!ddict_) {
      return Status(type_ == ZSTD_dct_rawContent ? ZSTD_error_memory_allocation : ZSTD_error_dictionary_corrupted,
                    type_ == ZSTD_dct_rawContent ? "cannot digest the dictionary"
                                                 : "not a valid zstd dictionary (header or entropy tables)");
    }
  }
  return static_cast<const ZSTD_DDict*>(ddict_.get());
}

size_t Dictionary::memory_size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t total = size();
  for (const auto& [level, cdict] : cdicts_) total += ZSTD_sizeof_CDict(cdict.get());
  if (ddict_) total += ZSTD_sizeof_DDict(ddict_.get());
  return total;
}

Result<DictionaryPtr> train_dictionary(size_t dict_size, const BufferWithSegmentsCollection& samples,
                                       const TrainOptions& options) {
  const size_t count = samples.length();
  if (count == 0) return Status(ZSTD_error_dictionaryCreation_failed, "no samples to train on");
  if (options.dict_id > kMaxDictId) return id_too_large(options.dict_id);
  if (dict_size < ZDICT_DICTSIZE_MIN) {
    return Status(LibError::out_of_range, "dictSize " + std::to_string(dict_size) + " is below the minimum of " +
                                              std::to_string(ZDICT_DICTSIZE_MIN) + " bytes");
  }
  // ZDICT wants the samples back to back.
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) total += samples.item_size(i);
  if (total > SIZE_MAX) return Status(ZSTD_error_memory_allocation, "samples too large for this platform");
  auto flat = Buffer::allocate(static_cast<size_t>(total));
  if (!flat.ok()) return flat.status();
  std::vector<size_t> sizes(count);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    sizes[i] = samples.item_size(i);
    if (sizes[i] > 0) std::memcpy(flat.value().data() + at, samples.item_data(i), sizes[i]);
    at += sizes[i];
  }
  auto out = Buffer::allocate(dict_size);
  if (!out.ok()) return out.status();

  ZDICT_fastCover_params_t params{};
  params.k = options.k;
  params.d = options.d;
  params.f = options.f;
  params.steps = options.steps;
  params.accel = options.accel;
  params.splitPoint = options.split_point;
  params.nbThreads = static_cast<unsigned>(options.threads < 1 ? 1 : options.threads);
  params.zParams.compressionLevel = options.level;
  params.zParams.dictID = options.dict_id;
  params.zParams.notificationLevel = static_cast<unsigned>(options.notifications);
  const unsigned n = static_cast<unsigned>(count);
  const size_t ret =
      options.k != 0 && options.d != 0
          ? ZDICT_trainFromBuffer_fastCover(out.value().data(), dict_size, flat.value().data(), sizes.data(), n, params)
          : ZDICT_optimizeTrainFromBuffer_fastCover(out.value().data(), dict_size, flat.value().data(), sizes.data(), n,
                                                    &params);
  if (ZDICT_isError(ret)) {
    return Status(static_cast<int>(ZSTD_getErrorCode(ret)),
                  std::string("dictionary training failed (") + ZDICT_getErrorName(ret) + ") on " +
                      std::to_string(count) + " samples of " + std::to_string(total) +
                      " bytes: give more (and more varied) samples, or a smaller dictSize");
  }
  return Dictionary::create(out.value().data(), ret, ZSTD_dct_fullDict);
}

}  // namespace zk

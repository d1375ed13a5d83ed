#include "error.h"

#include <zstd.h>
#include <zstd_errors.h>

namespace zk {

const char* error_code_name(int code) {
  switch (code) {
    case 0:
      return "";
    case ZSTD_error_GENERIC:
      return "generic";
    case ZSTD_error_prefix_unknown:
      return "prefix_unknown";
    case ZSTD_error_version_unsupported:
      return "version_unsupported";
    case ZSTD_error_frameParameter_unsupported:
      return "frame_parameter_unsupported";
    case ZSTD_error_frameParameter_windowTooLarge:
      return "frame_parameter_window_too_large";
    case ZSTD_error_corruption_detected:
      return "corruption_detected";
    case ZSTD_error_checksum_wrong:
      return "checksum_wrong";
    case ZSTD_error_literals_headerWrong:
      return "literals_header_wrong";
    case ZSTD_error_dictionary_corrupted:
      return "dictionary_corrupted";
    case ZSTD_error_dictionary_wrong:
      return "dictionary_wrong";
    case ZSTD_error_dictionaryCreation_failed:
      return "dictionary_creation_failed";
    case ZSTD_error_parameter_unsupported:
      return "parameter_unsupported";
    case ZSTD_error_parameter_combination_unsupported:
      return "parameter_combination_unsupported";
    case ZSTD_error_parameter_outOfBound:
      return "parameter_out_of_bound";
    case ZSTD_error_tableLog_tooLarge:
      return "table_log_too_large";
    case ZSTD_error_maxSymbolValue_tooLarge:
      return "max_symbol_value_too_large";
    case ZSTD_error_maxSymbolValue_tooSmall:
      return "max_symbol_value_too_small";
    case ZSTD_error_stabilityCondition_notRespected:
      return "stability_condition_not_respected";
    case ZSTD_error_stage_wrong:
      return "stage_wrong";
    case ZSTD_error_init_missing:
      return "init_missing";
    case ZSTD_error_memory_allocation:
      return "memory_allocation";
    case ZSTD_error_workSpace_tooSmall:
      return "work_space_too_small";
    case ZSTD_error_dstSize_tooSmall:
      return "dst_size_too_small";
    case ZSTD_error_srcSize_wrong:
      return "src_size_wrong";
    case ZSTD_error_dstBuffer_null:
      return "dst_buffer_null";
    case ZSTD_error_noForwardProgress_destFull:
      return "no_forward_progress_dest_full";
    case ZSTD_error_noForwardProgress_inputEmpty:
      return "no_forward_progress_input_empty";
    case ZSTD_error_frameIndex_tooLarge:
      return "frame_index_too_large";
    case ZSTD_error_seekableIO:
      return "seekable_io";
    case ZSTD_error_dstBuffer_wrong:
      return "dst_buffer_wrong";
    case ZSTD_error_srcBuffer_wrong:
      return "src_buffer_wrong";
    case ZSTD_error_sequenceProducer_failed:
      return "sequence_producer_failed";
    case ZSTD_error_externalSequences_invalid:
      return "external_sequences_invalid";
    case static_cast<int>(LibError::content_size_unknown):
      return "content_size_unknown";
    case static_cast<int>(LibError::output_too_large):
      return "output_too_large";
    case static_cast<int>(LibError::invalid_state):
      return "invalid_state";
    case static_cast<int>(LibError::out_of_range):
      return "out_of_range";
    case static_cast<int>(LibError::seek_table_invalid):
      return "seek_table_invalid";
    default:
      return "generic";
  }
}

Status Status::from_zstd(size_t ret, const char* context) {
  if (!ZSTD_isError(ret)) return Status();
  std::string message = ZSTD_getErrorName(ret);
  if (context != nullptr) message = std::string(context) + ": " + message;
  return Status(static_cast<int>(ZSTD_getErrorCode(ret)), std::move(message));
}

const char* Status::name() const { return error_code_name(code_); }

Status Status::prefixed(const std::string& prefix) const { return ok() ? Status() : Status(code_, prefix + message_); }

}  // namespace zk

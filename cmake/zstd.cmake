# libzstd built from the source that scripts/bootstrap.sh fetched (Debian's 1.5.4, checksum
# verified). One static target; threaded or not according to ZSTDKIT_THREADS.
set(ZSTD_SOURCE_DIR "${PROJECT_SOURCE_DIR}/third_party/zstd" CACHE PATH "libzstd source tree")
if(NOT EXISTS "${ZSTD_SOURCE_DIR}/lib/zstd.h")
  message(FATAL_ERROR "libzstd source not found at ${ZSTD_SOURCE_DIR}: run scripts/bootstrap.sh first")
endif()

file(GLOB ZSTD_SOURCES CONFIGURE_DEPENDS
  "${ZSTD_SOURCE_DIR}/lib/common/*.c"
  "${ZSTD_SOURCE_DIR}/lib/compress/*.c"
  "${ZSTD_SOURCE_DIR}/lib/decompress/*.c"
  "${ZSTD_SOURCE_DIR}/lib/dictBuilder/*.c")

# Two fixes to libzstd 1.5.4's multi-threaded compressor, applied to a copy in the build tree
# (each must match exactly once, or the build stops: a new libzstd must be checked by hand).
# Every threaded context here shares one thread pool (ZSTD_CCtx_refThreadPool), and with a
# shared pool libzstd
# - frees a context without waiting for the jobs it queued there (ZSTDMT_freeCCtx only joins a
#   pool it owns): a stream dropped mid-frame, or a call out of output room, left workers
#   writing into freed memory;
# - keeps `jobReady` (a job prepared while every worker was busy) across the release of all job
#   descriptions, so the next frame posted the zeroed description as a job.
function(zk_patch_once content_var old new what)
  string(FIND "${${content_var}}" "${old}" first)
  string(FIND "${${content_var}}" "${old}" last REVERSE)
  if(first EQUAL -1 OR NOT first EQUAL last)
    message(FATAL_ERROR "libzstd patch '${what}' does not apply exactly once: check the libzstd version")
  endif()
  string(REPLACE "${old}" "${new}" patched "${${content_var}}")
  set(${content_var} "${patched}" PARENT_SCOPE)
endfunction()
# libzstd's lib/PATH into `content_var`, to be patched (cmake re-runs when it changes).
function(zk_read_source path content_var)
  set(original "${ZSTD_SOURCE_DIR}/lib/${path}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${original}")
  file(READ "${original}" content)
  set(${content_var} "${content}" PARENT_SCOPE)
endfunction()
# Builds the patched `content` of lib/PATH, a copy in the build tree, instead of the original.
function(zk_use_patched_source path content)
  set(original "${ZSTD_SOURCE_DIR}/lib/${path}")
  set(patched "${CMAKE_BINARY_DIR}/zstd-patched/lib/${path}")
  file(WRITE "${patched}.new" "${content}")
  configure_file("${patched}.new" "${patched}" COPYONLY)  # rewritten only when it changes
  # Its includes ("../common/pool.h", "zstd_ldm.h") resolve from the original's folder.
  get_filename_component(original_dir "${original}" DIRECTORY)
  set_source_files_properties("${patched}" PROPERTIES INCLUDE_DIRECTORIES "${original_dir}")
  set(sources ${ZSTD_SOURCES})
  list(REMOVE_ITEM sources "${original}")
  list(APPEND sources "${patched}")
  set(ZSTD_SOURCES ${sources} PARENT_SCOPE)
endfunction()
zk_read_source(compress/zstdmt_compress.c zstdmt)
zk_patch_once(zstdmt
  "        POOL_free(mtctx->factory);   /* stop and free worker threads */\n    ZSTDMT_releaseAllJobResources(mtctx);"
  "        POOL_free(mtctx->factory);   /* stop and free worker threads */\n    else\n        ZSTDMT_waitForAllJobsCompleted(mtctx);  /* zstd-kit: a shared pool may still run them */\n    ZSTDMT_releaseAllJobResources(mtctx);"
  "free waits for the jobs")
zk_patch_once(zstdmt
  "    mtctx->inBuff.filled = 0;\n    mtctx->allJobsCompleted = 1;\n}"
  "    mtctx->inBuff.filled = 0;\n    mtctx->allJobsCompleted = 1;\n    mtctx->jobReady = 0;  /* zstd-kit: its description is gone */\n}"
  "release forgets the ready job")
zk_use_patched_source(compress/zstdmt_compress.c "${zstdmt}")

# And one cut from the compressor: the dedicated-dictionary-search block compressors, reached
# only through the experimental ZSTD_c_enableDedicatedDictSearch that zstd-kit never sets. Setting
# it is refused (parameter_unsupported) and the selection tables no longer name them, so the
# linker drops them and their search functions: ~4 KB of what a browser downloads (gzip).
zk_read_source(compress/zstd_compress.c zstdc)
zk_patch_once(zstdc
  "        CCtxParams->enableDedicatedDictSearch = (value!=0);\n"
  "        RETURN_ERROR_IF(value != 0, parameter_unsupported, \"zstd-kit: dedicated dictionary search is not built\");\n        CCtxParams->enableDedicatedDictSearch = 0;\n"
  "dedicated dictionary search refused")
zk_patch_once(zstdc
  "          ZSTD_compressBlock_greedy_dedicatedDictSearch,\n          ZSTD_compressBlock_lazy_dedicatedDictSearch,\n          ZSTD_compressBlock_lazy2_dedicatedDictSearch,\n"
  "          NULL,  /* zstd-kit: no dedicated dictionary search */\n          NULL,\n          NULL,\n"
  "dedicated dictionary search left out of the block compressors")
zk_patch_once(zstdc
  "            { ZSTD_compressBlock_greedy_dedicatedDictSearch_row,\n            ZSTD_compressBlock_lazy_dedicatedDictSearch_row,\n            ZSTD_compressBlock_lazy2_dedicatedDictSearch_row }\n"
  "            { NULL, NULL, NULL }  /* zstd-kit: no dedicated dictionary search */\n"
  "dedicated dictionary search left out of the row-based block compressors")
zk_use_patched_source(compress/zstd_compress.c "${zstdc}")

# The trainer's one warning with a float (%f) is the only reason the wasm carried printf's
# floating-point formatting (LLVM turns every other fprintf into the integer-only one): 2.1 KB
# of the browser's gzip. It prints the same ratio with two decimals from integers.
zk_read_source(dictBuilder/cover.c cover)
zk_patch_once(cover
  "size(source)/size(dictionary) = %f, but it should be >= "
  "size(source)/size(dictionary) = %u.%02u, but it should be >= "
  "the small-corpus warning's format")
zk_patch_once(cover
  "(U32)nbDmers, ratio);"
  "(U32)nbDmers, (U32)ratio, (U32)(ratio * 100) % 100);  /* zstd-kit: no %f */"
  "the small-corpus warning's arguments")
zk_use_patched_source(dictBuilder/cover.c "${cover}")

add_library(zstd_static STATIC ${ZSTD_SOURCES})
target_include_directories(zstd_static SYSTEM PUBLIC "${ZSTD_SOURCE_DIR}/lib")
target_compile_definitions(zstd_static
  PUBLIC XXH_NAMESPACE=ZSTD_ ZSTD_LEGACY_SUPPORT=0
  PRIVATE ZSTD_DISABLE_ASM)
if(ZSTDKIT_THREADS)
  target_compile_definitions(zstd_static PUBLIC ZSTD_MULTITHREAD)
  target_link_libraries(zstd_static PUBLIC Threads::Threads)
endif()
# libzstd is always optimised: the sanitizers build our code, not zstd's speed.
target_compile_options(zstd_static PRIVATE -O3)
if(EMSCRIPTEN)
  # Code no hot path runs, optimised for size to keep the browser download small: the legacy
  # trainer's suffix sorting and dictionary finishing (trainDictionary uses fastCover, which
  # stays -O3), target-size superblocks, digested-dictionary set-up.
  set_source_files_properties("${ZSTD_SOURCE_DIR}/lib/dictBuilder/divsufsort.c" "${ZSTD_SOURCE_DIR}/lib/dictBuilder/zdict.c"
    "${ZSTD_SOURCE_DIR}/lib/compress/zstd_compress_superblock.c" "${ZSTD_SOURCE_DIR}/lib/decompress/zstd_ddict.c"
    PROPERTIES COMPILE_OPTIONS "-Oz")
endif()
if(ZSTDKIT_SANITIZER_FLAGS MATCHES "undefined")
  # libzstd 1.5.4 computes prefetch addresses from a null dictEnd on corrupt input
  # (ZSTD_prefetchMatch: "only used for prefetching, not for dereferencing"): UBSan's
  # pointer-overflow check would report that; every other check stays on for libzstd too.
  target_compile_options(zstd_static PRIVATE -fno-sanitize=pointer-overflow)
endif()

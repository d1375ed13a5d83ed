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

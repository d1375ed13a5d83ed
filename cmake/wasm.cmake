# Link options for the wasm modules, in one place. Each build (threaded or not) links the glue
# flavours of the same code: CommonJS for Node and an ES module for browsers; the single-threaded
# build also links one for Cloudflare's workerd, where code generation is refused.
# scripts/build.mjs post-processes the glue (scripts/glue.mjs) and lays out dist/.
set(ZSTDKIT_WASM_COMMON_LINK
  -O3 -lembind
  -fno-rtti                           # embind's own library without RTTI, as our code (CMakeLists.txt)
  -sMODULARIZE=1
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
  # Grow by at most 4 MiB more than asked: the default (20%, up to 96 MiB) leaves the heap far
  # above the peak the library allocates, for good (wasm memory never shrinks).
  -sMEMORY_GROWTH_GEOMETRIC_CAP=4194304
  -sABORTING_MALLOC=0                 # out of memory is a NULL we report, never an abort
  # Leave the user's process alone: no uncaughtException/unhandledRejection handlers, no exit code 7.
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
  -sINCOMING_MODULE_JS_API=[wasmBinary,instantiateWasm,locateFile,print,printErr,mainScriptUrlOrBlob,zkPoolSize,zkNewWorker,zkWorkerError]
  -sEXPORTED_RUNTIME_METHODS=[]
  --post-js "${PROJECT_SOURCE_DIR}/src/wasm/post.js")

if(ZSTDKIT_THREADS)
  list(APPEND ZSTDKIT_WASM_COMMON_LINK
    -pthread
    # The pool is sized by the loader (Module.zkPoolSize): every thread a synchronous call may
    # start must find a pre-loaded worker, so the core caps its threads to this pool.
    "-sPTHREAD_POOL_SIZE=Module.zkPoolSize"
    -sPTHREAD_POOL_SIZE_STRICT=2)
  set(ZSTDKIT_WASM_FLAVOURS node web)
else()
  set(ZSTDKIT_WASM_FLAVOURS node web workerd)
endif()

function(zstdkit_add_wasm_module name sources)
  foreach(flavour ${ZSTDKIT_WASM_FLAVOURS})
    set(target "${name}-${flavour}")
    add_executable(${target} ${sources})
    target_link_libraries(${target} PRIVATE zstdkit_core)
    if(flavour STREQUAL "node")
      set(env -sENVIRONMENT=node,worker -sEXPORT_NAME=createZstdKitModule)
    elseif(flavour STREQUAL "web")
      set(env -sENVIRONMENT=web,worker -sEXPORT_ES6=1 -sEXPORT_NAME=createZstdKitModule)
    else()
      # embind's fast invokers are made with new Function, which workerd refuses; its
      # closure-based ones cost ~0.2 us more per call, so only this flavour uses them.
      set(env -sENVIRONMENT=web,worker -sEXPORT_ES6=1 -sEXPORT_NAME=createZstdKitModule -sDYNAMIC_EXECUTION=0)
    endif()
    set_target_properties(${target} PROPERTIES OUTPUT_NAME "${name}" SUFFIX ".js"
      RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/${flavour}")
    target_link_options(${target} PRIVATE ${ZSTDKIT_WASM_COMMON_LINK} ${env})
  endforeach()
endfunction()

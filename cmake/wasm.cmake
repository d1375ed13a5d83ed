# Link options for the wasm modules, in one place. Each build (threaded or not) links two
# glue flavours of the same code: CommonJS for Node and an ES module for browsers.
set(ZSTDKIT_WASM_COMMON_LINK
  -O3 -lembind
  -sMODULARIZE=1
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
  -sABORTING_MALLOC=0                 # out of memory is a NULL we report, never an abort
  -sINCOMING_MODULE_JS_API=[wasmBinary,instantiateWasm,locateFile,print,printErr,mainScriptUrlOrBlob,zkPoolSize]
  -sEXPORTED_RUNTIME_METHODS=[]
  --post-js "${PROJECT_SOURCE_DIR}/src/wasm/post.js")

if(ZSTDKIT_THREADS)
  list(APPEND ZSTDKIT_WASM_COMMON_LINK
    -pthread
    # The pool is sized by the loader (Module.zkPoolSize): every thread a synchronous call may
    # start must find a pre-loaded worker, so the core caps its threads to this pool.
    "-sPTHREAD_POOL_SIZE=Module.zkPoolSize"
    -sPTHREAD_POOL_SIZE_STRICT=2)
endif()

function(zstdkit_add_wasm_module name sources)
  foreach(flavour node web)
    set(target "${name}-${flavour}")
    add_executable(${target} ${sources})
    target_link_libraries(${target} PRIVATE zstdkit_core)
    if(flavour STREQUAL "node")
      set(env -sENVIRONMENT=node,worker -sEXPORT_NAME=createZstdKitModule)
      set_target_properties(${target} PROPERTIES OUTPUT_NAME "${name}" SUFFIX ".js"
        RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/node")
    else()
      set(env -sENVIRONMENT=web,worker -sEXPORT_ES6=1 -sEXPORT_NAME=createZstdKitModule)
      set_target_properties(${target} PROPERTIES OUTPUT_NAME "${name}" SUFFIX ".js"
        RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/web")
    endif()
    target_link_options(${target} PRIVATE ${ZSTDKIT_WASM_COMMON_LINK} ${env})
  endforeach()
endfunction()

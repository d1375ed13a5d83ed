// Streaming APIs on the single-threaded build: every API works, threads options run on one
// thread, and growing wasm memory detaches old views of it (suites in tests/js/stream/).
require('./stream/index.cjs')({ threads: false });

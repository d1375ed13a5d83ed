// Streaming APIs on the threaded build (one suite per API in tests/js/stream/).
require('./stream/index.cjs')({});

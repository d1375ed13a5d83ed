// Streaming APIs on the threaded build (the suite is in stream.suite.cjs).
require('./stream.suite.cjs')({});

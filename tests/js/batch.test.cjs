// Batch APIs on the threaded build (the suite is in batch.suite.cjs).
require('./batch.suite.cjs')({});

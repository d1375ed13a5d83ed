// Batch APIs on the single-threaded build: threads options run on one thread, async variants
// yield to the event loop between slices.
require('./batch.suite.cjs')({ threads: false });

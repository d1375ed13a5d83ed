// Heap footprint of large one-shot round trips, single-threaded build (suite in memory-footprint.suite.cjs).
require('./memory-footprint.suite.cjs')({ threads: false });

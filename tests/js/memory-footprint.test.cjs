// Heap footprint of large one-shot round trips, threaded build (suite in memory-footprint.suite.cjs).
require('./memory-footprint.suite.cjs')({});

// One-liners and async one-shot forms on the single-threaded build: the async forms run in
// slices between event-loop turns (suite in oneshot.suite.cjs).
require('./oneshot.suite.cjs')({ threads: false });

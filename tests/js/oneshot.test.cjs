// One-liners and async one-shot forms on the threaded build (suite in oneshot.suite.cjs).
require('./oneshot.suite.cjs')({});

// Appended to the generated glue: a view of the current wasm memory. With pthreads another
// thread may have grown memory since the glue last refreshed HEAPU8, so compare buffers.
Module['heapU8'] = function () {
  if (HEAPU8.buffer !== wasmMemory.buffer) updateGlobalBufferAndViews(wasmMemory.buffer);
  return HEAPU8;
};
// Workers that keep Node's event loop alive while idle; the loader unrefs them.
Module['pthreadWorkers'] = function () {
  return typeof PThread === 'undefined' ? [] : PThread.unusedWorkers.concat(PThread.runningWorkers);
};
// Pre-loaded pthread workers not in use: threads started now can run at once.
Module['idlePthreadWorkers'] = function () {
  return typeof PThread === 'undefined' ? 0 : PThread.unusedWorkers.length;
};

// The async one-shot forms (compressAsync / decompressAsync): they never block the calling thread
// for long. Threaded build: the call runs on the module's job thread with a context of its own
// while this thread waits on an Atomics flag. Single-threaded build: it runs here in slices of a
// few milliseconds (a streaming session, or the decoder's steps) between event-loop turns. In
// both, the input is copied into wasm memory in the first slices and the result leaves in
// slices too: one copy of many MiB, or a first touch of a large JS array in a browser, would be
// the longest task of the call.
import { SLICE_MS, untilSet, yieldToEventLoop } from './batch.js';
import { alignedCopyAt, copyIn, inputSize, malloc, newResultArray } from './input.js';
import { check, heap, wasm } from './runtime.js';

// Bytes copied per look at the clock: 1 MiB takes well under a millisecond to copy.
const COPY_PIECE = 1 << 20;

/** Calls fn(ptr, size) with a copy of the normalized input in wasm memory, freed when fn settles. */
export async function withStagedInput(input, fn) {
  const M = wasm();
  const size = inputSize(input);
  const block = malloc(M, size + 8);
  // A copy from JS memory at the input's alignment: see alignedCopyAt().
  const ptr = input instanceof Uint8Array ? alignedCopyAt(block, input.byteOffset) : block;
  try {
    if (input instanceof Uint8Array) {
      // In pieces: a copy of many MiB at once would be the longest task of the call.
      let sliceStart = performance.now();
      for (let at = 0; at < size; at += COPY_PIECE) {
        const end = Math.min(size, at + COPY_PIECE);
        heap().set(input.subarray(at, end), ptr + at);
        if (end < size && performance.now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
    } else {
      copyIn(input, ptr); // within wasm memory: a memcpy
    }
    return await fn(ptr, size);
  } finally {
    M.free(block);
  }
}

/** Runs a OneShotTask handle on the job thread; resolves to its result bytes. */
export async function runTask(task) {
  try {
    task.runAsync();
    await untilSet(task.statePtr());
    return await takeBuffer(check(task.takeResult()));
  } finally {
    task.delete();
  }
}

/** A JS-owned copy of an embind Buffer handle's bytes, made in slices; deletes the handle. */
export async function takeBuffer(buffer) {
  try {
    return await copyOutInSlices(() => [buffer.ptr(), buffer.size()]);
  } finally {
    buffer.delete();
  }
}

/** A JS-owned copy of the wasm bytes region() says ([ptr, size], asked again after each yield). */
export async function copyOutInSlices(region) {
  let [ptr, size] = region();
  const out = newResultArray(size);
  let sliceStart = performance.now();
  for (let at = 0; at < size; at += COPY_PIECE) {
    const end = Math.min(size, at + COPY_PIECE);
    out.set(heap().subarray(ptr + at, ptr + end), at);
    if (end < size && performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
      [ptr, size] = region();
    }
  }
  return out;
}

/**
 * Calls step(budget) (true when done) in slices of about SLICE_MS, yielding to the event loop
 * between them; `budget` adapts so that a slice takes about that long.
 */
export async function runSteps(step, budget = 64 << 10, min = 1024) {
  for (;;) {
    const start = performance.now();
    if (step(budget)) return;
    const took = performance.now() - start;
    if (took < SLICE_MS / 2) budget = Math.min(budget * 2, 64 << 20);
    else if (took > SLICE_MS * 2) budget = Math.max(Math.floor(budget / 2), min);
    await yieldToEventLoop();
  }
}

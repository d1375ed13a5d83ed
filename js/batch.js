// Running batch jobs (the multi* APIs): synchronously on the calling thread plus pool threads,
// or without blocking it — on the module's job thread in the threaded build, in slices between
// event-loop turns in the single-threaded one.
import { rangeError, typeError } from './errors.js';
import { malloc, toUint8Array } from './input.js';
import { batchInput, collectionFromHandle } from './segments.js';
import { check, features, heap, wasm } from './runtime.js';

/**
 * Makes a job with makeJob(collectionHandle) over `data`, runs it to the end, and returns the
 * result collection. Everything the call created is deleted whatever happens.
 */
export function runBatch(data, makeJob) {
  const input = batchInput(data);
  let job = null;
  try {
    job = check(makeJob(input.handle));
    if (input.fill !== null && features.threads) {
      // Pool threads start on the first items while this thread copies in the rest.
      job.holdInput();
      job.begin();
      try {
        for (const ready of input.fill()) job.releaseInput(ready);
      } finally {
        job.releaseInput(ALL);
      }
      job.finish();
    } else {
      if (input.fill !== null) for (const _ of input.fill());
      job.run();
    }
    return collectionFromHandle(check(job.takeResult()));
  } finally {
    job?.delete();
    input.release();
  }
}

/** As runBatch(), without blocking the calling thread while the work runs. */
export async function runBatchAsync(data, makeJob) {
  let sliceStart = performance.now();
  const pauseIfDue = async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await yieldToEventLoop();
    sliceStart = performance.now();
  };
  const input = batchInput(data);
  let job = null;
  try {
    job = check(makeJob(input.handle));
    if (features.threads) {
      // The job thread starts on the first items while this thread copies in the rest.
      if (input.fill !== null) job.holdInput();
      job.runAsync();
      try {
        if (input.fill !== null) {
          for (const ready of input.fill()) {
            job.releaseInput(ready);
            await pauseIfDue();
          }
        }
      } finally {
        // Whatever happened, the job thread is done with the job before it is deleted.
        job.releaseInput(ALL);
        await untilSet(job.statePtr());
      }
    } else {
      if (input.fill !== null) for (const _ of input.fill()) await pauseIfDue();
      await runInSlices(job);
    }
    return collectionFromHandle(check(job.takeResult()));
  } finally {
    job?.delete();
    input.release();
  }
}

// releaseInput() value for "every item".
const ALL = 2 ** 32 - 1;

const noop = () => {};

// Resolves once the int32 at ptr is non-zero. Atomics.waitAsync wakes us as soon as the job
// thread sets it; a timer keeps Node's event loop alive meanwhile (a pending waitAsync does
// not), and where waitAsync is missing, polling does the job.
export async function untilSet(ptr) {
  const index = ptr >> 2;
  for (;;) {
    const cells = new Int32Array(heap().buffer); // memory may have grown since the last look
    if (Atomics.load(cells, index) !== 0) return;
    const wait = typeof Atomics.waitAsync === 'function' ? Atomics.waitAsync(cells, index, 0, 200) : null;
    if (wait !== null && !wait.async) continue;
    const keepAlive = setTimeout(noop, 250);
    try {
      await (wait !== null ? wait.value : sleep(1));
    } finally {
      clearTimeout(keepAlive);
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Gives the event loop a turn: timers, I/O and rendering run before the next slice.
export const yieldToEventLoop =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              resolve();
            };
            channel.port2.postMessage(null);
          })
      : () => sleep(0);

// Slices of about 4 ms: long enough that yielding costs little, short enough for a 60 Hz frame.
export const SLICE_MS = 4;

async function runInSlices(job) {
  let budget = 64 << 10;
  for (;;) {
    const start = performance.now();
    if (job.step(budget)) return;
    const took = performance.now() - start;
    if (took < SLICE_MS / 2) budget = Math.min(budget * 2, 64 << 20);
    else if (took > SLICE_MS * 2) budget = Math.max(budget / 2, 1024);
    await yieldToEventLoop();
  }
}

/**
 * decompressedSizes as a wasm copy: a BigUint64Array, its bytes, or an array of numbers or
 * bigints. Returns { ptr, count, release } (ptr 0 when not given).
 */
export function stageSizes(sizes) {
  if (sizes === undefined || sizes === null) return { ptr: 0, count: 0, release: noop };
  let table;
  if (Array.isArray(sizes)) {
    table = new BigUint64Array(sizes.length);
    sizes.forEach((size, i) => {
      if ((typeof size !== 'number' && typeof size !== 'bigint') || size < 0 || (typeof size === 'number' && !Number.isInteger(size))) {
        throw typeError(`decompressedSizes[${i}] must be a non-negative integer`);
      }
      table[i] = BigInt(size);
    });
  } else if (sizes instanceof BigUint64Array) {
    table = sizes;
  } else {
    if (typeof sizes !== 'object') throw typeError('decompressedSizes must be a BigUint64Array or its bytes');
    const bytes = toUint8Array(sizes, 'decompressedSizes');
    if (bytes.length % 8 !== 0) throw rangeError(`decompressedSizes holds ${bytes.length} bytes: not a multiple of 8`);
    table = bytes;
  }
  const bytes = new Uint8Array(table.buffer, table.byteOffset, table.byteLength);
  const M = wasm();
  const ptr = malloc(M, Math.max(8, bytes.length));
  heap().set(bytes, ptr);
  return { ptr, count: bytes.length / 8, release: () => M.free(ptr) };
}

// What the batch and dictionary sections time the same way: zstd-kit's per-item loops and its
// multi* calls, each result checked (untimed) and freed.
import { timeCalls, timeCallsAsync } from './stats.mjs';

export const has = (obj, name) => typeof obj?.[name] === 'function';
export const free = (x) => x?.free?.();

/** Per-item loops: c.compress(doc) over docs, d.decompress(frame) over frames; each returns bytes out. */
export function perItemLoops(c, d, docs, frames) {
  return {
    compress: () => {
      let bytes = 0;
      for (const doc of docs) bytes += c.compress(doc).length;
      return bytes;
    },
    decompress: () => {
      let bytes = 0;
      for (const frame of frames) bytes += d.decompress(frame).length;
      return bytes;
    },
  };
}

/**
 * Timers for multi* calls: timed(obj, fn, input, threads) -> (() => ms[]) or null when the API is
 * missing. After every call, untimed: the collection holds `items` items (decompressed: `bytes`
 * bytes in all), `extraCheck(fn, result)` passes, then it is freed.
 */
export function batchTimers(iterations, items, bytes, extraCheck = () => {}) {
  const checkAndFree = (fn) => (r) => {
    try {
      if (typeof r?.length === 'number' && r.length !== items) throw new Error(`${fn} returned ${r.length} items, not ${items}`);
      const size = typeof r?.size === 'function' ? r.size() : null;
      if (fn.startsWith('multiDecompress') && size !== null && size !== bytes) {
        throw new Error(`${fn} returned ${size} bytes, not ${bytes}`);
      }
      extraCheck(fn, r);
    } finally {
      free(r);
    }
  };
  const timer = (time) => (obj, fn, input, threads) =>
    has(obj, fn) && input ? () => time(() => obj[fn](input, { threads }), iterations, checkAndFree(fn)) : null;
  return { timedSync: timer(timeCalls), timedAsync: timer(timeCallsAsync) };
}

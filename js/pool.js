// How many threads one operation may use, and how many pthread workers to pre-load for that:
// each of those threads, plus one for a background job, must find a worker already loaded.
const MAX_THREADS_CAP = 8;

/**
 * The threads of the machine (`hardwareConcurrency`), at most init()'s `maxThreads` when given:
 * fewer threads also mean fewer workers to start (each costs ~50 ms of CPU to boot).
 */
export function planThreads(hardwareConcurrency, requested = undefined) {
  const maxThreads = Math.max(1, Math.min(MAX_THREADS_CAP, hardwareConcurrency || 1, requested ?? Infinity));
  return { maxThreads, poolSize: maxThreads + 2 };
}

/** Throws for a bad init() `maxThreads` (undefined: as many as the machine has, up to MAX_THREADS_CAP). */
export function checkMaxThreads(options) {
  const n = options.maxThreads;
  if (n === undefined) return;
  if (typeof n !== 'number') throw new TypeError(`init(): maxThreads must be a number, got ${typeof n}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`init(): maxThreads must be an integer >= 1, got ${n}`);
}

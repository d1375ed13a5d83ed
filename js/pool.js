// How many threads one operation may use, and how many pthread workers to pre-load for that:
// each of those threads, plus one for a background job, must find a worker already loaded.
const MAX_THREADS_CAP = 8;

export function planThreads(hardwareConcurrency) {
  const maxThreads = Math.max(1, Math.min(MAX_THREADS_CAP, hardwareConcurrency || 1));
  return { maxThreads, poolSize: maxThreads + 2 };
}

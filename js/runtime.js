// The one loaded wasm module and what hangs off it: features, memory accounting, views of wasm
// memory, and check(), the one place a binding's failure becomes an exception.
import { errorFrom, ZstdError } from './errors.js';
import { checkMaxThreads } from './pool.js';

/** @type {any} */
let M = null;
/** @type {Promise<any> | null} */
let loading = null;

/** What the loaded build can do; filled in by init(). */
export const features = {
  threads: false,
  maxThreads: 1,
  // Always false: neither build is compiled for wasm SIMD (-msimd128 measured no gain for zstd).
  simd: false,
  zstdVersion: '1.5.4',
  /** Why the threaded build was wanted but is not loaded (ZstdError('load_failed') with a cause), else null. */
  threadsError: null,
};

/** Inputs up to this size take the (de)compressors' scratch path; set from the module at init. */
export let SMALL_INPUT = 0;
/** What Decompressor.decompressSmall() returns for a frame that needs the general path. */
export let SMALL_DECLINED = 0;

/** The loaded module; throws ZstdError('not_initialized') before init() resolves. */
export function wasm() {
  if (M === null) throw new ZstdError('not_initialized', 'call and await zstd.init() first');
  return M;
}

/**
 * The value of a binding call that can fail: a failed call returns null (a handle) or a
 * negative number (a size or status) and records why; this throws the error that record means.
 */
export function check(value) {
  if (value === null || value < 0) throw errorFrom(M.lastErrorCode(), M.lastErrorMessage());
  return value;
}

let heapView = null;

/** A view of the whole wasm memory as it is now (memory may have grown since the last call). */
export function heap() {
  return (heapView = M.heapU8());
}

/**
 * A view of wasm memory that reaches at least `end`: the last one made unless memory has grown
 * past it since (a grown single-threaded memory detaches old views: their length drops to 0).
 * Hot paths use it because asking the module costs more than the copy of a small item.
 */
export function heapUpTo(end) {
  return heapView !== null && heapView.length >= end ? heapView : heap();
}

/**
 * Loads a build once, whatever the number of calls. `load(options)` is the environment's
 * loader (Node, browser or workerd); it resolves to { module, threads, threadsError }.
 */
export async function initWith(load, options, namespace) {
  if (M === null) {
    if (loading === null) {
      // Checked here, for every loader: inside one, a bad value would read as a threaded build that
      // failed to start, and init() would go on single-threaded.
      checkMaxThreads(options ?? {});
      loading = load(options ?? {}).then(({ module, threads, threadsError = null }) => {
        M = module;
        SMALL_INPUT = M.SMALL_INPUT;
        SMALL_DECLINED = M.SMALL_DECLINED;
        features.threads = threads;
        features.threadsError = threadsError;
        features.maxThreads = M.maxThreads();
        const v = M.libraryConstants().versionNumber;
        features.zstdVersion = `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
      });
      loading.catch(() => {
        loading = null; // a failed load may be retried
      });
    }
    await loading;
  }
  return namespace;
}

export const memory = Object.freeze({
  /** Bytes the library currently holds in wasm memory (libzstd's contexts and every buffer). */
  totalAllocatedBytes: () => wasm().totalAllocatedBytes(),
  /** Highest value totalAllocatedBytes() has reached. */
  peakAllocatedBytes: () => wasm().peakAllocatedBytes(),
  /** Size of the wasm memory itself (it grows, never shrinks). */
  heapSize: () => wasm().heapU8().buffer.byteLength,
});

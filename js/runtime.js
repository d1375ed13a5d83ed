// The one loaded wasm module and what hangs off it: features, memory accounting, and the
// lifetime of objects that own wasm memory.
import { ZstdError } from './errors.js';

/** @type {any} */
let M = null;
/** @type {Promise<any> | null} */
let loading = null;

/** What the loaded build can do; filled in by init(). */
export const features = {
  threads: false,
  maxThreads: 1,
  simd: false,
  zstdVersion: '1.5.4',
  /** Why the threaded build was wanted but is not loaded (ZstdError('load_failed') with a cause), else null. */
  threadsError: null,
};

/** Inputs up to this size take the (de)compressors' scratch path; set from the module at init. */
export let SMALL_INPUT = 0;

/** The loaded module; throws ZstdError('not_initialized') before init() resolves. */
export function wasm() {
  if (M === null) throw new ZstdError('not_initialized', 'call and await zstd.init() first');
  return M;
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
      loading = load(options ?? {}).then(({ module, threads, threadsError = null }) => {
        M = module;
        SMALL_INPUT = M.SMALL_INPUT;
        features.threads = threads;
        features.threadsError = threadsError;
        features.maxThreads = M.maxThreads();
        const v = M.libraryConstants().versionNumber;
        features.zstdVersion = `${Math.floor(v / 10000)}.${Math.floor(v / 100) % 100}.${v % 100}`;
      });
      loading.catch(() => {
        loading = null;  // a failed load may be retried
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

const disposeSymbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');

// Frees what users forget: the held value is the embind handle, never the wrapper itself.
// (Where there is no FinalizationRegistry, as in workerd before compatibility date 2025-05-05, the
// module must still import so that init() can say what is missing; it loads nothing there.)
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        if (!handle.isDeleted()) handle.delete();
      })
    : { register() {}, unregister() {} };

/**
 * Base of every object that owns wasm memory: free(), [Symbol.dispose](), finalization,
 * and ZstdError('freed') on use after free.
 */
export class WasmObject {
  #handle;

  constructor(handle) {
    this.#handle = handle;
    registry.register(this, handle, this);
  }

  /** The live embind handle; throws ZstdError('freed') after free(). */
  get _handle() {
    if (this.#handle === null) throw new ZstdError('freed', `${this.constructor.name} was freed`);
    return this.#handle;
  }

  /** True once free() has run. */
  get freed() {
    return this.#handle === null;
  }

  /** Releases the wasm memory now. Safe to call more than once. */
  free() {
    if (this.#handle === null) return;
    registry.unregister(this);
    this.#handle.delete();
    this.#handle = null;
  }

  [disposeSymbol]() {
    this.free();
  }
}

/**
 * One embind handle shared by several JS objects (a buffer and the segments taken from it):
 * each holds a reference from ref(), usable as a WasmObject handle; the embind object is
 * deleted when the last reference is.
 */
export class SharedHandle {
  #handle;
  #refs = 0;

  constructor(handle) {
    this.#handle = handle;
  }

  /** A new reference: `.target` is the embind handle; delete() drops this reference once. */
  ref() {
    this.#refs++;
    let live = true;
    return {
      target: this.#handle,
      isDeleted: () => !live,
      delete: () => {
        if (!live) return;
        live = false;
        if (--this.#refs === 0) this.#handle.delete();
      },
    };
  }
}

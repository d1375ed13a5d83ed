// The lifetime of every object that owns wasm memory, in one place: it is live until it is freed
// (free(), [Symbol.dispose](), or the garbage collector), finishes (its work is done) or fails
// (a zstd error broke it). The memory goes at once in each case; later use throws
// ZstdError('freed'), ZstdError('invalid_state') or the failure again.
import { ZstdError } from './errors.js';

/** Symbol.dispose, or the registered symbol that runtimes without it (and their polyfills) use. */
export const DISPOSE = Symbol.dispose ?? Symbol.for('Symbol.dispose');

// Frees what users forget. The held value is the embind handle (or a reference to a shared one),
// never the wrapper itself, which would then never become unreachable.
// (Where there is no FinalizationRegistry, as in workerd before compatibility date 2025-05-05, the
// module must still import so that init() can say what is missing; it loads nothing there.)
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        if (!handle.isDeleted()) handle.delete();
      })
    : { register() {}, unregister() {} };

const LIVE = 0;
const FINISHED = 1;
const FAILED = 2;
const FREED = 3;

/**
 * Base of every object that owns wasm memory: one embind handle, deleted when the object leaves
 * the live state.
 */
export class WasmObject {
  #handle;
  #state = LIVE;
  #failure = null;

  constructor(handle) {
    this.#handle = handle;
    registry.register(this, handle, this);
  }

  /** @internal The live embind handle; throws what use in another state means. */
  get _handle() {
    if (this.#state !== LIVE) throw this.#stateError();
    return this.#handle;
  }

  /** @internal Throws unless live (for methods that read what they cached instead). */
  _assertLive() {
    if (this.#state !== LIVE) throw this.#stateError();
  }

  /** True once the wasm memory is released: by free(), or by the end or failure of the object's work. */
  get freed() {
    return this.#state !== LIVE;
  }

  /** Releases the wasm memory now. Safe to call more than once, and in any state. */
  free() {
    this.#release(FREED);
  }

  /** @internal The work is done: the memory goes, later use is ZstdError('invalid_state'). */
  _finish() {
    this.#release(FINISHED);
  }

  /** @internal A zstd error broke the object: the memory goes, later use throws `error` again. */
  _fail(error) {
    if (this.#state === LIVE) this.#failure = error;
    this.#release(FAILED);
    return error;
  }

  /** @internal Called with the handle just before it is deleted; subclasses may read it one last time. */
  _beforeRelease(_handle) {}

  /** @internal What the object is called in error messages. */
  get _name() {
    return this.constructor.name;
  }

  // A finished or failed object stays so when freed: its errors keep saying why it ended.
  #release(state) {
    if (this.#state !== LIVE) return;
    this.#state = state;
    registry.unregister(this);
    const handle = this.#handle;
    this.#handle = null;
    try {
      this._beforeRelease(handle);
    } finally {
      handle.delete();
    }
  }

  #stateError() {
    if (this.#state === FAILED) return this.#failure;
    if (this.#state === FINISHED) return new ZstdError('invalid_state', `this ${this._name} has finished: make a new one`);
    return new ZstdError('freed', `${this._name} was freed`);
  }

  [DISPOSE]() {
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

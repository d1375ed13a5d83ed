// A streaming session: one embind stream handle (its own context, input staging and output sink
// in wasm memory, reused for every chunk) and the loop that pushes input through it. The stream
// objects, the stream writer and the stream adapters are sessions (or hold one).
import { FLUSH_BLOCK, FLUSH_FRAME } from './constants.js';
import { rangeError, ZstdError } from './errors.js';
import { asInput, copyOut, inputSize, wasmRegion } from './input.js';
import { WasmObject } from './lifetime.js';
import { check, heapUpTo } from './runtime.js';

// zstd's end directives (ZSTD_EndDirective), what CompressStream.run() takes.
export const CONTINUE = 0;
export const FLUSH = 1;
export const END = 2;

const EMPTY = new Uint8Array(0);

/** zstd's end directive for a flush mode (FLUSH_BLOCK -> FLUSH, FLUSH_FRAME -> END). */
export function flushDirective(mode) {
  if (mode === undefined || mode === FLUSH_FRAME) return END;
  if (mode === FLUSH_BLOCK) return FLUSH;
  throw rangeError(`flush mode must be FLUSH_BLOCK (${FLUSH_BLOCK}) or FLUSH_FRAME (${FLUSH_FRAME}), got ${String(mode)}`);
}

// What a session runs after each load: the handle, and the output size at which to stop.
export const runCompress = (directive) => (h, maxOutput) => h.run(directive, maxOutput);
export const compressContinue = runCompress(CONTINUE);
export const runDecompress = (across) => (h, maxOutput) => h.run(across, maxOutput);

export class Session extends WasmObject {
  #input;
  #capacity;
  /** @internal Called with the handle just before its memory is released. */
  _onRelease = null;
  /**
   * @internal When true, _take() lends its output: a view of the sink in wasm memory, valid
   * until the session is used again (the sink is emptied then), not a copy. For a consumer that
   * is done with each chunk before it asks for the next (the command line's synchronous writes).
   */
  _lendOutput = false;
  #lent = false;

  constructor(handle) {
    super(handle);
    this.#input = handle.inputPtr();
    this.#capacity = handle.inputCapacity();
  }

  /**
   * @internal Pushes `data` through the session: `run()` is called after each load. Yields output
   * chunks whenever the sink holds `maxOutput` bytes (never when 0: output then stays for
   * _take()). Stops early, returning the input bytes consumed, once `stop()` says so (a
   * decompressor at the end of its frame).
   */
  *_push(data, run, maxOutput = 0, stop = null) {
    const h = this._handle;
    const input = asInput(data);
    const total = inputSize(input);
    // Input already in wasm memory is read in place, by address: running may grow memory, which
    // in the single-threaded build detaches views of it.
    const region = wasmRegion(input);
    let pos = 0;
    do {
      const n = region !== null ? total : Math.min(this.#capacity, total - pos);
      if (region !== null) {
        h.loadExternal(region[0], n);
      } else {
        heapUpTo(this.#input + n).set(n === total ? input : input.subarray(pos, pos + n), this.#input);
        h.load(n);
      }
      for (;;) {
        this.#settle();
        check(run(h, maxOutput));
        if (maxOutput > 0 && h.outputSize() >= maxOutput) yield* pieces(this._take(), maxOutput);
        if (h.done()) break;
      }
      if (stop !== null && stop(h)) return pos + n - h.inputLeft();
      pos += n;
    } while (pos < total);
    return total;
  }

  /** @internal Runs with no new input (flush / end of frame); same yields as _push(). */
  *_drain(run, maxOutput = 0) {
    const h = this._handle;
    h.load(0);
    for (;;) {
      this.#settle();
      check(run(h, maxOutput));
      if (maxOutput > 0 && h.outputSize() >= maxOutput) yield* pieces(this._take(), maxOutput);
      if (h.done()) return;
    }
  }

  /** @internal The output collected so far, as a JS-owned Uint8Array (or lent: see _lendOutput); empties the sink. */
  _take() {
    this.#settle();
    const h = this._handle;
    const size = h.outputSize();
    if (size === 0) return EMPTY;
    const ptr = h.outputPtr();
    if (this._lendOutput) {
      // Emptied on the next use: clear() may shrink the sink, giving the memory back now.
      this.#lent = true;
      return heapUpTo(ptr + size).subarray(ptr, ptr + size);
    }
    const out = copyOut(ptr, size);
    h.clear();
    return out;
  }

  // The output lent by _take() is done with: the sink is emptied.
  #settle() {
    if (!this.#lent) return;
    this.#lent = false;
    this._handle.clear();
  }

  /** @internal The chunks of `steps` (a _push() or _drain()), then the rest of the sink, each at most `size` bytes. */
  *_output(steps, size) {
    yield* steps;
    yield* pieces(this._take(), size);
  }

  /** @internal Decompressing: true once a frame has ended (and, unless reading across frames, nothing more is read). */
  _frameEnded() {
    return this._handle.frameEnded();
  }

  /** @internal Decompressing: the input ended; a ZstdError if it ended inside a frame. */
  _checkEnd() {
    check(this._handle.checkEnd());
  }

  /**
   * @internal Runs fn(); a ZstdError (zstd failed, or the session is not live) breaks the
   * session for good, releasing its memory now. A TypeError or RangeError for a bad argument
   * leaves it usable.
   */
  _guard(fn) {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ZstdError) this._fail(e);
      throw e;
    }
  }

  _beforeRelease(handle) {
    this._onRelease?.(handle);
  }
}

/** `bytes` in pieces of at most `size` bytes (none when empty). */
export function* pieces(bytes, size) {
  if (bytes.length <= size) {
    if (bytes.length > 0) yield bytes;
    return;
  }
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(bytes.length, at + size));
}

/** Runs a generator to its end; returns its return value (sync callers ignore the yields). */
export function finish(steps) {
  let step;
  do step = steps.next();
  while (!step.done);
  return step.value;
}

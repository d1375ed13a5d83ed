// A streaming session in JS: one embind stream handle (its own context, input staging and
// output sink in wasm memory, reused for every chunk) and the loop that pushes input through it.
import { FLUSH_BLOCK, FLUSH_FRAME } from './constants.js';
import { ZstdError, throwLastError } from './errors.js';
import { asInput, copyOut, inputSize, wasmRegion } from './input.js';
import { heapUpTo, WasmObject, wasm } from './runtime.js';

const CONTINUE = 0;
const EMPTY = new Uint8Array(0);

/** zstd's end directive for a flush mode (FLUSH_BLOCK -> flush, FLUSH_FRAME -> end). */
export function flushDirective(mode) {
  if (mode === undefined || mode === FLUSH_FRAME) return 2;
  if (mode === FLUSH_BLOCK) return 1;
  throw new RangeError(`flush mode must be FLUSH_BLOCK (${FLUSH_BLOCK}) or FLUSH_FRAME (${FLUSH_FRAME}), got ${String(mode)}`);
}

export class Session extends WasmObject {
  #input;
  #capacity;
  /** Called with the embind handle just before the memory is released. */
  beforeFree = null;

  constructor(handle) {
    super(handle);
    this.#input = handle.inputPtr();
    this.#capacity = handle.inputCapacity();
  }

  /**
   * Pushes `data` through the session: `run()` is called after each load and must return false
   * on error. Yields output chunks whenever the sink holds `maxOutput` bytes (never when 0:
   * output then stays for take()). Stops early, returning the input bytes consumed, once
   * `stop()` says so (a decompressor at the end of its frame).
   */
  *push(data, run, maxOutput = 0, stop = null) {
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
        if (!run(h, maxOutput)) throwLastError(wasm());
        if (maxOutput > 0 && h.outputSize() >= maxOutput) yield* pieces(this.take(), maxOutput);
        if (h.done()) break;
      }
      if (stop !== null && stop(h)) return pos + n - h.inputLeft();
      pos += n;
    } while (pos < total);
    return total;
  }

  /** Runs with no new input (flush / end of frame); same yields as push(). */
  *drain(run, maxOutput = 0) {
    const h = this._handle;
    h.load(0);
    for (;;) {
      if (!run(h, maxOutput)) throwLastError(wasm());
      if (maxOutput > 0 && h.outputSize() >= maxOutput) yield* pieces(this.take(), maxOutput);
      if (h.done()) return;
    }
  }

  free() {
    if (!this.freed && this.beforeFree !== null) this.beforeFree(this._handle);
    super.free();
  }

  /** The output collected so far, as a JS-owned Uint8Array; empties the sink. */
  take() {
    const h = this._handle;
    const size = h.outputSize();
    if (size === 0) return EMPTY;
    const out = copyOut(h.outputPtr(), size);
    h.clear();
    return out;
  }

  /** The chunks of `steps` (a push() or drain()), then the rest of the sink, each at most `size` bytes. */
  *output(steps, size) {
    yield* steps;
    yield* pieces(this.take(), size);
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

export const runCompress = (directive) => (h, maxOutput) => h.run(directive, maxOutput);
export const compressContinue = runCompress(CONTINUE);
export const runDecompress = (across) => (h, maxOutput) => h.run(across, maxOutput);

/** ZstdError('invalid_state') for an object used after it finished. */
export function finishedError(what) {
  return new ZstdError('invalid_state', `${what} has finished: make a new one`);
}

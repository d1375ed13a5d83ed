// WasmBuffer: bytes that live in wasm memory, so data can go in and results come out of
// zstd without a copy between JS and wasm.
import { copyOut } from './input.js';
import { WasmObject } from './lifetime.js';
import { integerArgument, integerOption, MAX_WASM_SIZE } from './options.js';
import { check, heap, wasm } from './runtime.js';

export class WasmBuffer extends WasmObject {
  /** @internal Wraps an embind WasmBuffer handle; use allocBuffer() to make one. */
  constructor(handle) {
    super(handle);
  }

  /** Number of bytes. */
  get size() {
    return this._handle.size();
  }

  /**
   * A Uint8Array over the bytes in wasm memory (zero-copy). Valid until free(); call view()
   * again after anything that may grow wasm memory.
   */
  view() {
    const h = this._handle;
    const ptr = h.ptr();
    return heap().subarray(ptr, ptr + h.size());
  }

  /** A JS-owned copy of the bytes. */
  toBytes() {
    const h = this._handle;
    return copyOut(h.ptr(), h.size());
  }

  /** Changes the size, keeping the first min(old, new) bytes; earlier views become stale. */
  resize(size) {
    check(this._handle.resize(integerArgument(size, 'size', 0, MAX_WASM_SIZE)));
    return this;
  }

  /** A zero-copy WasmBuffer over [offset, offset + length); it keeps this memory alive. */
  slice(offset = 0, length = undefined) {
    const size = this.size;
    const start = integerOption(offset, 'offset', 0, size, 0);
    const len = integerOption(length, 'length', 0, size - start, size - start);
    return new WasmBuffer(check(this._handle.slice(start, len)));
  }

  /** @internal [pointer, length] of the bytes, for zero-copy input. */
  _wasmRegion() {
    const h = this._handle;
    return [h.ptr(), h.size()];
  }
}

/** Allocates `size` uninitialised bytes in wasm memory. */
export function allocBuffer(size) {
  const M = wasm();
  return new WasmBuffer(check(M.allocBuffer(integerArgument(size, 'size', 0, MAX_WASM_SIZE))));
}

// The one place data crosses between JS and wasm memory: normalization of every accepted input
// type, then one bulk copy into a tracked allocation (or none, for data already in wasm memory);
// results leave with one allocation and one bulk copy.
import { typeError, ZstdError } from './errors.js';
import { describe } from './options.js';
import { heap, heapUpTo, wasm } from './runtime.js';

const encoder = new TextEncoder();

/**
 * Any accepted data argument as a Uint8Array over the same bytes (strings are UTF-8 encoded).
 * @returns {Uint8Array}
 */
export function toUint8Array(data, name = 'data') {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // toString tags rather than instanceof: buffers from another realm (a worker, vm, iframe) count too.
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(data);
  if (typeof data === 'string') return encoder.encode(data);
  throw typeError(
    `${name} must be a Uint8Array, ArrayBufferView, ArrayBuffer, SharedArrayBuffer, string or WasmBuffer; got ${describe(data)}`,
  );
}

/** Allocates tracked wasm memory; ZstdError('memory_allocation') when it cannot. */
export function malloc(M, size) {
  const ptr = M.malloc(size);
  if (ptr === 0) throw new ZstdError('memory_allocation', `cannot allocate ${size} bytes in wasm memory`);
  return ptr;
}

/** True for objects whose bytes live in wasm memory (WasmBuffer, BufferSegment, BufferWithSegments). */
export function isWasmBuffer(data) {
  return data !== null && typeof data === 'object' && typeof data._wasmRegion === 'function';
}

/** Normalizes a data argument: a WasmBuffer stays as it is, anything else becomes a Uint8Array. */
export function asInput(data, name = 'data') {
  return isWasmBuffer(data) ? data : toUint8Array(data, name);
}

/** Byte length of a normalized input. */
export function inputSize(input) {
  return input instanceof Uint8Array ? input.length : input._wasmRegion()[1];
}

// Above this, input and scratch get allocations of their own: wasm's allocator cannot hand out
// one block larger than 2 GiB, but two blocks of up to 2 GiB each fit in 4 GiB of memory.
const SHARED_ALLOCATION_LIMIT = 2 ** 30;

/**
 * Runs fn(ptr, length, scratch) with the data in wasm memory. Data already there (a WasmBuffer,
 * or a view of wasm memory) is used in place; other data is copied into a temporary allocation.
 * `extra` > 0 adds that many bytes of scratch space at `scratch` (for small inputs, right after
 * the copy, so one allocation serves both). Everything allocated is freed whatever happens.
 */
export function withInput(data, fn, extra = 0, name = 'data') {
  const M = wasm();
  const input = asInput(data, name);
  const region = wasmRegion(input);
  const length = region === null ? input.length : region[1];
  const shared = region === null && length + extra <= SHARED_ALLOCATION_LIMIT;
  let block = 0; // the allocation the copy is in
  let ptr = region === null ? 0 : region[0];
  let scratch = 0;
  try {
    if (region === null) {
      // The copy at the input's alignment, the scratch 8-aligned after it: see alignedCopyAt().
      block = malloc(M, shared ? length + extra + 16 : length + 8);
      ptr = alignedCopyAt(block, input.byteOffset);
      heap().set(input, ptr);
    }
    if (extra > 0) scratch = shared ? ptr + length + (-(ptr + length) & 7) : malloc(M, extra);
    return fn(ptr, length, scratch);
  } finally {
    if (scratch !== 0 && !shared) M.free(scratch);
    if (block !== 0) M.free(block);
  }
}

/**
 * The first address from `ptr` at the same position modulo 8 as `sourceOffset` (a byte offset
 * in an ArrayBuffer, whose memory is 8-aligned). In the threaded build wasm memory is a
 * SharedArrayBuffer, and V8 copies between it and other memory with word moves only when both
 * sides are equally aligned, byte by byte otherwise: about 4x slower.
 */
export function alignedCopyAt(ptr, sourceOffset) {
  return ptr + ((sourceOffset - ptr) & 7);
}

// [pointer, length] of input that already lives in wasm memory: a WasmBuffer, or a Uint8Array
// over wasm memory (such as a WasmBuffer's view()). It is used in place: copying it could grow
// memory, which in the single-threaded build detaches the very view being copied.
export function wasmRegion(input) {
  if (isWasmBuffer(input)) return input._wasmRegion();
  if (input.buffer === heap().buffer) return [input.byteOffset, input.length];
  return null;
}

// Small results are carved out of shared 32 KiB slabs, as Node's Buffer.allocUnsafe does:
// a fresh ArrayBuffer costs about a microsecond, a fifth of compressing a small document.
const SLAB_SIZE = 32 << 10;
const POOLED_MAX = 4 << 10;
let slab = null;
let slabUsed = 0;

// Read off globalThis: a bare `Buffer` makes bundlers (Parcel) add a polyfill to browser builds.
const NodeBuffer = globalThis.Buffer;

/**
 * A new JS-owned Uint8Array of `size` bytes for a result. Up to 4 KiB it may share its
 * ArrayBuffer with other results (copy it with slice() before transferring its buffer); larger
 * ones have their own, which in Node is not zero-filled first (every byte is about to be written).
 */
export function newResultArray(size) {
  if (size <= POOLED_MAX) {
    if (slab === null || slabUsed + size > SLAB_SIZE) {
      slab = new ArrayBuffer(SLAB_SIZE);
      slabUsed = 0;
    }
    const out = new Uint8Array(slab, slabUsed, size);
    slabUsed = (slabUsed + size + 7) & ~7;
    return out;
  }
  try {
    return typeof NodeBuffer === 'function' && NodeBuffer.allocUnsafeSlow
      ? new Uint8Array(NodeBuffer.allocUnsafeSlow(size).buffer, 0, size)
      : new Uint8Array(size);
  } catch {
    throw new ZstdError('memory_allocation', `cannot allocate ${size} bytes for the result`);
  }
}

/** `parts` (Uint8Arrays holding `total` bytes in all) copied into one new Uint8Array. */
export function concatBytes(parts, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `parts` (Uint8Arrays of `total` bytes in all) as one Uint8Array: the only part itself, else a copy of all. */
export function joinedBytes(parts, total) {
  return parts.length === 1 ? parts[0] : concatBytes(parts, total);
}

/**
 * Copies a normalized input to wasm memory at ptr, where nothing may be allocated in between
 * (a Uint8Array over wasm memory is then copied like any other).
 */
export function copyIn(input, ptr) {
  if (input instanceof Uint8Array) {
    heapUpTo(ptr + input.length).set(input, ptr);
  } else {
    const [from, length] = input._wasmRegion();
    heapUpTo(Math.max(ptr, from) + length).copyWithin(ptr, from, from + length);
  }
}

/** A JS-owned copy of wasm memory [ptr, ptr + length). */
export function copyOut(ptr, length) {
  const out = newResultArray(length);
  out.set(heapUpTo(ptr + length).subarray(ptr, ptr + length));
  return out;
}

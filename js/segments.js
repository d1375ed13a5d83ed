// The buffer types of the batch APIs (python-zstandard's BufferWithSegments family): many items
// in one wasm allocation, described by (offset, length) pairs. Segments share ownership of the
// memory with the object they came from: it lives until every one of them is freed or collected.
import { rangeError, typeError, ZstdError } from './errors.js';
import { alignedCopyAt, asInput, copyOut, malloc, toUint8Array, wasmRegion } from './input.js';
import { SharedHandle, WasmObject } from './lifetime.js';
import { check, heap, heapUpTo, wasm } from './runtime.js';

const INTERNAL = Symbol('internal');

/** Reads the (data pointer, offset, length) table of a collection handle, once per wrapper. */
function readTable(handle) {
  const n = handle.length();
  if (n === 0) return new Uint32Array(0);
  const ptr = handle.table();
  return new Uint32Array(heap().slice(ptr, ptr + n * 12).buffer);
}

function checkIndex(i, length, allowNegative) {
  if (typeof i !== 'number') throw typeError(`index must be a number, got ${typeof i}`);
  if (!Number.isInteger(i)) throw rangeError(`index must be an integer, got ${i}`);
  const index = allowNegative && i < 0 ? length + i : i;
  if (index < 0 || index >= length) throw rangeError(`index ${i} out of range (length ${length})`);
  return index;
}

/** One item: a zero-copy window on memory it shares with its BufferWithSegments or collection. */
export class BufferSegment extends WasmObject {
  #ptr;
  #offset;
  #length;

  /** @internal made by BufferWithSegments / BufferWithSegmentsCollection */
  constructor(token, ref, ptr, offset, length) {
    if (token !== INTERNAL) throw typeError('BufferSegment is made by BufferWithSegments.get()');
    super(ref);
    this.#ptr = ptr;
    this.#offset = offset;
    this.#length = length;
  }

  /** Offset of the segment within its backing buffer. */
  get offset() {
    return this.#offset;
  }

  /** Length in bytes. */
  get length() {
    return this.#length;
  }

  /** A Uint8Array over the bytes in wasm memory (zero-copy); call again after memory grows. */
  view() {
    this._assertLive();
    return heap().subarray(this.#ptr, this.#ptr + this.#length);
  }

  /** A JS-owned copy of the bytes. */
  toBytes() {
    this._assertLive();
    return copyOut(this.#ptr, this.#length);
  }

  /** @internal [pointer, length], for zero-copy input. */
  _wasmRegion() {
    this._assertLive();
    return [this.#ptr, this.#length];
  }
}

/** The (offset, length) pairs of a BufferWithSegments, as python-zstandard's BufferSegments. */
export class BufferSegments {
  #pairs;

  /** @internal */
  constructor(token, pairs) {
    if (token !== INTERNAL) throw typeError('BufferSegments is made by BufferWithSegments.segments()');
    this.#pairs = pairs;
  }

  get length() {
    return this.#pairs.length / 2;
  }

  /** { offset, length } of segment i. */
  get(i) {
    const index = checkIndex(i, this.length, false);
    return { offset: Number(this.#pairs[2 * index]), length: Number(this.#pairs[2 * index + 1]) };
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** A copy of the table: [offset0, length0, offset1, length1, ...]. */
  toBigUint64Array() {
    return this.#pairs.slice();
  }
}

// What BufferWithSegments and the collection share: a collection handle, its segment table,
// indexing and iteration over segments.
class SegmentedObject extends WasmObject {
  #shared;
  #table = null;

  constructor(handle) {
    const shared = new SharedHandle(handle);
    super(shared.ref());
    this.#shared = shared;
  }

  /** @internal the embind collection handle */
  get _collection() {
    return this._handle.target;
  }

  #segmentTable() {
    this._assertLive();
    if (this.#table === null) this.#table = readTable(this._collection);
    return this.#table;
  }

  /** Number of segments. */
  get length() {
    return this._collection.length();
  }

  /** Segment i; RangeError when out of range. */
  get(i) {
    const t = this.#segmentTable();
    const index = checkIndex(i, t.length / 3, false);
    return new BufferSegment(INTERNAL, this.#shared.ref(), t[3 * index], t[3 * index + 1], t[3 * index + 2]);
  }

  /** As get(), negative i counting from the end. */
  at(i) {
    return this.get(checkIndex(i, this.length, true));
  }

  *[Symbol.iterator]() {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.get(i);
  }

  /** @internal (offset, length) pairs of every segment. */
  _pairs() {
    const t = this.#segmentTable();
    const n = t.length / 3;
    const pairs = new BigUint64Array(2 * n);
    for (let i = 0; i < n; i++) {
      pairs[2 * i] = BigInt(t[3 * i + 1]);
      pairs[2 * i + 1] = BigInt(t[3 * i + 2]);
    }
    return pairs;
  }
}

/**
 * Items of known lengths in one backing buffer. `data` (any accepted input) is copied into wasm
 * memory once; `segments` is a BigUint64Array [offset0, length0, offset1, ...] or its bytes.
 */
export class BufferWithSegments extends SegmentedObject {
  constructor(data, segments) {
    if (data === INTERNAL) {
      super(segments);
      return;
    }
    super(createBufferWithSegments(data, segments));
  }

  /** Bytes in the backing buffer. */
  get size() {
    return this._collection.bufferSize(0);
  }

  /** The (offset, length) pairs. */
  segments() {
    return new BufferSegments(INTERNAL, this._pairs());
  }

  /** The whole backing buffer, zero-copy. */
  view() {
    const c = this._collection;
    const ptr = c.bufferPtr(0);
    return heap().subarray(ptr, ptr + c.bufferSize(0));
  }

  /** A JS-owned copy of the backing buffer. */
  toBytes() {
    const c = this._collection;
    return copyOut(c.bufferPtr(0), c.bufferSize(0));
  }

  /** @internal [pointer, length] of the backing buffer, for zero-copy input. */
  _wasmRegion() {
    const c = this._collection;
    return [c.bufferPtr(0), c.bufferSize(0)];
  }
}

/** Several BufferWithSegments seen as one sequence of segments. */
export class BufferWithSegmentsCollection extends SegmentedObject {
  constructor(...buffers) {
    if (buffers[0] === INTERNAL) {
      super(buffers[1]);
      return;
    }
    super(concatHandles(buffers));
  }

  /** Number of backing buffers. */
  get bufferCount() {
    return this._collection.bufferCount();
  }

  /** Total bytes of all backing buffers. */
  size() {
    return this._collection.totalSize();
  }
}

function concatHandles(buffers) {
  const M = wasm();
  buffers.forEach((b, i) => {
    if (!(b instanceof BufferWithSegments)) {
      throw typeError(`argument ${i} must be a BufferWithSegments, got ${b?.constructor?.name ?? typeof b}`);
    }
  });
  let acc = M.emptyCollection();
  for (const b of buffers) {
    const next = acc.concat(b._collection);
    acc.delete();
    acc = next;
  }
  return acc;
}

/** @internal wraps a collection handle made by the module */
export function collectionFromHandle(handle) {
  return new BufferWithSegmentsCollection(INTERNAL, handle);
}

// The segment table as bytes: a BigUint64Array or its bytes, 16 bytes per (offset, length).
function segmentBytes(segments) {
  if (segments instanceof BigUint64Array) {
    if (segments.length % 2 !== 0) throw rangeError('segments must hold (offset, length) pairs: its length is odd');
    return new Uint8Array(segments.buffer, segments.byteOffset, segments.byteLength);
  }
  if (typeof segments === 'string' || segments === null || typeof segments !== 'object') {
    throw typeError('segments must be a BigUint64Array [offset0, length0, ...] or its bytes');
  }
  const bytes = toUint8Array(segments, 'segments');
  if (bytes.length % 16 !== 0) throw rangeError(`segments holds ${bytes.length} bytes: not a multiple of 16`);
  return bytes;
}

function createBufferWithSegments(data, segments) {
  const M = wasm();
  const table = segmentBytes(segments);
  const input = asInput(data);
  const region = wasmRegion(input);
  const length = region !== null ? region[1] : input.length;
  const { handle, fill } = stage(
    M,
    [{ items: table.length / 16, at: 0, length, source: region ?? input }],
    length,
    table,
    table.length / 16,
  );
  for (const _ of fill());
  return handle;
}

// Allocates one wasm buffer of `total` bytes and makes a collection handle over it with `count`
// segments read from `table` (bytes; its offsets refer to the buffer). The bytes are not there
// yet: fill() is a generator that copies the `spans` in, in order ({ items, at, length, source }:
// `items` items in `length` bytes, put at offset `at`, from `source`, a Uint8Array or the
// [pointer, length] of wasm memory), yielding how many items are in place every ~256 KiB (so a
// job may start on them, or an async caller let the event loop run).
function stage(M, spans, total, table, count) {
  const buffer = check(M.allocBuffer(total));
  let segPtr = 0;
  let handle;
  let base;
  try {
    segPtr = malloc(M, Math.max(16, table.length));
    heap().set(table, segPtr);
    handle = check(M.createBufferWithSegments(buffer, segPtr, count));
    base = buffer.ptr();
  } finally {
    if (segPtr !== 0) M.free(segPtr);
    buffer.delete(); // the handle shares its storage
  }
  function* fill() {
    let items = 0;
    let sinceYield = 0;
    let h = heapUpTo(base + total);
    for (const { items: n, at, length, source } of spans) {
      if (source instanceof Uint8Array) h.set(source, base + at);
      else h.copyWithin(base + at, source[0], source[0] + length);
      items += n;
      sinceYield += length + 64 * n;
      if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        yield items;
        h = heapUpTo(base + total); // memory may have grown meanwhile
      }
    }
  }
  return { handle, fill };
}

// How much fill() copies between yields.
const YIELD_BYTES = 256 << 10;
// Items this close together in one ArrayBuffer are copied as one span, the bytes between them
// too: each copy into wasm memory costs about as much as copying a few hundred bytes, so many
// small items cut from one buffer (or results of this library, which share slabs) copy faster.
const MAX_GAP = 64;

// The items of an array input, normalized, the spans that copy them into one buffer (see
// stage()), its size, and the items' (offset, length) table in it.
function arrayItems(data, name) {
  if (!Array.isArray(data)) {
    throw typeError(`${name} must be an array of inputs, a BufferWithSegments or a BufferWithSegmentsCollection`);
  }
  const count = data.length;
  // Taken before anything is allocated: growing memory detaches views of it in the
  // single-threaded build, so views of wasm memory are recorded as regions.
  const heapBuffer = heap().buffer;
  const spans = [];
  const pairs = new Uint32Array(4 * count); // little-endian uint64 (offset, length) pairs
  let offset = 0;
  // The span being extended: items [runFirst, i) of runBuffer, bytes [runStart, runEnd).
  // (Each item's .buffer is read once: that getter costs more than the rest of the loop.)
  let runBuffer = null;
  let runFirst = 0;
  let runStart = 0;
  let runEnd = 0;
  const closeRun = (i) => {
    if (runBuffer === null) return;
    const length = runEnd - runStart;
    spans.push({ items: i - runFirst, at: offset, length, source: new Uint8Array(runBuffer, runStart, length) });
    offset += length;
    runBuffer = null;
  };
  for (let i = 0; i < count; i++) {
    const value = data[i];
    const item = value instanceof Uint8Array ? value : asInput(value, `${name}[${i}]`);
    const buffer = item instanceof Uint8Array ? item.buffer : null;
    const region = buffer === null ? item._wasmRegion() : buffer === heapBuffer ? [item.byteOffset, item.length] : null;
    if (region !== null) {
      closeRun(i);
      offset = alignedCopyAt(offset, region[0]); // offsets from an 8-aligned (malloc'd) buffer
      spans.push({ items: 1, at: offset, length: region[1], source: region });
      pairs[4 * i] = offset;
      pairs[4 * i + 2] = region[1];
      offset += region[1];
      continue;
    }
    const start = item.byteOffset;
    const length = item.length;
    const joins = buffer === runBuffer && start >= runEnd && start - runEnd <= MAX_GAP && start + length - runStart <= YIELD_BYTES;
    if (!joins) {
      closeRun(i);
      offset = alignedCopyAt(offset, start);
      runBuffer = buffer;
      runFirst = i;
      runStart = start;
    }
    runEnd = start + length;
    pairs[4 * i] = offset + (start - runStart);
    pairs[4 * i + 2] = length;
  }
  closeRun(count);
  if (offset > 2 ** 32 - 1) throw new ZstdError('memory_allocation', `${offset} bytes of input do not fit in wasm memory`);
  return { spans, total: offset, table: new Uint8Array(pairs.buffer) };
}

function isSegmented(data) {
  return data instanceof BufferWithSegments || data instanceof BufferWithSegmentsCollection;
}

/**
 * The items of a multi API as a collection handle: an array of inputs (copied into wasm memory
 * once, by running `fill()`, see stage()), a BufferWithSegments or a BufferWithSegmentsCollection
 * (used in place; `fill` is null). Returns { handle, fill, release } — release() deletes what
 * this call created.
 */
export function batchInput(data, name = 'data') {
  if (isSegmented(data)) return { handle: data._collection, fill: null, release() {} };
  const { spans, total, table } = arrayItems(data, name);
  const { handle, fill } = stage(wasm(), spans, total, table, data.length);
  return { handle, fill, release: () => handle.delete() };
}

/** As batchInput(), with the items already copied in. */
export function filledBatchInput(data, name = 'data') {
  const input = batchInput(data, name);
  if (input.fill !== null) for (const _ of input.fill());
  return input;
}

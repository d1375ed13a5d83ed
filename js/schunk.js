// SChunk: python-blosc2's super-chunk. Items of `typesize` bytes in chunks of chunkSize bytes, each
// chunk one zstd frame in wasm memory, decoded only when an operation touches it. toCframe() is a
// seekable zstd file (a header frame, one frame per chunk, the seek table); fromCframe() opens one
// copied into wasm memory, or, with { copy: false }, leaving the chunks in the caller's bytes and
// copying in only those an operation touches.
import { dictHandle } from './dictionary.js';
import { WasmBuffer } from './buffer.js';
import { rangeError, typeError, ZstdError } from './errors.js';
import { asInput, copyOut, inputSize, isWasmBuffer, malloc, newResultArray, toUint8Array, withInput } from './input.js';
import { WasmObject } from './lifetime.js';
import { fromCframeOptions, integerArgument, integerOption, schunkOptions } from './options.js';
import { check, heap, heapUpTo, wasm } from './runtime.js';

const FOOTER = 9;
// The header frame is at most this long (its metadata is capped at 1 MiB by the core).
const HEAD_MAX = 8 + 20 + (1 << 20);

// Where a result goes: `out` (any bytes of at least `size`: a view of its first `size` bytes), or new.
function outputFor(out, size) {
  if (out === undefined) return newResultArray(size);
  if (typeof out === 'string') throw typeError('out must be a typed array, DataView, ArrayBuffer or WasmBuffer');
  const u8 = toUint8Array(out, 'out');
  if (u8.length < size) throw rangeError(`out holds ${u8.length} bytes; ${size} are needed`);
  return u8.length === size ? u8 : u8.subarray(0, size);
}

// Runs decode(ptr), which writes `size` bytes at ptr in wasm memory: straight into a WasmBuffer
// `out` (no copy; the result is a view of its memory, as its view() is), else into scratch copied
// to `out` or to a new Uint8Array.
function decodeOut(out, size, decode) {
  if (isWasmBuffer(out)) {
    const [ptr, capacity] = out._wasmRegion();
    if (capacity < size) throw rangeError(`out holds ${capacity} bytes; ${size} are needed`);
    if (size > 0) decode(ptr);
    return heapUpTo(ptr + size).subarray(ptr, ptr + size);
  }
  const result = outputFor(out, size);
  if (size === 0) return result;
  const M = wasm();
  const dst = malloc(M, size);
  try {
    decode(dst);
    result.set(heapUpTo(dst + size).subarray(dst, dst + size));
    return result;
  } finally {
    M.free(dst);
  }
}

// An item index as Array.prototype.slice reads it: negative from the end, clipped to [0, n].
function sliceIndex(value, name, n, fallback) {
  if (value === undefined) return fallback;
  const i = integerOption(value, name, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return i < 0 ? Math.max(0, n + i) : Math.min(i, n);
}

export class SChunk extends WasmObject {
  #typesize;
  #chunkSize;
  #external = null; // the caller's cframe, when opened with { copy: false }

  /**
   * @param {{ chunkSize: number, typesize?: number, level?: number, dictData?: import('./dictionary.js').ZstdCompressionDict, data?: any }} options
   *   chunkSize: bytes per chunk (a multiple of typesize); data: items to append at once
   */
  constructor(options, handle = undefined, external = null) {
    const M = wasm();
    let data;
    if (handle === undefined) {
      const o = schunkOptions(options);
      handle = check(M.createSChunk(o.chunkSize, o.typesize, o.level, dictHandle(o.dictData)));
      data = o.data;
    }
    super(handle);
    this.#typesize = handle.typesize();
    this.#chunkSize = handle.chunkSize();
    this.#external = external;
    if (data !== undefined) {
      try {
        this.append(data);
      } catch (e) {
        this.free();
        throw e;
      }
    }
  }

  /**
   * An SChunk from a cframe (toCframe()'s output, or any seekable zstd file). copy true (default):
   * the bytes are copied into wasm memory once. copy false: they stay where they are (keep them
   * unchanged while the SChunk lives) and each chunk is copied in only while an operation needs it.
   * A WasmBuffer with copy false is used in place and kept alive.
   */
  static fromCframe(cframe, options = undefined) {
    const o = fromCframeOptions(options);
    const M = wasm();
    const dict = dictHandle(o.dictData);
    const input = asInput(cframe, 'cframe');
    const inPlace = input instanceof WasmBuffer && !o.copy;
    const bytes = inPlace ? null : isWasmBuffer(input) ? input.toBytes() : input;
    const size = inputSize(input);
    if (size < FOOTER) throw new ZstdError('seek_table_invalid', 'no seek table: the cframe is too short to hold one');
    const open = (whole, base) => {
      const tableSize = check(M.seekTableSize(base + size - FOOTER, FOOTER, size));
      return check(M.openSChunk(o.chunkSize, o.typesize, o.level, dict, whole, base + size - tableSize, tableSize, size, base, size));
    };
    if (inPlace) {
      const [base] = input._wasmRegion();
      return new SChunk(undefined, open(input._handle, base));
    }
    if (o.copy) {
      // One copy into wasm memory; the chunks are slices of it.
      const whole = check(M.allocBuffer(size));
      try {
        heap().set(bytes, whole.ptr());
        return new SChunk(undefined, open(whole, whole.ptr()));
      } finally {
        whole.delete(); // the chunks keep their slices of it alive
      }
    }
    // Not copied: the table and the head are staged just to open it.
    const tableSize = withInput(bytes.subarray(size - FOOTER), (ptr, n) => check(M.seekTableSize(ptr, n, size)));
    const head = bytes.subarray(0, Math.min(size, HEAD_MAX));
    const handle = withInput(bytes.subarray(size - tableSize), (table) =>
      withInput(head, (headPtr, headSize) =>
        check(M.openSChunk(o.chunkSize, o.typesize, o.level, dict, null, table, tableSize, size, headPtr, headSize)),
      ),
    );
    return new SChunk(undefined, handle, bytes);
  }

  /** Bytes per chunk. */
  get chunkSize() {
    return this.#chunkSize;
  }

  /** Bytes per item. */
  get typesize() {
    return this.#typesize;
  }

  get nchunks() {
    return this._handle.nchunks();
  }

  /** Number of items. */
  get nitems() {
    return this._handle.nbytes() / this.#typesize;
  }

  /** Uncompressed bytes. */
  get nbytes() {
    return this._handle.nbytes();
  }

  /** Compressed bytes of the chunks (the cframe adds its header and seek table). */
  get cbytes() {
    return this._handle.cbytes();
  }

  /** Appends items: fills the last chunk if it is partial, then new chunks of chunkSize bytes. */
  append(data) {
    const h = this._handle;
    const n = h.nchunks();
    return this.#withChunks(n > 0 ? n - 1 : 0, n, () => {
      withInput(data, (ptr, size) => check(h.append(ptr, size)));
      return this;
    });
  }

  /**
   * Items [start, stop) (Array.prototype.slice's indices: negative from the end, clipped) as
   * bytes: into `out` (any typed array, DataView or ArrayBuffer of at least that many bytes; the
   * result is a view of it), straight into a WasmBuffer `out` (no copy: the result is a view of
   * its wasm memory, valid as its view() is) or into a new Uint8Array. Decodes only the chunks the
   * slice touches.
   */
  getSlice(start = undefined, stop = undefined, out = undefined) {
    const h = this._handle;
    const ts = this.#typesize;
    const n = h.nbytes() / ts;
    const a = sliceIndex(start, 'start', n, 0);
    const b = Math.max(a, sliceIndex(stop, 'stop', n, n));
    const size = (b - a) * ts;
    const [first, last] = this.#touched(a * ts, b * ts);
    return this.#withChunks(first, last, () => decodeOut(out, size, (dst) => check(h.getSlice(a * ts, b * ts, dst))));
  }

  /**
   * Writes items from `value` at item `start` (0..nitems): the chunks it covers are updated and
   * what lies past the end is appended, in one call.
   */
  setSlice(start, value) {
    const h = this._handle;
    const ts = this.#typesize;
    const at = integerArgument(start, 'start', 0, h.nbytes() / ts);
    const input = asInput(value, 'value');
    const [first, last] = this.#touched(at * ts, at * ts + inputSize(input));
    return this.#withChunks(first, last, () => {
      withInput(input, (ptr, size) => check(h.setSlice(at * ts, ptr, size)), 0, 'value');
      return this;
    });
  }

  /** Chunk i decoded: into `out` (as getSlice's) or a new Uint8Array. */
  decompressChunk(i, out = undefined) {
    const h = this._handle;
    const index = integerArgument(i, 'chunk index', 0, h.nchunks() - 1);
    const size = h.chunkBytes(index);
    return this.#withChunks(index, index + 1, () => decodeOut(out, size, (dst) => check(h.decompressChunk(index, dst, size))));
  }

  /** Inserts a chunk made of `data` (1 to chunkSize bytes of whole items) before chunk i (0..nchunks). */
  insertChunk(i, data) {
    const h = this._handle;
    const index = integerArgument(i, 'chunk index', 0, h.nchunks());
    withInput(data, (ptr, size) => check(h.insertChunk(index, ptr, size)));
    return this;
  }

  /** Removes chunk i. */
  deleteChunk(i) {
    const h = this._handle;
    check(h.deleteChunk(integerArgument(i, 'chunk index', 0, h.nchunks() - 1)));
    return this;
  }

  /**
   * The cframe: a seekable zstd file (the header frame with typesize and chunk size, one frame
   * per chunk, the seek table). `zstd -d` decodes it to the items; fromCframe() reopens it.
   * @returns {Uint8Array}
   */
  toCframe() {
    const h = this._handle;
    const header = check(h.headerFrame());
    const table = check(h.seekTable());
    try {
      const n = h.nchunks();
      const total = header.size() + h.cbytes() + table.size();
      const out = newResultArray(total);
      let at = 0;
      const put = (ptr, size) => {
        out.set(heapUpTo(ptr + size).subarray(ptr, ptr + size), at);
        at += size;
      };
      put(header.ptr(), header.size());
      for (let i = 0; i < n; i++) {
        const size = h.frameSize(i);
        const ptr = h.framePtr(i);
        if (ptr !== 0) {
          put(ptr, size);
        } else {
          const from = h.sourceOffset(i);
          out.set(this.#external.subarray(from, from + size), at);
          at += size;
        }
      }
      put(table.ptr(), table.size());
      return out;
    } finally {
      header.delete();
      table.delete();
    }
  }

  /** Bytes of wasm memory this SChunk holds. */
  memorySize() {
    return this._handle.memorySize();
  }

  /** @internal The cframe header's metadata (packTensor's description), a copy. */
  _meta() {
    const h = this._handle;
    return copyOut(h.metaPtr(), h.metaSize());
  }

  /** @internal Sets the metadata written in the cframe header. */
  _setMeta(bytes) {
    const h = this._handle;
    withInput(bytes, (ptr, size) => check(h.setMeta(ptr, size)));
  }

  // The chunks [first, last) holding bytes [start, stop), for #withChunks (which needs them only
  // when opened with copy: false).
  #touched(start, stop) {
    return this.#external === null ? [0, 0] : this._handle.touched(start, stop);
  }

  // Runs fn() with the external chunks first..last-1 copied in (opened with copy: false), and
  // forgets those copies after.
  #withChunks(first, last, fn) {
    const external = this.#external;
    if (external === null) return fn();
    const h = this._handle;
    const attached = [];
    try {
      for (let i = first; i < Math.min(last, h.nchunks()); i++) {
        if (!h.external(i) || h.attached(i)) continue;
        const from = h.sourceOffset(i);
        withInput(external.subarray(from, from + h.frameSize(i)), (ptr, size) => check(h.attach(i, ptr, size)));
        attached.push(i);
      }
      return fn();
    } finally {
      // Chunk indices do not move in the operations that attach (append adds after them).
      for (const i of attached) h.detach(i);
    }
  }
}

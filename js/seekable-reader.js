// openSeekable(): random access into a seekable file (zstd's contrib/seekable_format) from any
// source (seekable-source.js). It reads the footer and seek table first (one request for a URL
// when the table is in the last 64 KiB), then, for each read, only the frames the range touches:
// one source read per run of adjacent frames not in the cache. Decoded frames are kept in an LRU
// cache of at most cacheBytes; every frame is checked against the table (size and checksum).
import { dictHandle } from './dictionary.js';
import { rangeError, ZstdError } from './errors.js';
import { copyOut, withInput } from './input.js';
import { WasmObject } from './lifetime.js';
import { integerArgument, openSeekableOptions, rangeArguments } from './options.js';
import { check, wasm } from './runtime.js';
import { OWNED, sourceOf } from './seekable-source.js';

/** Bytes read from the end first: the footer and, usually, the whole seek table. */
const TAIL = 64 << 10;
/** stream() reads ahead this many decompressed bytes (or one frame) per source read. */
const STREAM_RUN = 4 << 20;
const FOOTER = 9;

// The table and the decoder, as one handle for the lifetime base.
function readerHandle(table, decoder) {
  let live = true;
  return {
    table,
    decoder,
    isDeleted: () => !live,
    delete: () => {
      if (!live) return;
      live = false;
      table.delete();
      decoder.delete();
    },
  };
}

// The seek table of a source: footer, then the table (what the tail lacks, if anything).
async function readTable(M, source) {
  const tail = await source.tail(TAIL);
  const size = source.size;
  if (size < FOOTER) throw new ZstdError('seek_table_invalid', 'no seek table: the data is too short to end with one');
  const footer = tail.subarray(tail.length - FOOTER);
  const tableSize = withInput(footer, (ptr, n) => check(M.seekTableSize(ptr, n, size)));
  let table = tail.subarray(Math.max(0, tail.length - tableSize));
  if (table.length < tableSize) {
    const missing = tableSize - table.length;
    const head = await source.read(size - tableSize, missing);
    const whole = new Uint8Array(tableSize);
    whole.set(head);
    whole.set(table, missing);
    table = whole;
  }
  return withInput(table, (ptr, n) => check(M.parseSeekTable(ptr, n, size)));
}

/**
 * Opens a seekable file for random access. Reads the footer and seek table now: no seek table or
 * a malformed one is ZstdError('seek_table_invalid'), an HTTP server that ignores Range is
 * ZstdError('range_unsupported') (from its first response, whose body is not downloaded), a frame
 * larger than maxFrameSize (default 64 MiB) a RangeError.
 * @param source Uint8Array (or any bytes) | Blob | File | URL | 'http(s)://...' | { size, read(offset, length) }
 *   (and, in Node, a path or FileHandle)
 * @param {{ cacheBytes?: number, maxFrameSize?: number, dictData?: import('./dictionary.js').ZstdCompressionDict }} [options]
 */
export async function openSeekable(source, options = undefined, openFile = null) {
  const o = openSeekableOptions(options);
  const M = wasm();
  const dict = dictHandle(o.dictData);
  const src = await sourceOf(source, openFile);
  let table = null;
  try {
    table = await readTable(M, src);
    const largest = Math.max(table.maxCompressedSize(), table.maxDecompressedSize());
    if (largest > o.maxFrameSize) {
      throw rangeError(`the file has a frame of ${largest} bytes, more than maxFrameSize (${o.maxFrameSize})`);
    }
    const decoder = check(M.createSeekableDecoder(dict));
    const reader = new ZstdSeekableReader(readerHandle(table, decoder), src, o.cacheBytes);
    table = null;
    return reader;
  } catch (e) {
    table?.delete();
    if (src[OWNED]) await src.close?.();
    throw e;
  }
}

export class ZstdSeekableReader extends WasmObject {
  #source;
  #cacheBytes;
  #cache = new Map(); // frame index -> decoded bytes, least recently used first
  #cached = 0;
  #pending = new Map(); // frame index -> Promise of its decoded bytes (a read in flight)
  #size;
  #compressedSize;
  #frameCount;

  /** @internal made by openSeekable() */
  constructor(handle, source, cacheBytes) {
    super(handle);
    this.#source = source;
    this.#cacheBytes = cacheBytes;
    this.#size = handle.table.decompressedSize();
    this.#compressedSize = source.size;
    this.#frameCount = handle.table.frameCount();
  }

  /** Decompressed size of the whole file. */
  get size() {
    return this.#size;
  }

  /** Size of the file itself (frames and seek table). */
  get compressedSize() {
    return this.#compressedSize;
  }

  get frameCount() {
    return this.#frameCount;
  }

  /** Where frame i is: { compressedOffset, compressedSize, decompressedOffset, decompressedSize }. */
  frame(i) {
    const t = this._handle.table;
    integerArgument(i, 'frame index', 0, this.#frameCount - 1);
    return {
      compressedOffset: t.compressedOffset(i),
      compressedSize: t.frameCompressedSize(i),
      decompressedOffset: t.decompressedOffset(i),
      decompressedSize: t.frameDecompressedSize(i),
    };
  }

  /**
   * The decompressed bytes [offset, offset + length), clipped at size (length defaults to the
   * rest); reads only the frames they touch.
   * @returns {Promise<Uint8Array>}
   */
  async read(offset = 0, length = undefined) {
    const t = this._handle.table;
    const { start, end } = rangeArguments(offset, length, this.#size);
    if (start >= end) return new Uint8Array(0);
    const first = t.frameAt(start);
    const last = t.frameAt(end - 1);
    const frames = await this.#frames(first, last, true);
    const out = new Uint8Array(end - start);
    for (let i = first; i <= last; i++) {
      const bytes = frames[i - first];
      if (bytes === null) continue;
      const from = t.decompressedOffset(i);
      const a = Math.max(start, from) - from;
      const b = Math.min(end, from + bytes.length) - from;
      out.set(bytes.subarray(a, b), from + a - start);
    }
    return out;
  }

  /**
   * The decompressed bytes [offset, offset + length) as a stream of chunks (about one per frame),
   * reading ahead a few MiB at a time; frames read this way bypass the cache.
   * @returns {ReadableStream<Uint8Array>}
   */
  stream(offset = 0, length = undefined) {
    const t = this._handle.table;
    const { start, end } = rangeArguments(offset, length, this.#size);
    let next = start < end ? t.frameAt(start) : this.#frameCount;
    const last = start < end ? t.frameAt(end - 1) : -1;
    return new ReadableStream({
      pull: async (controller) => {
        if (next > last) {
          controller.close();
          return;
        }
        const h = this._handle;
        let stop = next;
        let budget = h.table.frameDecompressedSize(next);
        while (stop < last && budget + h.table.frameDecompressedSize(stop + 1) <= STREAM_RUN) {
          budget += h.table.frameDecompressedSize(++stop);
        }
        const frames = await this.#frames(next, stop, false);
        for (let i = next; i <= stop; i++) {
          const bytes = frames[i - next];
          if (bytes === null || bytes.length === 0) continue;
          const from = h.table.decompressedOffset(i);
          const a = Math.max(start, from) - from;
          const b = Math.min(end, from + bytes.length) - from;
          controller.enqueue(a === 0 && b === bytes.length ? bytes : bytes.subarray(a, b));
        }
        next = stop + 1;
      },
    });
  }

  /** Releases the wasm memory and the cache; closes the source if openSeekable() opened it (a path, a URL). */
  async close() {
    const source = this.#source;
    this.#cache.clear();
    this.#cached = 0;
    this.free();
    if (source?.[OWNED]) {
      this.#source = null;
      await source.close?.();
    }
  }

  // Decoded frames first..last (null for frames of no content). Cached ones come from the cache;
  // the others are read in runs of adjacent frames, one source read per run, all runs at once.
  async #frames(first, last, useCache) {
    const t = this._handle.table;
    const out = new Array(last - first + 1).fill(null);
    const waits = [];
    let runStart = -1;
    const flush = (end) => {
      if (runStart < 0) return;
      waits.push(this.#readRun(runStart, end, useCache, out, first));
      runStart = -1;
    };
    for (let i = first; i <= last; i++) {
      if (t.frameDecompressedSize(i) === 0) continue; // nothing to read (it may sit inside a run)
      const hit = useCache ? this.#cache.get(i) : undefined;
      const pending = this.#pending.get(i);
      if (hit !== undefined) {
        this.#cache.delete(i); // most recently used: to the end
        this.#cache.set(i, hit);
        out[i - first] = hit;
        flush(i - 1);
      } else if (pending !== undefined) {
        waits.push(pending.then((bytes) => (out[i - first] = bytes)));
        flush(i - 1);
      } else if (runStart < 0) {
        runStart = i;
      }
    }
    flush(last);
    await Promise.all(waits);
    return out;
  }

  // Reads frames a..b (one source read) and decodes each non-empty one into out.
  #readRun(a, b, useCache, out, first) {
    const t = this._handle.table;
    const from = t.compressedOffset(a);
    const bytes = this.#source.read(from, t.compressedOffset(b + 1) - from);
    const decoded = bytes.then((run) => {
      const h = this._handle; // the reader may have been closed meanwhile
      const frames = new Map();
      for (let i = a; i <= b; i++) {
        if (h.table.frameDecompressedSize(i) === 0) continue;
        const at = h.table.compressedOffset(i) - from;
        const frame = run.subarray(at, at + h.table.frameCompressedSize(i));
        const size = withInput(frame, (ptr, n) => check(h.decoder.decode(h.table, i, ptr, n)));
        frames.set(i, copyOut(h.decoder.outputPtr(), size));
      }
      return frames;
    });
    const waits = [];
    for (let i = a; i <= b; i++) {
      if (t.frameDecompressedSize(i) === 0) continue;
      const one = decoded.then((frames) => frames.get(i));
      this.#pending.set(i, one);
      const settle = () => {
        if (this.#pending.get(i) === one) this.#pending.delete(i);
      };
      waits.push(
        one.then(
          (bytes) => {
            settle();
            out[i - first] = bytes;
            if (useCache) this.#remember(i, bytes);
          },
          (e) => {
            settle();
            throw e;
          },
        ),
      );
    }
    return Promise.all(waits);
  }

  #remember(i, bytes) {
    if (bytes.length > this.#cacheBytes || this.freed) return;
    const old = this.#cache.get(i);
    if (old !== undefined) {
      this.#cached -= old.length;
      this.#cache.delete(i);
    }
    for (const [k, v] of this.#cache) {
      if (this.#cached + bytes.length <= this.#cacheBytes) break;
      this.#cache.delete(k);
      this.#cached -= v.length;
    }
    this.#cache.set(i, bytes);
    this.#cached += bytes.length;
  }
}

// ZstdCompressor: one-shot compression, to a JS-owned Uint8Array or left in wasm memory.
import { batchThreads, runBatch, runBatchAsync } from './batch.js';
import { COMPRESSION_RECOMMENDED_INPUT_SIZE, COMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { dictHandle } from './dictionary.js';
import { ZstdCompressionParameters } from './parameters.js';
import { Session } from './session.js';
import { ZstdCompressionChunker, ZstdCompressionObj } from './stream-objects.js';
import { compressToIter, copyThrough, StreamWriter } from './stream-io.js';
import { WasmBuffer } from './buffer.js';
import { MAX_COMPRESSION_LEVEL, MIN_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_LEVEL } from './constants.js';
import { throwLastError } from './errors.js';
import { asInput, copyIn, copyOut, inputSize, integerOption, optionsObject, withInput } from './input.js';
import { SMALL_INPUT, WasmObject, wasm } from './runtime.js';

/** zstd's ZSTD_COMPRESSBOUND: the largest frame `size` bytes can become. */
export function compressBound(size) {
  const small = size < 131072 ? (131072 - size) >>> 11 : 0;
  return size + Math.floor(size / 256) + small;
}

// Streaming option checks shared by the compressor's streaming methods.
function sizeOption(o) {
  return integerOption(o.size, 'size', 0, Number.MAX_SAFE_INTEGER, -1);
}
function chunkSizes(o) {
  return {
    readSize: integerOption(o.readSize, 'readSize', 1, 2 ** 31 - 1, COMPRESSION_RECOMMENDED_INPUT_SIZE),
    writeSize: integerOption(o.writeSize, 'writeSize', 1, 2 ** 31 - 1, COMPRESSION_RECOMMENDED_OUTPUT_SIZE),
  };
}

export class ZstdCompressor extends WasmObject {
  #level;
  #scratch = 0;
  #lastSession = null;  // WeakRef of the streaming session made last, null after a one-shot call
  #lastProgress = null;  // its progression when it was freed

  /**
   * @param {object} [options]
   * @param {number} [options.level=3] -131072..22; negative levels are the fast modes
   * @param {boolean} [options.writeChecksum=false]
   * @param {boolean} [options.writeContentSize=true]
   * @param {boolean} [options.writeDictId=true]
   * @param {number} [options.threads=0] zstd workers for one input; -1 = all logical CPUs
   */
  constructor(options = undefined) {
    const M = wasm();
    const o = optionsObject(options);
    const level = integerOption(o.level, 'level', MIN_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_LEVEL);
    const threads = integerOption(o.threads, 'threads', -1, 2 ** 31 - 1, 0);
    if (o.compressionParams !== undefined && !(o.compressionParams instanceof ZstdCompressionParameters)) {
      throw new TypeError('compressionParams must be a ZstdCompressionParameters');
    }
    const handle = M.createCompressor(
      level,
      o.writeChecksum === undefined ? false : Boolean(o.writeChecksum),
      o.writeContentSize === undefined ? true : Boolean(o.writeContentSize),
      o.writeDictId === undefined ? true : Boolean(o.writeDictId),
      threads,
      dictHandle(o.dictData),
      o.compressionParams?._pairs() ?? [],
    );
    if (handle === null) throwLastError(M);
    super(handle);
    this.#level = level;
  }

  /** The compression level in use. */
  get level() {
    return this.#level;
  }

  /** zstd worker threads this compressor uses for one input (after clamping to the build). */
  get threads() {
    return this._handle.threads();
  }

  /** Compresses `data` into one frame (content size written), as a JS-owned Uint8Array. */
  compress(data) {
    const h = this._handle;
    this.#lastSession = null;
    const input = asInput(data);
    const size = inputSize(input);
    if (size <= SMALL_INPUT) {
      // Per-item loops: one call through a scratch allocation kept by the compressor.
      const scratch = (this.#scratch ||= h.smallScratch());
      if (scratch !== 0) {
        copyIn(input, scratch);
        const written = h.compressSmall(size);
        if (written < 0) throwLastError(wasm());
        return copyOut(scratch + SMALL_INPUT, written);
      }
    }
    const bound = compressBound(size);
    return withInput(
      input,
      (src, length, dst) => {
        const written = h.compress(src, length, dst, bound);
        if (written < 0) throwLastError(wasm());
        return copyOut(dst, written);
      },
      bound,
    );
  }

  /** The same frame as compress(), left in wasm memory: no copy out. */
  compressToBuffer(data) {
    const h = this._handle;
    this.#lastSession = null;
    return withInput(data, (src, size) => {
      const out = h.compressToBuffer(src, size);
      if (out === null) throwLastError(wasm());
      return new WasmBuffer(out);
    });
  }

  /**
   * Compresses every item of `data` (an array of inputs, a BufferWithSegments or a
   * BufferWithSegmentsCollection) into its own frame; frames come back in input order.
   * @param {object} [options]
   * @param {number} [options.threads=0] 0 or 1: one thread; -1: all logical CPUs
   * @returns {import('./segments.js').BufferWithSegmentsCollection}
   */
  multiCompressToBuffer(data, options = undefined) {
    const h = this._handle;
    const threads = batchThreads(optionsObject(options));
    return runBatch(data, (input) => h.compressJob(input, threads));
  }

  /** As multiCompressToBuffer(), without blocking the calling thread while it runs. */
  async multiCompressToBufferAsync(data, options = undefined) {
    // A handle of its own: the compressor may be freed while the input is staged.
    const h = this._handle.clone();
    try {
      const threads = batchThreads(optionsObject(options));
      return await runBatchAsync(data, (input) => h.compressJob(input, threads));
    } finally {
      h.delete();
    }
  }

  /** @internal a streaming session with a context of its own; size < 0: unknown. */
  _stream(size) {
    const h = this._handle.stream(size);
    if (h === null) throwLastError(wasm());
    const session = new Session(h);
    this.#lastSession = new WeakRef(session);
    this.#lastProgress = null;
    session.beforeFree = (handle) => {
      if (this.#lastSession?.deref() === session) this.#lastProgress = handle.progression();
    };
    return session;
  }

  /**
   * An incremental compressor (python-zstandard's compressobj): compress(data) returns output
   * as it becomes ready; flush(FLUSH_BLOCK) makes all data so far decodable; flush(FLUSH_FRAME)
   * (the default) ends the frame and the object.
   * @param {{ size?: number }} [options] size: the total input size, written in the frame header
   */
  compressobj(options = undefined) {
    const o = optionsObject(options);
    const session = this._stream(sizeOption(o));
    return new ZstdCompressionObj(session);
  }

  /**
   * Compressed output in chunks of exactly chunkSize bytes: compress(data), flush() and
   * finish() return arrays of chunks; the last chunk of flush() and finish() may be shorter.
   */
  chunker(options = undefined) {
    const o = optionsObject(options);
    const chunkSize = integerOption(o.chunkSize, 'chunkSize', 1, 2 ** 31 - 1, 131072);
    return new ZstdCompressionChunker(this._stream(sizeOption(o)), chunkSize);
  }

  /**
   * An async iterable of compressed chunks of `source` (data, a ReadableStream, a Node Readable
   * or any (async) iterable of chunks): one frame.
   */
  readToIter(source, options = undefined) {
    const o = optionsObject(options);
    const { readSize, writeSize } = chunkSizes(o);
    return compressToIter(this._stream(sizeOption(o)), source, readSize, writeSize);
  }

  /**
   * A writer that compresses what it is given into `sink` (a WritableStream, a Node Writable or
   * an object with write()): write(data), flush(mode), close().
   */
  streamWriter(sink, options = undefined) {
    const o = optionsObject(options);
    const { writeSize } = chunkSizes(o);
    const session = this._stream(sizeOption(o));
    try {
      return new StreamWriter(session, sink, { writeSize, closeSink: o.closeSink ?? true, compress: true });
    } catch (e) {
      session.free();
      throw e;
    }
  }

  /** Compresses all of `source` into `sink` and ends the sink; resolves to the byte counts. */
  async copyStream(source, sink, options = undefined) {
    const o = optionsObject(options);
    const { readSize } = chunkSizes(o);
    return copyThrough(source, this.streamWriter(sink, { ...o, closeSink: true }), readSize);
  }

  /** { ingested, consumed, produced } of the current (or last) frame of this compressor. */
  frameProgression() {
    const h = this._handle;
    if (this.#lastSession === null) return h.progression();
    const session = this.#lastSession.deref();
    if (session !== undefined && !session.freed) return session._handle.progression();
    return this.#lastProgress ?? { ingested: 0, consumed: 0, produced: 0 };
  }

  /** Bytes of wasm memory this compressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }
}

// ZstdCompressor: one-shot compression, to a JS-owned Uint8Array or left in wasm memory; the
// streaming and batch forms over the same options.
import { runBatch, runBatchAsync } from './batch.js';
import { WasmBuffer } from './buffer.js';
import { dictHandle } from './dictionary.js';
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { asInput, copyIn, copyOut, inputSize, wasmRegion, withInput } from './input.js';
import { WasmObject } from './lifetime.js';
import {
  chunkerOptions,
  compressobjOptions,
  compressorOptions,
  compressReadOptions,
  compressStreamReaderOptions,
  compressWriterOptions,
  multiCompressOptions,
  seekableWriterOptions,
} from './options.js';
import { parameterPairs } from './parameters.js';
import { runSteps, runTask, takeBuffer, withStagedInput } from './oneshot-async.js';
import { check, features, SMALL_INPUT, wasm } from './runtime.js';
import { Session } from './session.js';
import { compressToIter, copyThrough } from './stream-io.js';
import { ZstdCompressionChunker, ZstdCompressionObj } from './stream-objects.js';
import { ZstdCompressionReader } from './stream-reader.js';
import { sinkOf, ZstdStreamWriter } from './stream-writer.js';
import { seekableWriterOf } from './seekable.js';

/** zstd's ZSTD_COMPRESSBOUND: the largest frame `size` bytes can become. */
export function compressBound(size) {
  const small = size < 131072 ? (131072 - size) >>> 11 : 0;
  return size + Math.floor(size / 256) + small;
}

// A browser's main thread (not a worker, not Node or Deno): there a thread that waits for zstd's
// workers busy-spins against them, so one-shot sync calls run single-threaded (the async forms
// and streams keep the threads).
const ON_BROWSER_MAIN_THREAD = typeof window === 'object' && typeof document === 'object';

// A compressor handle for checked options (see options.js compressorOptions()).
function createHandle(M, o) {
  const params = parameterPairs(o.compressionParams);
  const dict = dictHandle(o.dictData);
  const h = check(M.createCompressor(o.level, o.writeChecksum, o.writeContentSize, o.writeDictId, o.threads, dict, params));
  if (ON_BROWSER_MAIN_THREAD && features.threads && h.threads() !== 0) check(M.useOneShotSingleThread(h));
  return h;
}

/**
 * @internal A streaming session with the options of new ZstdCompressor(options), for the stream
 * adapters (stream-adapter.js); `call` names the API in option errors; `size`: the pledged input
 * size (-1: unknown).
 */
export function compressionSession(options, call, size = -1) {
  const M = wasm();
  const handle = createHandle(M, compressorOptions(options, call));
  try {
    return new Session(check(handle.stream(size)));
  } finally {
    handle.delete(); // the session has a context of its own
  }
}

/** @internal A compressor handle for `options` (as new ZstdCompressor's, read by compressorOptions()). */
export function compressorHandle(checkedOptions) {
  return createHandle(wasm(), checkedOptions);
}

export class ZstdCompressor extends WasmObject {
  #level;
  #scratch = 0;
  // The streaming session made last (a WeakRef; null after a one-shot call) and its progression
  // when it was released: what frameProgression() reports.
  #progress = { session: null, last: null };

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
    const o = compressorOptions(options);
    super(createHandle(M, o));
    this.#level = o.level;
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
    this.#progress.session = null;
    const input = asInput(data);
    const size = inputSize(input);
    if (size <= SMALL_INPUT) {
      // Per-item loops: one call through a scratch allocation kept by the compressor.
      const scratch = (this.#scratch ||= h.smallScratch());
      if (scratch !== 0) {
        copyIn(input, scratch);
        return copyOut(scratch + SMALL_INPUT, check(h.compressSmall(size)));
      }
    }
    // The context's workspace first, below the staged input and output (Compressor::prepare);
    // not for input already in wasm memory, which nothing is staged for (and which growing the
    // memory would detach in the single-threaded build).
    if (wasmRegion(input) === null) check(h.prepare(size));
    const bound = compressBound(size);
    return withInput(input, (src, length, dst) => copyOut(dst, check(h.compress(src, length, dst, bound))), bound);
  }

  /**
   * compress() without blocking the calling thread: on the job thread in the threaded build
   * (with this compressor's threads, on a browser's main thread too), in slices between
   * event-loop turns in the single-threaded one. The same frame as compress() (in the threaded
   * build on a browser's main thread, compress() runs single-threaded: the frame may then differ,
   * decoding the same).
   */
  async compressAsync(data) {
    const input = asInput(data);
    // A handle of its own: the compressor may be freed (or evicted from the one-liners' cache)
    // while the input is staged, between event-loop turns; the task or steps then hold their own.
    const h = this._handle.clone();
    try {
      if (features.threads) return await withStagedInput(input, (src, size) => runTask(check(wasm().compressTask(h, src, size))));
      return await withStagedInput(input, async (src, size) => {
        const steps = check(wasm().compressSteps(h, src, size));
        try {
          await runSteps((budget) => check(steps.step(budget)) === 1);
          return await takeBuffer(steps.takeResult());
        } finally {
          steps.delete();
        }
      });
    } finally {
      h.delete();
    }
  }

  /** The same frame as compress(), left in wasm memory: no copy out. */
  compressToBuffer(data) {
    const h = this._handle;
    this.#progress.session = null;
    const input = asInput(data);
    if (wasmRegion(input) === null) check(h.prepare(inputSize(input))); // as in compress()
    return withInput(input, (src, size) => new WasmBuffer(check(h.compressToBuffer(src, size))));
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
    const { threads } = multiCompressOptions(options, 'multiCompressToBuffer()');
    return runBatch(data, (input) => h.compressJob(input, threads));
  }

  /** As multiCompressToBuffer(), without blocking the calling thread while it runs. */
  async multiCompressToBufferAsync(data, options = undefined) {
    // A handle of its own: the compressor may be freed while the input is staged.
    const h = this._handle.clone();
    try {
      const { threads } = multiCompressOptions(options, 'multiCompressToBufferAsync()');
      return await runBatchAsync(data, (input) => h.compressJob(input, threads));
    } finally {
      h.delete();
    }
  }

  // A streaming session of its own context, made by make(handle); size < 0: unknown.
  #stream(size, make) {
    const session = make(check(this._handle.stream(size)));
    const progress = this.#progress; // not `this`: a session must not keep its compressor alive
    progress.session = new WeakRef(session);
    progress.last = null;
    session._onRelease = (handle) => {
      if (progress.session?.deref() === session) progress.last = handle.progression();
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
    const { size } = compressobjOptions(options);
    return this.#stream(size, (h) => new ZstdCompressionObj(h));
  }

  /**
   * Compressed output in chunks of exactly chunkSize bytes: compress(data), flush() and
   * finish() return arrays of chunks; the last chunk of flush() and finish() may be shorter.
   */
  chunker(options = undefined) {
    const { size, chunkSize } = chunkerOptions(options);
    return this.#stream(size, (h) => new ZstdCompressionChunker(h, chunkSize));
  }

  /**
   * An async iterable of compressed chunks of `source` (data, a ReadableStream, a Node Readable
   * or any (async) iterable of chunks): one frame.
   */
  readToIter(source, options = undefined) {
    return this.#readToIter(source, options, false);
  }

  /**
   * @internal readToIter() whose chunks are views of wasm memory, each valid only until the next
   * is asked for (no copy): for a consumer that writes each one out synchronously (the command line).
   */
  _readToIterLent(source, options = undefined) {
    return this.#readToIter(source, options, true);
  }

  #readToIter(source, options, lend) {
    const { size, readSize, writeSize } = compressReadOptions(options, 'readToIter()');
    const session = this.#stream(size, (h) => new Session(h));
    session._lendOutput = lend;
    return compressToIter(session, source, readSize, writeSize);
  }

  /**
   * python-zstandard's stream_reader: a reader of the *compressed* form of `source` (any source
   * readToIter() takes): await read(n), readInto(u8), readAll(), tell(), seek(pos) forward, close().
   * @param {{ size?: number, readSize?: number }} [options]
   */
  streamReader(source, options = undefined) {
    const { size, readSize } = compressStreamReaderOptions(options);
    const session = this.#stream(size, (h) => new Session(h));
    return new ZstdCompressionReader(compressToIter(session, source, readSize, COMPRESSION_RECOMMENDED_OUTPUT_SIZE), () => session.free());
  }

  /**
   * A writer that compresses what it is given into `sink` (a WritableStream, a Node Writable or
   * an object with write()): write(data), flush(mode), close().
   */
  streamWriter(sink, options = undefined) {
    const o = compressWriterOptions(options);
    return this.#writer(sink, o.size, o.writeSize, o.closeSink);
  }

  #writer(sink, size, writeSize, closeSink) {
    this._assertLive();
    const target = sinkOf(sink);
    try {
      return this.#stream(size, (h) => new ZstdStreamWriter(h, target, { writeSize, closeSink, compress: true }));
    } catch (e) {
      target.release?.();
      throw e;
    }
  }

  /**
   * A writer of a seekable file (zstd's seekable format) into `sink`: write(data), flush(mode),
   * close(). Frames of frameSize bytes; flush(FLUSH_FRAME) ends the current frame early; close()
   * ends the last one and writes the seek table.
   */
  seekableWriter(sink, options = undefined) {
    return seekableWriterOf(this._handle, sink, seekableWriterOptions(options));
  }

  /** Compresses all of `source` into `sink` and ends the sink; resolves to the byte counts. */
  async copyStream(source, sink, options = undefined) {
    const { size, readSize, writeSize } = compressReadOptions(options, 'copyStream()');
    return copyThrough(source, this.#writer(sink, size, writeSize, true), readSize);
  }

  /** { ingested, consumed, produced } of the current (or last) frame of this compressor. */
  frameProgression() {
    const h = this._handle;
    const progress = this.#progress;
    if (progress.session === null) return h.progression();
    const session = progress.session.deref();
    if (session !== undefined && !session.freed) return session._handle.progression();
    return progress.last ?? { ingested: 0, consumed: 0, produced: 0 };
  }

  /** Bytes of wasm memory this compressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }
}

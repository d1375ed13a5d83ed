// ZstdCompressor: one-shot compression, to a JS-owned Uint8Array or left in wasm memory.
import { batchThreads, runBatch, runBatchAsync } from './batch.js';
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

export class ZstdCompressor extends WasmObject {
  #level;
  #scratch = 0;

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
    const handle = M.createCompressor(
      level,
      o.writeChecksum === undefined ? false : Boolean(o.writeChecksum),
      o.writeContentSize === undefined ? true : Boolean(o.writeContentSize),
      o.writeDictId === undefined ? true : Boolean(o.writeDictId),
      threads,
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

  /** Bytes of wasm memory this compressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }
}

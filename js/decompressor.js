// ZstdDecompressor: one-shot decompression, to a JS-owned Uint8Array or left in wasm memory.
import { filledBatchInput } from './segments.js';
import { batchThreads, runBatch, runBatchAsync, stageSizes } from './batch.js';
import { WasmBuffer } from './buffer.js';
import { DECOMPRESSION_RECOMMENDED_INPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { dictHandle } from './dictionary.js';
import { Session } from './session.js';
import { ZstdDecompressionObj } from './stream-objects.js';
import { copyThrough, decompressToIter, StreamWriter } from './stream-io.js';
import { FORMAT_ZSTD1, FORMAT_ZSTD1_MAGICLESS, WINDOWLOG_MAX, WINDOWLOG_MIN } from './constants.js';
import { throwLastError } from './errors.js';
import { asInput, copyIn, copyOut, inputSize, integerOption, MAX_WASM_SIZE, newResultArray, optionsObject, withInput } from './input.js';
import { heap, heapUpTo, SMALL_INPUT, WasmObject, wasm } from './runtime.js';

const FORMATS = { zstd1: FORMAT_ZSTD1, magicless: FORMAT_ZSTD1_MAGICLESS };

function formatOption(format) {
  if (format === undefined) return FORMAT_ZSTD1;
  if (typeof format !== 'string' && typeof format !== 'number') throw new TypeError(`format must be a string or number, got ${typeof format}`);
  if (typeof format === 'string' && format in FORMATS) return FORMATS[format];
  if (format === FORMAT_ZSTD1 || format === FORMAT_ZSTD1_MAGICLESS) return format;
  throw new RangeError(`format must be 'zstd1', 'magicless', FORMAT_ZSTD1 or FORMAT_ZSTD1_MAGICLESS; got ${String(format)}`);
}

export class ZstdDecompressor extends WasmObject {
  #scratch = 0;

  /**
   * @param {object} [options]
   * @param {number} [options.maxWindowSize=0] largest window a frame may use; 0 = zstd's default limit
   * @param {'zstd1'|'magicless'|number} [options.format='zstd1']
   */
  constructor(options = undefined) {
    const M = wasm();
    const o = optionsObject(options);
    const maxWindowSize = integerOption(o.maxWindowSize, 'maxWindowSize', 0, MAX_WASM_SIZE, 0);
    const handle = M.createDecompressor(maxWindowSize, formatOption(o.format), dictHandle(o.dictData));
    if (handle === null) {
      const code = M.lastErrorCode();
      if (code === 'parameter_out_of_bound') {
        throw new RangeError(`maxWindowSize ${maxWindowSize} is outside zstd's bounds [${2 ** WINDOWLOG_MIN}, ${2 ** WINDOWLOG_MAX}]`);
      }
      throwLastError(M);
    }
    super(handle);
  }

  /**
   * Decompresses a frame into a JS-owned Uint8Array.
   * @param {object} [options]
   * @param {number} [options.maxOutputSize=0] cap on the output; needed when frames do not state their size
   * @param {boolean} [options.readAcrossFrames=false] decode every frame, not just the first
   */
  decompress(frame, options = undefined) {
    const h = this._handle;
    const { maxOutputSize, across } = decodeOptions(options);
    const input = asInput(frame, 'frame');
    const length = inputSize(input);
    if (!across && length <= SMALL_INPUT) {
      // Per-item loops: one call through a scratch allocation kept by the decompressor.
      const scratch = (this.#scratch ||= h.smallScratch());
      if (scratch !== 0) {
        if (input instanceof Uint8Array) heapUpTo(scratch + length).set(input, scratch);
        else copyIn(input, scratch);
        const size = h.decompressSmall(length, maxOutputSize);
        if (size >= 0) return copyOut(scratch + SMALL_INPUT, size);
        if (size === -1) throwLastError(wasm());
      }
    }
    return withInput(
      input,
      (src, length) => {
        const expected = h.start(src, length, maxOutputSize, across, true);
        if (expected < 0) throwLastError(wasm());
        // A large frame may still be decoding on another thread: meanwhile, fault in the
        // result's pages so the copy below runs at memory speed. finish() must run whatever
        // happens: the input is freed when this callback returns.
        let out, size;
        try {
          out = allocateOutput(expected);
        } finally {
          size = h.finish();
        }
        try {
          if (size < 0) throwLastError(wasm());
          const ptr = h.resultPtr();
          if (size !== expected) return copyOut(ptr, size);
          out.set(heap().subarray(ptr, ptr + size));
          return out;
        } finally {
          h.dropResult();
        }
      },
      0,
      'frame',
    );
  }

  /** As decompress(), with the result left in wasm memory: no copy out. */
  decompressToBuffer(frame, options = undefined) {
    const h = this._handle;
    const { maxOutputSize, across } = decodeOptions(options);
    withInput(
      frame,
      (src, length) => {
        if (h.start(src, length, maxOutputSize, across, false) < 0) throwLastError(wasm());
      },
      0,
      'frame',
    );
    return new WasmBuffer(h.takeResult());
  }

  /**
   * Decompresses every frame of `frames` (an array, a BufferWithSegments or a
   * BufferWithSegmentsCollection); results come back in input order.
   * @param {object} [options]
   * @param {BigUint64Array|Uint8Array|Array<number|bigint>} [options.decompressedSizes] one size
   *   per frame, so frame headers need not state it
   * @param {number} [options.threads=0] 0 or 1: one thread; -1: all logical CPUs
   */
  multiDecompressToBuffer(frames, options = undefined) {
    const h = this._handle;
    const o = optionsObject(options);
    const threads = batchThreads(o);
    const sizes = stageSizes(o.decompressedSizes);
    try {
      return runBatch(frames, (input) => h.decompressJob(input, sizes.ptr, sizes.count, threads));
    } finally {
      sizes.release();
    }
  }

  /** As multiDecompressToBuffer(), without blocking the calling thread while it runs. */
  async multiDecompressToBufferAsync(frames, options = undefined) {
    // A handle of its own: the decompressor may be freed while the input is staged.
    const h = this._handle.clone();
    let sizes = null;
    try {
      const o = optionsObject(options);
      const threads = batchThreads(o);
      sizes = stageSizes(o.decompressedSizes);
      return await runBatchAsync(frames, (input) => h.decompressJob(input, sizes.ptr, sizes.count, threads));
    } finally {
      sizes?.release();
      h.delete();
    }
  }

  /**
   * Decodes a chain of frames where each frame after the first was compressed with the previous
   * frame's content as a raw-content dictionary; returns the content of the last frame.
   */
  decompressContentDictChain(frames) {
    const h = this._handle;
    const M = wasm();
    const input = filledBatchInput(frames, 'frames');
    let out = null;
    try {
      out = h.contentDictChain(input.handle);
      if (out === null) throwLastError(M);
      return copyOut(out.ptr(), out.size());
    } finally {
      out?.delete();
      input.release();
    }
  }

  /** @internal a streaming session with a context of its own. */
  _stream() {
    const h = this._handle.stream();
    if (h === null) throwLastError(wasm());
    return new Session(h);
  }

  /**
   * An incremental decompressor (python-zstandard's decompressobj): decompress(data) returns
   * what the data decodes to. Unless readAcrossFrames, it stops at the end of the first frame:
   * eof turns true and unusedData holds the bytes after it.
   */
  decompressobj(options = undefined) {
    const o = optionsObject(options);
    return new ZstdDecompressionObj(this._stream(), Boolean(o.readAcrossFrames));
  }

  /**
   * An async iterable of the decompressed chunks of `source`: concatenated frames (skippable ones
   * skipped) unless readAcrossFrames is false; skipBytes skips that many bytes first. A source
   * that ends inside a frame is a ZstdError.
   */
  readToIter(source, options = undefined) {
    const o = optionsObject(options);
    const settings = {
      ...streamSizes(o),
      skipBytes: integerOption(o.skipBytes, 'skipBytes', 0, Number.MAX_SAFE_INTEGER, 0),
      across: o.readAcrossFrames === undefined ? true : Boolean(o.readAcrossFrames),
    };
    return decompressToIter(this._stream(), source, settings);
  }

  /** A writer that decompresses what it is given into `sink`: write(data), flush(), close(). */
  streamWriter(sink, options = undefined) {
    const o = optionsObject(options);
    const session = this._stream();
    try {
      return new StreamWriter(session, sink, { writeSize: streamSizes(o).writeSize, closeSink: o.closeSink ?? true, compress: false });
    } catch (e) {
      session.free();
      throw e;
    }
  }

  /** Decompresses all of `source` into `sink` and ends the sink; resolves to the byte counts. */
  async copyStream(source, sink, options = undefined) {
    const o = optionsObject(options);
    return copyThrough(source, this.streamWriter(sink, { ...o, closeSink: true }), streamSizes(o).readSize);
  }

  /** Bytes of wasm memory this decompressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }
}

function streamSizes(o) {
  return {
    readSize: integerOption(o.readSize, 'readSize', 1, 2 ** 31 - 1, DECOMPRESSION_RECOMMENDED_INPUT_SIZE),
    writeSize: integerOption(o.writeSize, 'writeSize', 1, 2 ** 31 - 1, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE),
  };
}

const DEFAULT_DECODE = Object.freeze({ maxOutputSize: 0, across: false });

function decodeOptions(options) {
  if (options === undefined) return DEFAULT_DECODE;
  const o = optionsObject(options);
  return {
    maxOutputSize: integerOption(o.maxOutputSize, 'maxOutputSize', 0, MAX_WASM_SIZE, 0),
    across: Boolean(o.readAcrossFrames),
  };
}

const PAGE = 4096;

// The result array, with every page written once: the kernel's first-touch cost is paid here,
// in parallel with a background decode, rather than inside the bulk copy.
function allocateOutput(size) {
  const out = newResultArray(size);
  for (let i = 0; i < size; i += PAGE) out[i] = 0;
  return out;
}

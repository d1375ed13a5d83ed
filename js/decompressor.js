// ZstdDecompressor: one-shot decompression, to a JS-owned Uint8Array or left in wasm memory; the
// streaming and batch forms over the same options.
import { runBatch, runBatchAsync, stageSizes } from './batch.js';
import { WasmBuffer } from './buffer.js';
import { DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { dictHandle } from './dictionary.js';
import { asInput, copyIn, copyOut, inputSize, newResultArray, withInput } from './input.js';
import { WasmObject } from './lifetime.js';
import {
  decodeOptions,
  decompressCopyOptions,
  decompressobjOptions,
  decompressorOptions,
  decompressReadOptions,
  decompressStreamReaderOptions,
  decompressWriterOptions,
  multiDecompressOptions,
} from './options.js';
import { runSteps, runTask, takeBuffer, withStagedInput } from './oneshot-async.js';
import { check, features, heap, heapUpTo, SMALL_DECLINED, SMALL_INPUT, wasm } from './runtime.js';
import { filledBatchInput } from './segments.js';
import { Session } from './session.js';
import { copyThrough, decompressToIter } from './stream-io.js';
import { ZstdDecompressionObj } from './stream-objects.js';
import { ZstdDecompressionReader } from './stream-reader.js';
import { sinkOf, ZstdStreamWriter } from './stream-writer.js';

// A decompressor handle for checked options (see options.js decompressorOptions()).
function createHandle(M, o) {
  return check(M.createDecompressor(o.maxWindowSize, o.format, dictHandle(o.dictData)));
}

/**
 * @internal A streaming session with the options of new ZstdDecompressor(options), for the
 * stream adapters (stream-adapter.js); `call` names the API in option errors.
 */
export function decompressionSession(options, call) {
  const M = wasm();
  const handle = createHandle(M, decompressorOptions(options, call));
  try {
    return new Session(check(handle.stream()));
  } finally {
    handle.delete(); // the session has a context of its own
  }
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
    super(createHandle(M, decompressorOptions(options)));
  }

  /**
   * Decompresses a frame into a JS-owned Uint8Array.
   * @param {object} [options]
   * @param {number} [options.maxOutputSize=0] cap on the output (0: none); frames without a content size decode without it
   * @param {boolean} [options.readAcrossFrames=false] decode every frame, not just the first
   */
  decompress(frame, options = undefined) {
    const h = this._handle;
    const { maxOutputSize, across } = decodeOptions(options, 'decompress()');
    const input = asInput(frame, 'frame');
    const length = inputSize(input);
    if (!across && length <= SMALL_INPUT) {
      // Per-item loops: one call through a scratch allocation kept by the decompressor.
      const scratch = (this.#scratch ||= h.smallScratch());
      if (scratch !== 0) {
        if (input instanceof Uint8Array) heapUpTo(scratch + length).set(input, scratch);
        else copyIn(input, scratch);
        const size = check(h.decompressSmall(length, maxOutputSize));
        if (size !== SMALL_DECLINED) return copyOut(scratch + SMALL_INPUT, size);
      }
    }
    return withInput(
      input,
      (src, length) => {
        const expected = check(h.start(src, length, maxOutputSize, across, true));
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
          check(size);
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

  /**
   * decompress() without blocking the calling thread: on the job thread in the threaded build,
   * in slices between event-loop turns in the single-threaded one. The same result and errors.
   */
  async decompressAsync(frame, options = undefined) {
    const { maxOutputSize, across } = decodeOptions(options, 'decompressAsync()');
    const input = asInput(frame, 'frame');
    const h = this._handle.clone(); // as in compressAsync(): freeing this mid-staging is allowed
    try {
      if (features.threads) {
        return await withStagedInput(input, (src, size) => runTask(check(wasm().decompressTask(h, src, size, maxOutputSize, across))));
      }
      return await withStagedInput(input, async (src, size) => {
        const steps = check(wasm().decodeSteps(h, src, size, maxOutputSize, across));
        try {
          await runSteps((budget) => check(steps.step(budget)) === 1, 256 << 10, 64 << 10);
          return await takeBuffer(steps.takeResult());
        } finally {
          steps.delete();
        }
      });
    } finally {
      h.delete();
    }
  }

  /** As decompress(), with the result left in wasm memory: no copy out. */
  decompressToBuffer(frame, options = undefined) {
    const h = this._handle;
    const { maxOutputSize, across } = decodeOptions(options, 'decompressToBuffer()');
    withInput(frame, (src, length) => check(h.start(src, length, maxOutputSize, across, false)), 0, 'frame');
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
    const { threads, decompressedSizes } = multiDecompressOptions(options, 'multiDecompressToBuffer()');
    const sizes = stageSizes(decompressedSizes);
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
      const { threads, decompressedSizes } = multiDecompressOptions(options, 'multiDecompressToBufferAsync()');
      sizes = stageSizes(decompressedSizes);
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
    const input = filledBatchInput(frames, 'frames');
    let out = null;
    try {
      out = check(h.contentDictChain(input.handle));
      return copyOut(out.ptr(), out.size());
    } finally {
      out?.delete();
      input.release();
    }
  }

  // A streaming session of its own context, made by make(handle).
  #stream(make) {
    return make(check(this._handle.stream()));
  }

  /**
   * An incremental decompressor (python-zstandard's decompressobj): decompress(data) returns
   * what the data decodes to. Unless readAcrossFrames, it stops at the end of the first frame:
   * eof turns true and unusedData holds the bytes after it.
   */
  decompressobj(options = undefined) {
    const { across } = decompressobjOptions(options);
    return this.#stream((h) => new ZstdDecompressionObj(h, across));
  }

  /**
   * An async iterable of the decompressed chunks of `source`: concatenated frames (skippable ones
   * skipped) unless readAcrossFrames is false; skipBytes skips that many bytes first. A source
   * that ends inside a frame is a ZstdError.
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
    const settings = decompressReadOptions(options);
    const session = this.#stream((h) => new Session(h));
    session._lendOutput = lend;
    return decompressToIter(session, source, settings);
  }

  /**
   * python-zstandard's stream_reader: a reader of the decompressed form of `source` (any source
   * readToIter() takes): await read(n), readInto(u8), readAll(), tell(), seek(pos) forward only
   * (backwards: RangeError), close(). Concatenated frames unless readAcrossFrames is false.
   * @param {{ readSize?: number, readAcrossFrames?: boolean }} [options]
   */
  streamReader(source, options = undefined) {
    const { chunks, release } = this._readerParts(source, options);
    return new ZstdDecompressionReader(chunks, release);
  }

  /** @internal What a decompressing reader reads: { chunks (an async iterator), release() }. */
  _readerParts(source, options = undefined) {
    const { readSize, across } = decompressStreamReaderOptions(options);
    const session = this.#stream((h) => new Session(h));
    const chunks = decompressToIter(session, source, {
      readSize,
      writeSize: DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE,
      skipBytes: 0,
      across,
    });
    return { chunks, release: () => session.free() };
  }

  /** A writer that decompresses what it is given into `sink`: write(data), flush(), close(). */
  streamWriter(sink, options = undefined) {
    const { writeSize, closeSink } = decompressWriterOptions(options);
    return this.#writer(sink, writeSize, closeSink);
  }

  #writer(sink, writeSize, closeSink) {
    this._assertLive();
    const target = sinkOf(sink);
    try {
      return this.#stream((h) => new ZstdStreamWriter(h, target, { writeSize, closeSink, compress: false }));
    } catch (e) {
      target.release?.();
      throw e;
    }
  }

  /** Decompresses all of `source` into `sink` and ends the sink; resolves to the byte counts. */
  async copyStream(source, sink, options = undefined) {
    const { readSize, writeSize } = decompressCopyOptions(options);
    return copyThrough(source, this.#writer(sink, writeSize, true), readSize);
  }

  /** Bytes of wasm memory this decompressor's context uses. */
  memorySize() {
    return this._handle.memorySize();
  }
}

const PAGE = 4096;

// The result array, with every page written once: the kernel's first-touch cost is paid here,
// in parallel with a background decode, rather than inside the bulk copy.
function allocateOutput(size) {
  const out = newResultArray(size);
  for (let i = 0; i < size; i += PAGE) out[i] = 0;
  return out;
}

// ZstdCompressionStream / ZstdDecompressionStream: TransformStreams with the shape of the
// platform's CompressionStream, for pipeThrough() from Blob.stream(), fetch bodies and the like.
import { ZstdCompressor } from './compressor.js';
import { ZstdDecompressor } from './decompressor.js';
import { throwLastError } from './errors.js';
import { wasm } from './runtime.js';
import { compressContinue, runCompress, runDecompress } from './session.js';
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';

// Where TransformStream is missing (very old runtimes), constructing one says so clearly.
const Base =
  globalThis.TransformStream ??
  class {
    constructor() {
      throw new TypeError('TransformStream is not available in this environment');
    }
  };

/** Transformer callbacks around a session: output enqueued as it is produced. */
function transformer(session, run, end, writeSize) {
  const emit = (controller, steps) => {
    for (const out of session.output(steps, writeSize)) controller.enqueue(out);
  };
  const guarded = (fn) => (arg, controller) => {
    try {
      fn(arg, controller);
    } catch (e) {
      session.free();
      throw e;
    }
  };
  return {
    transform: guarded((chunk, controller) => emit(controller, session.push(chunk, run, writeSize))),
    flush: guarded((controller) => {
      end(controller, emit);
      session.free();
    }),
    // The source errored or the reader cancelled: nothing more will come.
    cancel: () => session.free(),
  };
}

/** new ZstdCompressionStream({ level, ...compressor options }): a TransformStream<BufferSource, Uint8Array>. */
export class ZstdCompressionStream extends Base {
  constructor(options = undefined) {
    const c = new ZstdCompressor(options);
    const session = c._stream(-1);
    c.free();  // the session has a context of its own
    super(
      transformer(session, compressContinue, (controller, emit) => emit(controller, session.drain(runCompress(2), COMPRESSION_RECOMMENDED_OUTPUT_SIZE)), COMPRESSION_RECOMMENDED_OUTPUT_SIZE),
    );
  }
}

/**
 * new ZstdDecompressionStream({ maxWindowSize, ... }): reads concatenated frames (skippable ones
 * skipped); a stream that ends inside a frame errors with ZstdError.
 */
export class ZstdDecompressionStream extends Base {
  constructor(options = undefined) {
    const d = new ZstdDecompressor(options);
    const session = d._stream();
    d.free();
    super(
      transformer(session, runDecompress(true), () => {
        if (!session._handle.checkEnd()) throwLastError(wasm());
      }, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE),
    );
  }
}

// ZstdCompressionStream / ZstdDecompressionStream: TransformStreams with the shape of the
// platform's CompressionStream, for pipeThrough() from Blob.stream(), fetch bodies and the like.
import { typeError } from './errors.js';
import { compressTransform, decompressTransform } from './stream-adapter.js';

// Where TransformStream is missing (very old runtimes), constructing one says so clearly.
export const Base =
  globalThis.TransformStream ??
  class {
    constructor() {
      throw typeError('TransformStream is not available in this environment');
    }
  };

// The transform spec of stream-adapter.js as a Transformer.
export function transformer(spec) {
  return {
    transform: (chunk, controller) => spec.transform(chunk, (out) => controller.enqueue(out)),
    flush: (controller) => spec.flush((out) => controller.enqueue(out)),
    // The source errored or the reader cancelled: nothing more will come.
    cancel: () => spec.release(),
  };
}

/** new ZstdCompressionStream({ level, ...compressor options }): a TransformStream<BufferSource, Uint8Array>. */
export class ZstdCompressionStream extends Base {
  constructor(options = undefined) {
    super(transformer(compressTransform(options, 'ZstdCompressionStream')));
  }
}

/**
 * new ZstdDecompressionStream({ maxWindowSize, ... }): reads concatenated frames (skippable ones
 * skipped); a stream that ends inside a frame errors with ZstdError.
 */
export class ZstdDecompressionStream extends Base {
  constructor(options = undefined) {
    super(transformer(decompressTransform(options, 'ZstdDecompressionStream')));
  }
}

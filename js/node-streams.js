// zstd-kit/node: createZstdCompress() / createZstdDecompress(), stream.Transforms in the manner
// of node:zlib's createGzip(); errors surface as stream errors.
import { Transform } from 'node:stream';
import { compressTransform, decompressTransform } from './stream-adapter.js';

// The transform spec of stream-adapter.js as a Transform.
export function transformOf(spec) {
  return new Transform({
    transform(chunk, _encoding, callback) {
      try {
        spec.transform(chunk, (out) => this.push(out));
      } catch (e) {
        callback(e);
        return;
      }
      callback();
    },
    flush(callback) {
      try {
        spec.flush((out) => this.push(out));
      } catch (e) {
        callback(e);
        return;
      }
      callback();
    },
    destroy(error, callback) {
      spec.release();
      callback(error);
    },
  });
}

/** A Transform that compresses into one zstd frame; options as ZstdCompressor's. */
export function createZstdCompress(options = undefined) {
  return transformOf(compressTransform(options, 'createZstdCompress()'));
}

/** A Transform that decompresses concatenated frames; options as ZstdDecompressor's. */
export function createZstdDecompress(options = undefined) {
  return transformOf(decompressTransform(options, 'createZstdDecompress()'));
}

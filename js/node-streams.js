// zstd-kit/node: createZstdCompress() / createZstdDecompress(), stream.Transforms in the manner
// of node:zlib's createGzip(); errors surface as stream errors.
import { Transform } from 'node:stream';
import { ZstdCompressor } from './compressor.js';
import { ZstdDecompressor } from './decompressor.js';
import { throwLastError } from './errors.js';
import { wasm } from './runtime.js';
import { compressContinue, runCompress, runDecompress } from './session.js';
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';

function transformOf(session, run, end, writeSize, transformOptions) {
  const emit = (stream, steps) => {
    for (const out of session.output(steps, writeSize)) stream.push(out);
  };
  return new Transform({
    ...transformOptions,
    transform(chunk, _encoding, callback) {
      try {
        emit(this, session.push(chunk, run, writeSize));
      } catch (e) {
        callback(e);
        return;
      }
      callback();
    },
    flush(callback) {
      try {
        end(this, emit);
      } catch (e) {
        callback(e);
        return;
      }
      session.free();
      callback();
    },
    destroy(error, callback) {
      session.free();
      callback(error);
    },
  });
}

/** A Transform that compresses into one zstd frame; options as ZstdCompressor's. */
export function createZstdCompress(options = undefined) {
  const c = new ZstdCompressor(options);
  const session = c._stream(-1);
  c.free();
  return transformOf(session, compressContinue, (stream, emit) => emit(stream, session.drain(runCompress(2), COMPRESSION_RECOMMENDED_OUTPUT_SIZE)), COMPRESSION_RECOMMENDED_OUTPUT_SIZE);
}

/** A Transform that decompresses concatenated frames; options as ZstdDecompressor's. */
export function createZstdDecompress(options = undefined) {
  const d = new ZstdDecompressor(options);
  const session = d._stream();
  d.free();
  return transformOf(session, runDecompress(true), () => {
    if (!session._handle.checkEnd()) throwLastError(wasm());
  }, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE);
}

// What a transform stream does, shared by the Web TransformStreams (web-streams.js) and the Node
// Transforms (node-streams.js): input chunks go through a session of their own, output is
// emitted as it is produced in chunks of at most the recommended output size, and the memory
// goes when the stream ends, fails or is torn down.
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { compressionSession } from './compressor.js';
import { decompressionSession } from './decompressor.js';
import { compressContinue, END, runCompress, runDecompress } from './session.js';

const endRun = runCompress(END);
const decodeRun = runDecompress(true);

/**
 * { transform(chunk, emit), flush(emit), release() } over `session`: `run` pushes input,
 * `end()` returns the steps that finish the stream. Any error releases the memory.
 */
export function transformOf(session, run, end, writeSize) {
  const guarded = (fn) => {
    try {
      fn();
    } catch (e) {
      session.free();
      throw e;
    }
  };
  const emitAll = (steps, emit) => {
    for (const out of session._output(steps, writeSize)) emit(out);
  };
  return {
    /** Pushes one input chunk through; emit(out) gets every output chunk it makes. */
    transform: (chunk, emit) => guarded(() => emitAll(session._push(chunk, run, writeSize), emit)),
    /** The input has ended: the rest of the output, then the memory goes. */
    flush: (emit) =>
      guarded(() => {
        emitAll(end(), emit);
        session._finish();
      }),
    /** Nothing more will come (cancelled, aborted, destroyed): the memory goes. */
    release: () => session.free(),
  };
}

/** A compressing transform: one zstd frame; options as new ZstdCompressor(options)'s. */
export function compressTransform(options, call) {
  const session = compressionSession(options, call);
  const size = COMPRESSION_RECOMMENDED_OUTPUT_SIZE;
  return transformOf(session, compressContinue, () => session._drain(endRun, size), size);
}

/** A decompressing transform: concatenated frames; a stream ending inside a frame is a ZstdError. */
export function decompressTransform(options, call) {
  const session = decompressionSession(options, call);
  const end = () => {
    session._checkEnd();
    return [];
  };
  return transformOf(session, decodeRun, end, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE);
}

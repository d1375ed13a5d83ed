// What a transform stream does, shared by the Web TransformStreams (web-streams.js) and the Node
// Transforms (node-streams.js): input chunks go through a session of their own, output is
// emitted as it is produced in chunks of at most the recommended output size, and the memory
// goes when the stream ends, fails or is torn down.
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { compressionSession } from './compressor.js';
import { decompressionSession } from './decompressor.js';
import { compressContinue, CONTINUE, END, runCompress, runDecompress } from './session.js';

const decodeRun = runDecompress(true);

/**
 * { transform(chunk, emit), flush(emit), drain(directive, emit), release() } over `session`:
 * push(chunk) and end() return the steps that take input and finish the stream. Any error
 * releases the memory.
 */
export function transformOf(session, push, end, writeSize) {
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
    transform: (chunk, emit) => guarded(() => emitAll(push(chunk), emit)),
    /** The input has ended: the rest of the output, then the memory goes. */
    flush: (emit) =>
      guarded(() => {
        emitAll(end(), emit);
        session._finish();
      }),
    /** Compressing: output now, with zstd's end directive (FLUSH: all so far decodable; END: the frame ends, more input starts another). */
    drain: (directive, emit) => guarded(() => emitAll(session._drain(runCompress(directive), writeSize), emit)),
    /** Nothing more will come (cancelled, aborted, destroyed): the memory goes. */
    release: () => session.free(),
  };
}

/**
 * A compressing transform: one zstd frame; options as new ZstdCompressor(options)'s. `size`:
 * the input size when known (written in the frame, checked); `flush`: zstd's end directive run
 * after each chunk (CONTINUE: none); `finish`: the one that ends the stream (END ends the frame).
 */
export function compressTransform(
  options,
  call,
  { size = -1, writeSize = COMPRESSION_RECOMMENDED_OUTPUT_SIZE, flush = CONTINUE, finish = END } = {},
) {
  const session = compressionSession(options, call, size);
  const push =
    flush === CONTINUE
      ? (chunk) => session._push(chunk, compressContinue, writeSize)
      : function* (chunk) {
          yield* session._push(chunk, compressContinue, writeSize);
          yield* session._drain(runCompress(flush), writeSize);
        };
  return transformOf(session, push, () => session._drain(runCompress(finish), writeSize), writeSize);
}

/**
 * A decompressing transform: concatenated frames; a stream ending inside a frame is a ZstdError
 * (unless checkEnd is false: then what it decoded so far is all there is).
 */
export function decompressTransform(options, call, { writeSize = DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE, checkEnd = true } = {}) {
  const session = decompressionSession(options, call);
  const end = () => {
    if (checkEnd) session._checkEnd();
    return [];
  };
  return transformOf(session, (chunk) => session._push(chunk, decodeRun, writeSize), end, writeSize);
}

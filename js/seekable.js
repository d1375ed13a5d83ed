// Writing seekable files (zstd's contrib/seekable_format): frames of frameSize bytes compressed
// independently, then the seek table in a skippable frame. One-shot (compressSeekable), as a
// writer into any sink (c.seekableWriter), and as stream transforms (ZstdSeekableCompressionStream
// here, createZstdSeekableCompress in zstd-kit/node). Reading them: seekable-reader.js.
import { COMPRESSION_RECOMMENDED_OUTPUT_SIZE } from './constants.js';
import { compressorHandle } from './compressor.js';
import { copyOut, withInput } from './input.js';
import { seekableOptions } from './options.js';
import { check, wasm } from './runtime.js';
import { compressContinue, Session } from './session.js';
import { transformOf } from './stream-adapter.js';
import { sinkOf, ZstdStreamWriter } from './stream-writer.js';
import { Base, transformer } from './web-streams.js';

/** The directive that ends a seekable stream: the last frame, then the seek table. */
const finishRun = (h, maxOutput) => h.run(wasm().SEEKABLE_FINISH, maxOutput);

/**
 * Compresses `data` into a seekable file: frames of frameSize bytes (default 1 MiB), each with its
 * content size, then the seek table (with each frame's XXH64 checksum unless checksum is false).
 * `zstd -d` decodes it; openSeekable() reads any range of it.
 * @returns {Uint8Array}
 */
export function compressSeekable(data, options = undefined) {
  const o = seekableOptions(options, 'compressSeekable()');
  const M = wasm();
  const c = compressorHandle(o.compressor);
  try {
    return withInput(data, (ptr, size) => {
      const out = check(M.compressSeekable(c, ptr, size, o.frameSize, o.checksum));
      try {
        return copyOut(out.ptr(), out.size());
      } finally {
        out.delete();
      }
    });
  } finally {
    c.delete();
  }
}

/** A seekable streaming session (a Session over SeekableCompressStream) for checked options. */
function seekableSession(o) {
  const M = wasm();
  const c = compressorHandle(o.compressor);
  try {
    return new Session(check(M.seekableStream(c, o.frameSize, o.checksum)));
  } finally {
    c.delete(); // the session has a context of its own
  }
}

/** @internal ZstdCompressor.seekableWriter(): a ZstdStreamWriter ending with the seek table. */
export function seekableWriterOf(compressor, sink, { frameSize, checksum, writeSize, closeSink }) {
  const target = sinkOf(sink);
  try {
    const handle = check(wasm().seekableStream(compressor, frameSize, checksum));
    return new ZstdStreamWriter(handle, target, { writeSize, closeSink, compress: true, finish: wasm().SEEKABLE_FINISH });
  } catch (e) {
    target.release?.();
    throw e;
  }
}

/** @internal The transform spec (stream-adapter.js) of a seekable compressing stream. */
export function seekableTransform(options, call) {
  const session = seekableSession(seekableOptions(options, call));
  const size = COMPRESSION_RECOMMENDED_OUTPUT_SIZE;
  return transformOf(
    session,
    (chunk) => session._push(chunk, compressContinue, size),
    () => session._drain(finishRun, size),
    size,
  );
}

/**
 * new ZstdSeekableCompressionStream({ frameSize, level, checksum, ...compressor options }): a
 * TransformStream<BufferSource, Uint8Array> whose output is a seekable file. Memory stays bounded:
 * frames are written as they fill, the seek table (12 bytes per frame) at the end.
 */
export class ZstdSeekableCompressionStream extends Base {
  constructor(options = undefined) {
    super(transformer(seekableTransform(options, 'ZstdSeekableCompressionStream')));
  }
}

// zstd-kit/node: createZstdCompress() / createZstdDecompress(), stream.Transforms in the manner
// of node:zlib's (Node >= 22.15): zstd-kit's options or node:zlib's ({ params keyed by
// ZSTD_c_* / ZSTD_d_*, dictionary, pledgedSrcSize, chunkSize, flush, finishFlush }), flush(kind)
// and close() as node:zlib's streams have them; errors surface as stream errors. The convenience
// functions of node-zlib.js run on the same engines.
import { Transform } from 'node:stream';
import { MAX_COMPRESSION_LEVEL, MIN_COMPRESSION_LEVEL } from './constants.js';
import { ZstdCompressionDict } from './dictionary.js';
import { rangeError } from './errors.js';
import { nodeError, ZSTD_C_PARAMETERS, ZSTD_D_PARAMETERS, zlibOptions } from './options.js';
import { ZstdCompressionParameters } from './parameters.js';
import { CONTINUE, END, FLUSH } from './session.js';
import { compressTransform, decompressTransform } from './stream-adapter.js';

const C = ZSTD_C_PARAMETERS;
// zstd parameters that map onto ZstdCompressor options of their own; the others go into a
// ZstdCompressionParameters (named as it names them).
const PARAMETER_FIELDS = {
  [C.windowLog]: 'windowLog',
  [C.hashLog]: 'hashLog',
  [C.chainLog]: 'chainLog',
  [C.searchLog]: 'searchLog',
  [C.minMatch]: 'minMatch',
  [C.targetLength]: 'targetLength',
  [C.strategy]: 'strategy',
  [C.enableLongDistanceMatching]: 'enableLdm',
  [C.ldmHashLog]: 'ldmHashLog',
  [C.ldmMinMatch]: 'ldmMinMatch',
  [C.ldmBucketSizeLog]: 'ldmBucketSizeLog',
  [C.ldmHashRateLog]: 'ldmHashRateLog',
  [C.jobSize]: 'jobSize',
  [C.overlapLog]: 'overlapLog',
};

/**
 * A `dictionary` option as a ZstdCompressionDict: bytes are taken as ZSTD_CCtx_loadDictionary()
 * takes them (a full dictionary when they start with its magic, else raw content). `owned`
 * tells whether it was made here (and must be freed once the stream exists: streams keep it).
 */
function dictionaryOf(value) {
  if (value === undefined || value === null) return { dict: undefined, owned: false };
  if (value instanceof ZstdCompressionDict) return { dict: value, owned: false };
  if (ArrayBuffer.isView(value) || Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    return { dict: new ZstdCompressionDict(value), owned: true };
  }
  throw nodeError(
    new TypeError('The "options.dictionary" property must be a Buffer, TypedArray, DataView, ArrayBuffer or ZstdCompressionDict'),
    'ERR_INVALID_ARG_TYPE',
  );
}

/** zstd-kit's compressor options for node:zlib's (params over zstd-kit's own keys). */
function compressorOptionsOf(z) {
  const own = { ...z.own };
  const fields = {};
  for (const [id, value] of z.params) {
    if (id === C.compressionLevel) {
      // libzstd clamps the level (0 is its default), and so node:zlib does.
      own.level = value === 0 ? 3 : Math.max(MIN_COMPRESSION_LEVEL, Math.min(MAX_COMPRESSION_LEVEL, Math.trunc(value)));
    } else if (id === C.checksumFlag) own.writeChecksum = value !== 0;
    else if (id === C.contentSizeFlag) own.writeContentSize = value !== 0;
    else if (id === C.dictIDFlag) own.writeDictId = value !== 0;
    else if (id === C.nbWorkers) own.threads = value;
    else if (id === C.enableLongDistanceMatching) {
      if (value !== 0) fields.enableLdm = value === 1; // 0: libzstd decides, 1: on, 2: off
    } else if (value !== 0) fields[PARAMETER_FIELDS[id]] = value; // 0: the level's own
  }
  if (Object.keys(fields).length > 0) {
    // Explicit parameters replace the level in zstd-kit: start from the level's, as libzstd does.
    const base = ZstdCompressionParameters.fromLevel(own.level ?? 3).toJSON();
    own.compressionParams = new ZstdCompressionParameters({ ...base, ...own.compressionParams?.toJSON(), ...fields });
  }
  return own;
}

/** zstd-kit's decompressor options for node:zlib's. */
function decompressorOptionsOf(z) {
  const own = { ...z.own };
  for (const [id, value] of z.params) {
    if (id === ZSTD_D_PARAMETERS.windowLogMax && value !== 0) {
      if (!Number.isInteger(value) || value < 10 || value > 31) {
        throw nodeError(
          rangeError(`ZSTD_d_windowLogMax must be an integer in [10, 31] (or 0: the default), got ${value}`),
          'ERR_OUT_OF_RANGE',
        );
      }
      own.maxWindowSize = Math.min(2 ** value, 2 ** 32 - 1);
    }
  }
  return own;
}

// Zero-length buffers that stand for a flush in the write queue (node:zlib's kFlushBuffers):
// flush(kind) writes one, so it runs after the writes before it.
const FLUSH_MARKERS = new Map([CONTINUE, FLUSH, END].map((kind) => [kind, Buffer.alloc(0)]));
const kindOf = (chunk) => {
  for (const [kind, marker] of FLUSH_MARKERS) if (chunk === marker) return kind;
  return -1;
};

/** What ZstdCompress and ZstdDecompress share: a stream.Transform over a transform spec (stream-adapter.js). */
class ZstdTransform extends Transform {
  #spec;
  #fullFlush;
  #push = (out) => this.push(out);
  /** Bytes of input taken so far (node:zlib's engine.bytesWritten). */
  bytesWritten = 0;

  /** @internal */
  constructor(spec, transformOptions, fullFlush) {
    super(transformOptions);
    this.#spec = spec;
    this.#fullFlush = fullFlush;
  }

  _transform(chunk, _encoding, callback) {
    try {
      const kind = kindOf(chunk);
      if (kind >= 0) this._flushKind(kind, this.#push);
      else this._feed(chunk, this.#push);
    } catch (e) {
      callback(e);
      return;
    }
    callback();
  }

  _flush(callback) {
    try {
      this._end(this.#push);
    } catch (e) {
      callback(e);
      return;
    }
    callback();
  }

  _destroy(error, callback) {
    this.#spec.release();
    callback(error);
  }

  /** @internal One input chunk through, output to emit (also used by the convenience functions). */
  _feed(chunk, emit) {
    this.#spec.transform(chunk, emit);
    this.bytesWritten += chunk.length;
  }

  /** @internal The end of the input: the rest of the output, then the memory goes. */
  _end(emit) {
    this.#spec.flush(emit);
  }

  /** @internal */
  _flushKind(kind, emit) {
    if (this.#spec.drain !== undefined && kind !== CONTINUE) this.#spec.drain(kind, emit);
  }

  /**
   * node:zlib's flush([kind], [callback]): output everything written so far (kind ZSTD_e_flush,
   * the default) or end the frame there (ZSTD_e_end: later writes start a new one).
   */
  flush(kind = undefined, callback = undefined) {
    if (typeof kind === 'function' || kind === undefined) {
      callback = typeof kind === 'function' ? kind : callback;
      kind = this.#fullFlush;
    }
    const marker = FLUSH_MARKERS.get(kind);
    if (marker === undefined)
      throw nodeError(
        rangeError(`flush kind must be ZSTD_e_continue, ZSTD_e_flush or ZSTD_e_end (0..2), got ${String(kind)}`),
        'ERR_OUT_OF_RANGE',
      );
    if (this.writableFinished || this.writableEnded) {
      if (callback) process.nextTick(callback);
    } else {
      this.write(marker, callback);
    }
  }

  /** node:zlib's close([callback]): releases the stream now. */
  close(callback = undefined) {
    if (callback) this.once('close', callback);
    this.destroy();
  }
}

/** node:zlib's ZstdCompress. */
export class ZstdCompress extends ZstdTransform {
  /** @param knownSize @internal the input's size when the caller knows it (the convenience functions): written in the frame */
  constructor(options = undefined, call = 'createZstdCompress()', knownSize = -1) {
    const z = zlibOptions(options, call, true);
    const { dict, owned } = dictionaryOf(z.dictionary);
    let spec;
    try {
      const own = compressorOptionsOf(z);
      if (dict !== undefined) own.dictData = dict;
      spec = compressTransform(own, call, {
        size: z.pledgedSrcSize >= 0 ? z.pledgedSrcSize : z.flush === CONTINUE && z.finishFlush === END ? knownSize : -1,
        flush: z.flush,
        finish: z.finishFlush,
        ...(z.chunkSize > 0 ? { writeSize: z.chunkSize } : {}),
      });
    } finally {
      if (owned) dict.free(); // the session keeps what it uses
    }
    super(spec, z.transform, FLUSH);
    /** @internal */
    this._zlib = z;
  }
}

/** node:zlib's ZstdDecompress: reads concatenated frames (skippable ones skipped). */
export class ZstdDecompress extends ZstdTransform {
  constructor(options = undefined, call = 'createZstdDecompress()') {
    const z = zlibOptions(options, call, false);
    const { dict, owned } = dictionaryOf(z.dictionary);
    let spec;
    try {
      const own = decompressorOptionsOf(z);
      if (dict !== undefined) own.dictData = dict;
      spec = decompressTransform(own, call, { checkEnd: z.finishFlush === END, ...(z.chunkSize > 0 ? { writeSize: z.chunkSize } : {}) });
    } finally {
      if (owned) dict.free();
    }
    super(spec, z.transform, FLUSH);
    /** @internal */
    this._zlib = z;
  }
}

/**
 * A Transform that compresses into one zstd frame (like node:zlib's createZstdCompress()):
 * options as ZstdCompressor's, or node:zlib's.
 */
export function createZstdCompress(options = undefined) {
  return new ZstdCompress(options);
}

/**
 * A Transform that decompresses concatenated frames (like node:zlib's createZstdDecompress(),
 * which stops after the first): options as ZstdDecompressor's, or node:zlib's.
 */
export function createZstdDecompress(options = undefined) {
  return new ZstdDecompress(options);
}

/** @internal A stream.Transform over a transform spec of stream-adapter.js (the seekable compressor's, seekable-node.js). */
export function transformOf(spec) {
  return new ZstdTransform(spec, undefined, FLUSH);
}

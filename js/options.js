// Every options object of the public API is read here, with one message style: a TypeError for
// a value of the wrong type or a key the call does not take (naming it and the ones it takes),
// a RangeError for a number out of bounds. One reader per call shape; the sync, async and
// streaming forms of an API share it. Object-valued options (dictData, compressionParams) are
// passed through and checked by the module that converts them.
import {
  COMPRESSION_RECOMMENDED_INPUT_SIZE,
  COMPRESSION_RECOMMENDED_OUTPUT_SIZE,
  DECOMPRESSION_RECOMMENDED_INPUT_SIZE,
  DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE,
  DEFAULT_COMPRESSION_LEVEL,
  FORMAT_ZSTD1,
  FORMAT_ZSTD1_MAGICLESS,
  MAX_COMPRESSION_LEVEL,
  MIN_COMPRESSION_LEVEL,
} from './constants.js';
import { rangeError, typeError } from './errors.js';

/** Largest size wasm32 memory can address. */
export const MAX_WASM_SIZE = 2 ** 32 - 1;
/** zstd's limit on worker threads in wasm32 (ZSTDMT_NBWORKERS_MAX); more is a RangeError. */
export const MAX_THREADS = 64;
const INT32_MAX = 2 ** 31 - 1;

const EMPTY = Object.freeze({});

/** A short name for a value's type in messages. */
export function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/** An options argument: undefined or null (no options), or a plain object. */
export function optionsObject(options, name = 'options') {
  if (options === undefined || options === null) return EMPTY;
  if (typeof options !== 'object') throw typeError(`${name} must be an object, got ${describe(options)}`);
  return options;
}

/** An integer in [min, max]: TypeError for a non-number, RangeError outside; `fallback` when undefined. */
export function integerOption(value, name, min, max, fallback) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw typeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

/** A required integer argument (not an option): as integerOption(), TypeError when missing. */
export function integerArgument(value, name, min, max) {
  if (value === undefined) throw typeError(`${name} is required`);
  return integerOption(value, name, min, max);
}

/**
 * The options object of `call`, which takes the keys in `accepted` (a Set): any other own key is
 * a TypeError naming it and the accepted ones (a typo must not be silently ignored).
 */
function accept(options, call, accepted) {
  const o = optionsObject(options);
  for (const key in o) {
    if (!accepted.has(key) && Object.hasOwn(o, key)) {
      const list = accepted.size === 0 ? 'it takes none' : `it takes ${[...accepted].join(', ')}`;
      throw typeError(`${call}: unknown option '${key}' (${list})`);
    }
  }
  return o;
}

const keys = (...names) => new Set(names);

// Field readers shared by the calls below.
const level = (v) => integerOption(v, 'level', MIN_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_LEVEL);
/** `threads`: 0 (or 1 for batches) one thread, -1 all logical CPUs; the core clamps to features.maxThreads. */
export const threadsOption = (v) => integerOption(v, 'threads', -1, MAX_THREADS, 0);
const pledgedSize = (v) => integerOption(v, 'size', 0, Number.MAX_SAFE_INTEGER, -1);
const chunkSizes = (o, readDefault, writeDefault) => ({
  readSize: integerOption(o.readSize, 'readSize', 1, INT32_MAX, readDefault),
  writeSize: integerOption(o.writeSize, 'writeSize', 1, INT32_MAX, writeDefault),
});

const FORMATS = { zstd1: FORMAT_ZSTD1, magicless: FORMAT_ZSTD1_MAGICLESS };

/** A frame format: 'zstd1' | 'magicless' or FORMAT_ZSTD1 | FORMAT_ZSTD1_MAGICLESS. */
export function formatOption(format) {
  if (format === undefined) return FORMAT_ZSTD1;
  if (typeof format !== 'string' && typeof format !== 'number') {
    throw typeError(`format must be a string or number, got ${describe(format)}`);
  }
  if (typeof format === 'string' && Object.hasOwn(FORMATS, format)) return FORMATS[format];
  if (format === FORMAT_ZSTD1 || format === FORMAT_ZSTD1_MAGICLESS) return format;
  throw rangeError(`format must be 'zstd1', 'magicless', FORMAT_ZSTD1 or FORMAT_ZSTD1_MAGICLESS; got ${String(format)}`);
}

// --- Compressors -------------------------------------------------------------------------------

const COMPRESSOR = keys('level', 'dictData', 'compressionParams', 'writeChecksum', 'writeContentSize', 'writeDictId', 'threads');

/** new ZstdCompressor(options), new ZstdCompressionStream(options), createZstdCompress(options). */
export function compressorOptions(options, call = 'ZstdCompressor') {
  const o = accept(options, call, COMPRESSOR);
  return {
    level: level(o.level),
    writeChecksum: o.writeChecksum === undefined ? false : Boolean(o.writeChecksum),
    writeContentSize: o.writeContentSize === undefined ? true : Boolean(o.writeContentSize),
    writeDictId: o.writeDictId === undefined ? true : Boolean(o.writeDictId),
    threads: threadsOption(o.threads),
    dictData: o.dictData,
    compressionParams: o.compressionParams,
  };
}

// The one-liners (oneshot.js): zstd.compress(data, levelOrOptions), zstd.decompress(data, options).
// `key` names the cached object that serves the options; null when the call needs its own.
const ONE_SHOT_DECOMPRESS = keys('maxOutputSize', 'dictData', 'maxWindowSize');

/** zstd.compress()'s second argument: { key, options } (options for new ZstdCompressor()). */
export function oneShotCompressOptions(levelOrOptions, call) {
  const given =
    levelOrOptions === undefined || levelOrOptions === null
      ? EMPTY
      : typeof levelOrOptions === 'number'
        ? { level: levelOrOptions }
        : typeof levelOrOptions === 'object'
          ? levelOrOptions
          : (() => {
              throw typeError(`${call}: levelOrOptions must be a number or an options object, got ${describe(levelOrOptions)}`);
            })();
  const o = compressorOptions(given, call);
  const own = o.dictData !== undefined && o.dictData !== null;
  const params = o.compressionParams !== undefined && o.compressionParams !== null;
  const key =
    own || params
      ? null
      : given === EMPTY || typeof levelOrOptions === 'number'
        ? o.level
        : `${o.level},${+o.writeChecksum},${+o.writeContentSize},${+o.writeDictId},${o.threads}`;
  return { key, options: o };
}

/** zstd.decompress()'s options: { key, decompressor (its options), decode (decompress()'s) }. */
export function oneShotDecompressOptions(options, call) {
  const o = accept(options, call, ONE_SHOT_DECOMPRESS);
  const maxWindowSize = integerOption(o.maxWindowSize, 'maxWindowSize', 0, MAX_WASM_SIZE, 0);
  const maxOutputSize = integerOption(o.maxOutputSize, 'maxOutputSize', 0, MAX_WASM_SIZE, 0);
  const own = o.dictData !== undefined && o.dictData !== null;
  return {
    key: own ? null : maxWindowSize,
    decompressor: { maxWindowSize, dictData: o.dictData },
    decode: { maxOutputSize, readAcrossFrames: true },
  };
}

const COMPRESSOBJ = keys('size');
const CHUNKER = keys('size', 'chunkSize');
const COMPRESS_READ = keys('size', 'readSize', 'writeSize');
const COMPRESS_WRITER = keys('size', 'writeSize', 'closeSink');

/** c.compressobj(options): { size } (-1: unknown). */
export function compressobjOptions(options) {
  return { size: pledgedSize(accept(options, 'compressobj()', COMPRESSOBJ).size) };
}

/** c.chunker(options): { size, chunkSize }. */
export function chunkerOptions(options) {
  const o = accept(options, 'chunker()', CHUNKER);
  return { size: pledgedSize(o.size), chunkSize: integerOption(o.chunkSize, 'chunkSize', 1, INT32_MAX, 131072) };
}

/** c.readToIter(source, options) and c.copyStream(source, sink, options): { size, readSize, writeSize }. */
export function compressReadOptions(options, call) {
  const o = accept(options, call, COMPRESS_READ);
  return { size: pledgedSize(o.size), ...chunkSizes(o, COMPRESSION_RECOMMENDED_INPUT_SIZE, COMPRESSION_RECOMMENDED_OUTPUT_SIZE) };
}

/** c.streamWriter(sink, options): { size, writeSize, closeSink }. */
export function compressWriterOptions(options) {
  const o = accept(options, 'streamWriter()', COMPRESS_WRITER);
  return {
    size: pledgedSize(o.size),
    writeSize: chunkSizes(o, 0, COMPRESSION_RECOMMENDED_OUTPUT_SIZE).writeSize,
    closeSink: o.closeSink ?? true,
  };
}

const COMPRESS_STREAM_READER = keys('size', 'readSize');

/** c.streamReader(source, options): { size, readSize }. */
export function compressStreamReaderOptions(options) {
  const o = accept(options, 'streamReader()', COMPRESS_STREAM_READER);
  return { size: pledgedSize(o.size), readSize: chunkSizes(o, COMPRESSION_RECOMMENDED_INPUT_SIZE, 0).readSize };
}

// --- Decompressors -----------------------------------------------------------------------------

const DECOMPRESSOR = keys('maxWindowSize', 'format', 'dictData');

/** new ZstdDecompressor(options), new ZstdDecompressionStream(options), createZstdDecompress(options). */
export function decompressorOptions(options, call = 'ZstdDecompressor') {
  const o = accept(options, call, DECOMPRESSOR);
  return {
    maxWindowSize: integerOption(o.maxWindowSize, 'maxWindowSize', 0, MAX_WASM_SIZE, 0),
    format: formatOption(o.format),
    dictData: o.dictData,
  };
}

const DECODE = keys('maxOutputSize', 'readAcrossFrames');
const DEFAULT_DECODE = Object.freeze({ maxOutputSize: 0, across: false });

/** d.decompress(frame, options) and d.decompressToBuffer(frame, options): { maxOutputSize, across }. */
export function decodeOptions(options, call) {
  if (options === undefined) return DEFAULT_DECODE;
  const o = accept(options, call, DECODE);
  return {
    maxOutputSize: integerOption(o.maxOutputSize, 'maxOutputSize', 0, MAX_WASM_SIZE, 0),
    across: Boolean(o.readAcrossFrames),
  };
}

const DECOMPRESSOBJ = keys('readAcrossFrames');
const DECOMPRESS_READ = keys('readSize', 'writeSize', 'skipBytes', 'readAcrossFrames');
const DECOMPRESS_WRITER = keys('writeSize', 'closeSink');
const DECOMPRESS_COPY = keys('readSize', 'writeSize');

/** d.decompressobj(options): { across } (default false: the first frame only). */
export function decompressobjOptions(options) {
  return { across: Boolean(accept(options, 'decompressobj()', DECOMPRESSOBJ).readAcrossFrames) };
}

/** d.readToIter(source, options): { readSize, writeSize, skipBytes, across } (across by default). */
export function decompressReadOptions(options) {
  const o = accept(options, 'readToIter()', DECOMPRESS_READ);
  return {
    ...chunkSizes(o, DECOMPRESSION_RECOMMENDED_INPUT_SIZE, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE),
    skipBytes: integerOption(o.skipBytes, 'skipBytes', 0, Number.MAX_SAFE_INTEGER, 0),
    across: o.readAcrossFrames === undefined ? true : Boolean(o.readAcrossFrames),
  };
}

/** d.streamWriter(sink, options): { writeSize, closeSink }. */
export function decompressWriterOptions(options) {
  const o = accept(options, 'streamWriter()', DECOMPRESS_WRITER);
  return { writeSize: chunkSizes(o, 0, DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE).writeSize, closeSink: o.closeSink ?? true };
}

/** d.copyStream(source, sink, options): { readSize, writeSize }. */
export function decompressCopyOptions(options) {
  return chunkSizes(
    accept(options, 'copyStream()', DECOMPRESS_COPY),
    DECOMPRESSION_RECOMMENDED_INPUT_SIZE,
    DECOMPRESSION_RECOMMENDED_OUTPUT_SIZE,
  );
}

const DECOMPRESS_STREAM_READER = keys('readSize', 'readAcrossFrames');

/** d.streamReader(source, options): { readSize, across } (across frames by default). */
export function decompressStreamReaderOptions(options) {
  const o = accept(options, 'streamReader()', DECOMPRESS_STREAM_READER);
  return {
    readSize: chunkSizes(o, DECOMPRESSION_RECOMMENDED_INPUT_SIZE, 0).readSize,
    across: o.readAcrossFrames === undefined ? true : Boolean(o.readAcrossFrames),
  };
}

// --- Batches, dictionaries, parameters ----------------------------------------------------------

const MULTI_COMPRESS = keys('threads');
const MULTI_DECOMPRESS = keys('threads', 'decompressedSizes');

/** multiCompressToBuffer(Async)(data, options): { threads }. */
export function multiCompressOptions(options, call) {
  return { threads: threadsOption(accept(options, call, MULTI_COMPRESS).threads) };
}

/** multiDecompressToBuffer(Async)(frames, options): { threads, decompressedSizes } (sizes checked by batch.js). */
export function multiDecompressOptions(options, call) {
  const o = accept(options, call, MULTI_DECOMPRESS);
  return { threads: threadsOption(o.threads), decompressedSizes: o.decompressedSizes };
}

const DICT_TYPES = { auto: 0, rawContent: 1, fullDict: 2 };
const DICTIONARY = keys('dictType');
const PRECOMPUTE = keys('level');

/** new ZstdCompressionDict(data, options): { dictType } as ZSTD_dictContentType_e. */
export function dictionaryOptions(options) {
  const value = accept(options, 'ZstdCompressionDict', DICTIONARY).dictType;
  if (value === undefined) return { dictType: 0 };
  if (typeof value === 'string' && Object.hasOwn(DICT_TYPES, value)) return { dictType: DICT_TYPES[value] };
  if (value === 0 || value === 1 || value === 2) return { dictType: value };
  throw rangeError(`dictType must be 'auto', 'rawContent' or 'fullDict', got ${String(value)}`);
}

/** dict.precompute(options): { level }. */
export function precomputeOptions(options) {
  return { level: level(accept(options, 'precompute()', PRECOMPUTE).level) };
}

const TRAIN = keys('k', 'd', 'f', 'splitPoint', 'accel', 'steps', 'threads', 'level', 'dictId', 'notifications');

/** trainDictionary(dictSize, samples, options): every fastCover setting, as numbers (0: libzstd's default). */
export function trainOptions(options) {
  const o = accept(options, 'trainDictionary()', TRAIN);
  const uint = (name, max) => integerOption(o[name], name, 0, max, 0);
  let splitPoint = 0;
  if (o.splitPoint !== undefined) {
    if (typeof o.splitPoint !== 'number') throw typeError(`splitPoint must be a number, got ${describe(o.splitPoint)}`);
    if (!(o.splitPoint > 0 && o.splitPoint <= 1)) throw rangeError(`splitPoint must be in (0, 1], got ${o.splitPoint}`);
    splitPoint = o.splitPoint;
  }
  return {
    k: uint('k', INT32_MAX),
    d: uint('d', INT32_MAX),
    f: uint('f', 31),
    steps: uint('steps', INT32_MAX),
    accel: uint('accel', 10),
    splitPoint,
    threads: threadsOption(o.threads),
    level: level(o.level),
    // libzstd in wasm32 cannot compress with the top 120 ids (they read as error codes).
    dictId: uint('dictId', 2 ** 32 - 121),
    notifications: uint('notifications', 4),
  };
}

const FROM_LEVEL = keys('sourceSize', 'dictSize');

/** ZstdCompressionParameters.fromLevel(level, options): { sourceSize, dictSize }. */
export function fromLevelOptions(options) {
  const o = accept(options, 'fromLevel()', FROM_LEVEL);
  return {
    sourceSize: integerOption(o.sourceSize, 'sourceSize', 0, Number.MAX_SAFE_INTEGER, 0),
    dictSize: integerOption(o.dictSize, 'dictSize', 0, MAX_WASM_SIZE, 0),
  };
}

/** The compression level argument of fromLevel() (required). */
export function levelArgument(value) {
  return integerArgument(value, 'level', MIN_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL);
}

// --- I/O objects (io.js), archives (archive.js) -------------------------------------------------

/** The keys of `o` that are in `set`, as a new object (the options one module passes on to another). */
function pick(o, set) {
  const out = {};
  for (const key of set) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

const COMPRESSED_OUTPUT = keys(...COMPRESSOR, 'size', 'writeSize', 'closeSink');
const COMPRESSED_INPUT = keys(...DECOMPRESSOR, 'readSize', 'readAcrossFrames');

/** new CompressedOutputStream(sink, options): the compressor's options and its writer's. */
export function compressedOutputOptions(options, call = 'CompressedOutputStream') {
  const o = accept(options, call, COMPRESSED_OUTPUT);
  return { compressor: pick(o, COMPRESSOR), writer: pick(o, COMPRESS_WRITER) };
}

/** new CompressedInputStream(source, options): the decompressor's options and its reader's. */
export function compressedInputOptions(options, call = 'CompressedInputStream') {
  const o = accept(options, call, COMPRESSED_INPUT);
  return { decompressor: pick(o, DECOMPRESSOR), reader: pick(o, DECOMPRESS_STREAM_READER) };
}

const COMPRESSIONS = new Set(['detect', 'zstd', null]);
const INPUT_STREAM = keys('compression', ...COMPRESSED_INPUT);
const OUTPUT_STREAM = keys('compression', ...COMPRESSED_OUTPUT);

function compressionOption(value) {
  if (value === undefined) return 'detect';
  if (!COMPRESSIONS.has(value)) throw rangeError(`compression must be 'detect', 'zstd' or null, got ${String(value)}`);
  return value;
}

/**
 * inputStream(source, options): compression ('detect': by a '.zst' name, 'zstd': always, null:
 * never), then CompressedInputStream's options.
 */
export function inputStreamOptions(options) {
  const o = accept(options, 'inputStream()', INPUT_STREAM);
  return { compression: compressionOption(o.compression), ...compressedInputOptions(pick(o, COMPRESSED_INPUT), 'inputStream()') };
}

/** outputStream(target, options): compression as inputStream's, then CompressedOutputStream's options. */
export function outputStreamOptions(options) {
  const o = accept(options, 'outputStream()', OUTPUT_STREAM);
  return { compression: compressionOption(o.compression), ...compressedOutputOptions(pick(o, COMPRESSED_OUTPUT), 'outputStream()') };
}

const OPEN_MODES = new Set(['r', 'w', 'a']);
const OPEN = keys('mode', 'encoding', ...COMPRESSOR, ...DECOMPRESSOR);

/** open(file, options): { mode, encoding, compressor, decompressor }. */
export function openOptions(options) {
  const o = accept(options, 'open()', OPEN);
  const mode = o.mode ?? 'r';
  if (typeof mode !== 'string') throw typeError(`mode must be a string, got ${describe(mode)}`);
  if (!OPEN_MODES.has(mode.replace('b', ''))) throw rangeError(`mode must be 'r', 'w' or 'a', got '${mode}'`);
  if (o.encoding !== undefined && typeof o.encoding !== 'string') throw typeError(`encoding must be a string, got ${describe(o.encoding)}`);
  return { mode: mode.replace('b', ''), encoding: o.encoding, compressor: pick(o, COMPRESSOR), decompressor: pick(o, DECOMPRESSOR) };
}

const TAR_ZST = keys('level', 'threads', 'seekable', 'frameSize');
const UNTAR_ZST = keys('maxEntrySize');
const PACK_DIRECTORY = keys('level', 'threads', 'filter');
const EXTRACT_ARCHIVE = keys('strip', 'filter');
const ARCHIVE_ENTRY = keys('name', 'data', 'stream', 'body', 'size', 'mode', 'mtime', 'type', 'linkname');

function filterOption(value) {
  if (value !== undefined && typeof value !== 'function') throw typeError(`filter must be a function, got ${describe(value)}`);
  return value;
}

/** tarZst(entries, options): { level, threads, seekable, frameSize (seekable archives only) }. */
export function tarZstOptions(options, call = 'tarZst()') {
  const o = accept(options, call, TAR_ZST);
  const seekable = Boolean(o.seekable);
  if (o.frameSize !== undefined && !seekable) throw typeError(`${call}: frameSize is for seekable archives (seekable: true)`);
  return { level: level(o.level), threads: threadsOption(o.threads), seekable, frameSize: o.frameSize };
}

/** untarZst(source, options): { maxEntrySize } (0: no limit). */
export function untarZstOptions(options) {
  const o = accept(options, 'untarZst()', UNTAR_ZST);
  return { maxEntrySize: integerOption(o.maxEntrySize, 'maxEntrySize', 0, Number.MAX_SAFE_INTEGER, 0) };
}

/** packDirectory(dir, out, options): { level, threads, filter }. */
export function packDirectoryOptions(options) {
  const o = accept(options, 'packDirectory()', PACK_DIRECTORY);
  return { level: level(o.level), threads: threadsOption(o.threads), filter: filterOption(o.filter) };
}

/** extractArchive(archive, dir, options): { strip, filter }. */
export function extractArchiveOptions(options) {
  const o = accept(options, 'extractArchive()', EXTRACT_ARCHIVE);
  return { strip: integerOption(o.strip, 'strip', 0, 1024, 0), filter: filterOption(o.filter) };
}

/** One entry of tarZst() given as a plain object: its own keys checked like an options object's. */
export function archiveEntryObject(entry) {
  if (entry === null || typeof entry !== 'object') throw typeError(`an archive entry must be a File or an object, got ${describe(entry)}`);
  return accept(entry, 'tarZst() entry', ARCHIVE_ENTRY);
}

// --- node:zlib's zstd options (zstd-kit/node) ---------------------------------------------------
// Read as node:zlib reads them (Node >= 22.15), with its error codes on the errors (code written
// for node:zlib may test them); zstd-kit's own keys are taken too.

/** zstd's compression parameters (ZSTD_cParameter) as node:zlib names them, ZSTD_c_<name>. */
export const ZSTD_C_PARAMETERS = Object.freeze({
  compressionLevel: 100,
  windowLog: 101,
  hashLog: 102,
  chainLog: 103,
  searchLog: 104,
  minMatch: 105,
  targetLength: 106,
  strategy: 107,
  enableLongDistanceMatching: 160,
  ldmHashLog: 161,
  ldmMinMatch: 162,
  ldmBucketSizeLog: 163,
  ldmHashRateLog: 164,
  contentSizeFlag: 200,
  checksumFlag: 201,
  dictIDFlag: 202,
  nbWorkers: 400,
  jobSize: 401,
  overlapLog: 402,
});
/** zstd's decompression parameters (ZSTD_dParameter) node:zlib has, ZSTD_d_<name>. */
export const ZSTD_D_PARAMETERS = Object.freeze({ windowLogMax: 100 });

const ZLIB = ['flush', 'finishFlush', 'chunkSize', 'params', 'maxOutputLength', 'info', 'dictionary', 'pledgedSrcSize'];
// What node:zlib's streams hand on to stream.Transform.
const NODE_TRANSFORM = keys('highWaterMark', 'readableHighWaterMark', 'writableHighWaterMark', 'signal');
const ZLIB_COMPRESS = keys(...ZLIB, ...COMPRESSOR, ...NODE_TRANSFORM);
const ZLIB_DECOMPRESS = keys(...ZLIB, ...DECOMPRESSOR, ...NODE_TRANSFORM);
const K_MAX_LENGTH = 2 ** 32; // buffer.kMaxLength where a Buffer's limit is 4 GiB (wasm32 results cannot be larger)

/** A TypeError or RangeError carrying node:zlib's error code. */
export const nodeError = (error, code) => Object.assign(error, { code });

// node:zlib's checkRangesOrGetDefault(): undefined or NaN -> default; a non-number: TypeError.
function zlibNumber(value, name, min, max, fallback) {
  if (value === undefined || Number.isNaN(value)) return fallback;
  if (typeof value !== 'number') {
    throw nodeError(typeError(`The "${name}" property must be of type number. Received ${describe(value)}`), 'ERR_INVALID_ARG_TYPE');
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw nodeError(
      rangeError(`The value of "${name}" is out of range. It must be >= ${min} and <= ${max}. Received ${value}`),
      'ERR_OUT_OF_RANGE',
    );
  }
  return value;
}

/**
 * The options of node:zlib's zstd functions and streams (createZstdCompress() and friends):
 * { own (zstd-kit's keys, checked by whoever takes them), params ([id, value] pairs, ids known
 * to zstd), flush, finishFlush, chunkSize (0: zstd-kit's default), maxOutputLength, info,
 * dictionary, pledgedSrcSize (-1: none), transform (stream.Transform's options) }.
 */
export function zlibOptions(options, call, compress) {
  const o = accept(options, call, compress ? ZLIB_COMPRESS : ZLIB_DECOMPRESS);
  const known = new Set(Object.values(compress ? ZSTD_C_PARAMETERS : ZSTD_D_PARAMETERS));
  const params = [];
  if (o.params !== undefined && o.params !== null) {
    if (typeof o.params !== 'object')
      throw nodeError(
        typeError(`The "options.params" property must be of type object. Received ${describe(o.params)}`),
        'ERR_INVALID_ARG_TYPE',
      );
    for (const key of Object.keys(o.params)) {
      const id = Number(key);
      if (!known.has(id)) throw nodeError(rangeError(`${key} is not a valid zstd parameter`), 'ERR_ZSTD_INVALID_PARAM');
      const value = o.params[key];
      if (typeof value !== 'number' && typeof value !== 'boolean') {
        throw nodeError(
          typeError(`The "options.params[key]" property must be of type number. Received ${describe(value)}`),
          'ERR_INVALID_ARG_TYPE',
        );
      }
      params.push([id, Number(value)]);
    }
  }
  let pledgedSrcSize = -1;
  if (o.pledgedSrcSize !== undefined) {
    if (typeof o.pledgedSrcSize !== 'number') {
      throw nodeError(
        typeError(`The "options.pledgedSrcSize" property must be of type number. Received ${describe(o.pledgedSrcSize)}`),
        'ERR_INVALID_ARG_TYPE',
      );
    }
    if (!Number.isSafeInteger(o.pledgedSrcSize) || o.pledgedSrcSize < 0) {
      throw nodeError(
        rangeError(
          `The value of "options.pledgedSrcSize" is out of range. It must be a non-negative safe integer. Received ${o.pledgedSrcSize}`,
        ),
        'ERR_OUT_OF_RANGE',
      );
    }
    pledgedSrcSize = o.pledgedSrcSize;
  }
  return {
    own: pick(o, compress ? COMPRESSOR : DECOMPRESSOR),
    params,
    flush: zlibNumber(o.flush, 'options.flush', 0, 2, 0),
    finishFlush: zlibNumber(o.finishFlush, 'options.finishFlush', 0, 2, 2),
    chunkSize: Math.min(INT32_MAX, zlibNumber(o.chunkSize, 'options.chunkSize', 64, Infinity, 0)),
    maxOutputLength: zlibNumber(o.maxOutputLength, 'options.maxOutputLength', 1, K_MAX_LENGTH, K_MAX_LENGTH),
    info: Boolean(o.info),
    dictionary: o.dictionary, // bytes or a ZstdCompressionDict: checked where it is converted (node-streams.js)
    pledgedSrcSize,
    transform: pick(o, NODE_TRANSFORM),
  };
}

// --- Random access: seekable files, super-chunks, tensors ----------------------------------------

/** Largest decompressed size of one seekable frame (zstd's ZSTD_SEEKABLE_MAX_FRAME_DECOMPRESSED_SIZE). */
export const MAX_SEEKABLE_FRAME_SIZE = 2 ** 31;
const frameSize = (v) => integerOption(v, 'frameSize', 1, MAX_SEEKABLE_FRAME_SIZE, 1 << 20);
const checksumFlag = (v) => (v === undefined ? true : Boolean(v));
const SEEKABLE = keys('frameSize', 'checksum');

const SEEKABLE_COMPRESS = new Set([...SEEKABLE, ...COMPRESSOR]);

/**
 * compressSeekable(data, options), new ZstdSeekableCompressionStream(options),
 * createZstdSeekableCompress(options): { frameSize, checksum, compressor } (compressor: the
 * other keys, as compressorOptions() reads them).
 */
export function seekableOptions(options, call) {
  const { frameSize: size, checksum, ...compressor } = accept(options, call, SEEKABLE_COMPRESS);
  return { frameSize: frameSize(size), checksum: checksumFlag(checksum), compressor: compressorOptions(compressor, call) };
}

const SEEKABLE_WRITER = keys('frameSize', 'checksum', 'writeSize', 'closeSink');

/** c.seekableWriter(sink, options): { frameSize, checksum, writeSize, closeSink }. */
export function seekableWriterOptions(options) {
  const o = accept(options, 'seekableWriter()', SEEKABLE_WRITER);
  return {
    frameSize: frameSize(o.frameSize),
    checksum: checksumFlag(o.checksum),
    writeSize: chunkSizes(o, 0, COMPRESSION_RECOMMENDED_OUTPUT_SIZE).writeSize,
    closeSink: o.closeSink ?? true,
  };
}

const OPEN_SEEKABLE = keys('cacheBytes', 'maxFrameSize', 'dictData');

/** openSeekable(source, options): { cacheBytes, maxFrameSize, dictData }. */
export function openSeekableOptions(options) {
  const o = accept(options, 'openSeekable()', OPEN_SEEKABLE);
  return {
    cacheBytes: integerOption(o.cacheBytes, 'cacheBytes', 0, Number.MAX_SAFE_INTEGER, 8 << 20),
    maxFrameSize: integerOption(o.maxFrameSize, 'maxFrameSize', 1, MAX_WASM_SIZE, 64 << 20),
    dictData: o.dictData,
  };
}

/** r.read(offset, length) and r.stream(offset, length): integers >= 0; length defaults to the rest. */
export function rangeArguments(offset, length, size) {
  const start = integerOption(offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  const count = integerOption(length, 'length', 0, Number.MAX_SAFE_INTEGER, Math.max(0, size - start));
  return { start: Math.min(start, size), end: Math.min(size, start + count) };
}

const SCHUNK = keys('chunkSize', 'typesize', 'level', 'dictData', 'data');
const FROM_CFRAME = keys('copy', 'level', 'dictData', 'typesize', 'chunkSize');
const typesize = (v) => integerOption(v, 'typesize', 1, 1 << 16, 1);

/** new SChunk(options): { chunkSize, typesize, level, dictData, data }; chunkSize is required. */
export function schunkOptions(options) {
  const o = accept(options, 'SChunk', SCHUNK);
  if (o.chunkSize === undefined) throw typeError('SChunk: chunkSize (bytes per chunk) is required');
  const ts = typesize(o.typesize);
  const chunkSize = integerOption(o.chunkSize, 'chunkSize', 1, MAX_SEEKABLE_FRAME_SIZE - 1);
  if (chunkSize % ts !== 0) throw rangeError(`chunkSize (${chunkSize}) must be a multiple of typesize (${ts})`);
  return { chunkSize, typesize: ts, level: level(o.level), dictData: o.dictData, data: o.data };
}

/**
 * SChunk.fromCframe(cframe, options): { copy, level, dictData, typesize, chunkSize }; typesize and
 * chunkSize (0: unset) apply to cframes without an SChunk header (any seekable file).
 */
export function fromCframeOptions(options) {
  const o = accept(options, 'fromCframe()', FROM_CFRAME);
  return {
    copy: o.copy === undefined ? true : Boolean(o.copy),
    level: level(o.level),
    dictData: o.dictData,
    typesize: typesize(o.typesize),
    chunkSize: integerOption(o.chunkSize, 'chunkSize', 1, MAX_SEEKABLE_FRAME_SIZE - 1, 0),
  };
}

const PACK_TENSOR = keys('shape', 'level', 'chunkSize');

/** packTensor(typedArray, options) and saveTensor(): { shape (unchecked), level, chunkSize }. */
export function packTensorOptions(options, call) {
  const o = accept(options, call, PACK_TENSOR);
  return {
    shape: o.shape,
    level: level(o.level),
    chunkSize: integerOption(o.chunkSize, 'chunkSize', 1, MAX_SEEKABLE_FRAME_SIZE - 1, 1 << 20),
  };
}

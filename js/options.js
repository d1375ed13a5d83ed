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

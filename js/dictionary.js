// ZstdCompressionDict and trainDictionary(): a dictionary lives in wasm memory, shared by every
// compressor and decompressor given it; its digested forms (a CDict per level, one DDict) are
// made once and reused.
import { throwLastError } from './errors.js';
import { copyOut, integerOption, optionsObject, withInput } from './input.js';
import { features, WasmObject, wasm } from './runtime.js';
import { filledBatchInput } from './segments.js';
import { DEFAULT_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL, MIN_COMPRESSION_LEVEL } from './constants.js';

const INTERNAL = Symbol('internal');
const DICT_TYPES = { auto: 0, rawContent: 1, fullDict: 2 };

function dictTypeOption(value) {
  if (value === undefined) return 0;
  if (typeof value === 'string' && Object.hasOwn(DICT_TYPES, value)) return DICT_TYPES[value];
  if (value === 0 || value === 1 || value === 2) return value;
  throw new RangeError(`dictType must be 'auto', 'rawContent' or 'fullDict', got ${String(value)}`);
}

export class ZstdCompressionDict extends WasmObject {
  /**
   * @param data the dictionary's bytes (copied into wasm memory once)
   * @param {{ dictType?: 'auto' | 'rawContent' | 'fullDict' }} [options] auto: a full zstd
   *   dictionary when the data starts with the dictionary magic, else raw content
   */
  constructor(data, options = undefined) {
    if (data === INTERNAL) {
      super(options);
      return;
    }
    const M = wasm();
    const type = dictTypeOption(optionsObject(options).dictType);
    const handle = withInput(data, (ptr, length) => M.createDictionary(ptr, length, type), 0, 'data');
    if (handle === null) throwLastError(M);
    super(handle);
  }

  /** The dictionary id from a full dictionary's header; 0 for raw content. */
  dictId() {
    return this._handle.id();
  }

  /** A copy of the dictionary's bytes (to store it and build it again later). */
  asBytes() {
    const h = this._handle;
    return copyOut(h.ptr(), h.size());
  }

  /** Size in bytes. */
  get length() {
    return this._handle.size();
  }

  /**
   * Digests the dictionary for compression at `level` now (otherwise the first compressor at
   * that level does it); every compressor at that level shares the result.
   */
  precompute(options = undefined) {
    const h = this._handle;
    const o = optionsObject(options);
    const level = integerOption(o.level, 'level', MIN_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_LEVEL);
    if (!h.precompute(level)) throwLastError(wasm());
    return this;
  }

  /** Bytes of wasm memory the dictionary and its digested forms use. */
  memorySize() {
    return this._handle.memorySize();
  }
}

/** @internal the embind handle of a dictData option, or null. */
export function dictHandle(dictData) {
  if (dictData === undefined || dictData === null) return null;
  if (!(dictData instanceof ZstdCompressionDict)) {
    throw new TypeError('dictData must be a ZstdCompressionDict');
  }
  return dictData._handle;
}

/**
 * Trains a dictionary of at most dictSize bytes on samples (an array of inputs, a
 * BufferWithSegments or a collection) with zstd's fastCover. Without both k and d, it searches
 * for the best ones (`steps` candidates, on `threads` threads in the threaded build).
 * @returns {ZstdCompressionDict}
 */
export function trainDictionary(dictSize, samples, options = undefined) {
  const M = wasm();
  const size = integerOption(dictSize, 'dictSize', 0, 2 ** 31 - 1);
  if (size === undefined) throw new TypeError('dictSize is required');
  const o = optionsObject(options);
  const uint = (name, max) => integerOption(o[name], name, 0, max, 0);
  let splitPoint = 0;
  if (o.splitPoint !== undefined) {
    if (typeof o.splitPoint !== 'number') throw new TypeError('splitPoint must be a number');
    if (!(o.splitPoint > 0 && o.splitPoint <= 1)) throw new RangeError(`splitPoint must be in (0, 1], got ${o.splitPoint}`);
    splitPoint = o.splitPoint;
  }
  const requested = integerOption(o.threads, 'threads', -1, 2 ** 31 - 1, 0);
  let threads = requested === -1 ? features.maxThreads : Math.max(1, requested);
  // Training starts threads of its own: only as many as there are pre-loaded workers free.
  threads = features.threads ? Math.max(1, Math.min(threads, features.maxThreads, M.idlePthreadWorkers())) : 1;
  const settings = {
    k: uint('k', 2 ** 31 - 1),
    d: uint('d', 2 ** 31 - 1),
    f: uint('f', 31),
    steps: uint('steps', 2 ** 31 - 1),
    accel: uint('accel', 10),
    splitPoint,
    threads,
    level: integerOption(o.level, 'level', MIN_COMPRESSION_LEVEL, MAX_COMPRESSION_LEVEL, DEFAULT_COMPRESSION_LEVEL),
    // libzstd in wasm32 cannot compress with the top 120 ids (they read as error codes).
    dictId: uint('dictId', 2 ** 32 - 121),
    notifications: uint('notifications', 4),
  };
  const input = filledBatchInput(samples, 'samples');
  try {
    const handle = M.trainDictionary(size, input.handle, settings);
    if (handle === null) throwLastError(M);
    return new ZstdCompressionDict(INTERNAL, handle);
  } finally {
    input.release();
  }
}


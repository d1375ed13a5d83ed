// ZstdCompressionDict and trainDictionary(): a dictionary lives in wasm memory, shared by every
// compressor and decompressor given it; its digested forms (a CDict per level, one DDict) are
// made once and reused.
import { typeError } from './errors.js';
import { copyOut, withInput } from './input.js';
import { WasmObject } from './lifetime.js';
import { dictionaryOptions, integerArgument, precomputeOptions, trainOptions } from './options.js';
import { check, features, wasm } from './runtime.js';
import { filledBatchInput } from './segments.js';

const INTERNAL = Symbol('internal');

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
    const { dictType } = dictionaryOptions(options);
    super(check(withInput(data, (ptr, length) => M.createDictionary(ptr, length, dictType), 0, 'data')));
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
    check(h.precompute(precomputeOptions(options).level));
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
  if (!(dictData instanceof ZstdCompressionDict)) throw typeError('dictData must be a ZstdCompressionDict');
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
  const size = integerArgument(dictSize, 'dictSize', 0, 2 ** 31 - 1); // below libzstd's minimum: RangeError from the core
  const settings = trainOptions(options);
  const requested = settings.threads === -1 ? features.maxThreads : Math.max(1, settings.threads);
  // Training starts threads of its own: only as many as there are pre-loaded workers free.
  settings.threads = features.threads ? Math.max(1, Math.min(requested, features.maxThreads, M.idlePthreadWorkers())) : 1;
  const input = filledBatchInput(samples, 'samples');
  try {
    return new ZstdCompressionDict(INTERNAL, check(M.trainDictionary(size, input.handle, settings)));
  } finally {
    input.release();
  }
}

// ZstdCompressionParameters: zstd's advanced compression parameters, each checked against
// libzstd's own bounds; fromLevel() is libzstd's table for a level, input size and dictionary.
import { FORMAT_ZSTD1, FORMAT_ZSTD1_MAGICLESS } from './constants.js';
import { throwLastError } from './errors.js';
import { integerOption, MAX_WASM_SIZE, optionsObject } from './input.js';
import { wasm } from './runtime.js';

// Fields that are switches rather than numbers.
const BOOLEANS = new Set(['writeContentSize', 'writeChecksum', 'writeDictId', 'forceMaxWindow', 'enableLdm']);
// Fields where 0 means "libzstd's default for the level" rather than a value.
const ZERO_IS_DEFAULT = new Set(['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'strategy',
  'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog']);

let info = null;
function parameterInfo() {
  info ??= wasm().compressionParameterInfo();
  return info;
}

function checkField(name, value, [, min, max]) {
  if (BOOLEANS.has(name)) {
    if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw new TypeError(`${name} must be a boolean`);
    // libzstd's long-distance switch is three-way: 0 lets it decide, 2 turns it off.
    if (name === 'enableLdm') return value ? 1 : 2;
    return value ? 1 : 0;
  }
  if (name === 'format') {
    if (typeof value !== 'string' && typeof value !== 'number') throw new TypeError(`format must be a string or number, got ${typeof value}`);
    if (value === 'zstd1' || value === FORMAT_ZSTD1) return FORMAT_ZSTD1;
    if (value === 'magicless' || value === FORMAT_ZSTD1_MAGICLESS) return FORMAT_ZSTD1_MAGICLESS;
    throw new RangeError(`format must be 'zstd1' or 'magicless', got ${String(value)}`);
  }
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (name === 'threads' && value === -1) return -1;  // all logical CPUs
  if (value === 0 && ZERO_IS_DEFAULT.has(name)) return 0;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}]${ZERO_IS_DEFAULT.has(name) ? ' (or 0: the level\'s default)' : ''}, got ${value}`);
  }
  return value;
}

export class ZstdCompressionParameters {
  #values;

  /**
   * @param {object} [fields] windowLog, chainLog, hashLog, searchLog, minMatch, targetLength,
   *   strategy, format, writeContentSize, writeChecksum, writeDictId, jobSize, overlapLog,
   *   forceMaxWindow, enableLdm, ldmHashLog, ldmMinMatch, ldmBucketSizeLog, ldmHashRateLog,
   *   threads; unset fields keep libzstd's defaults. RangeError outside libzstd's bounds.
   */
  constructor(fields = undefined) {
    const o = optionsObject(fields, 'fields');
    const table = parameterInfo();
    const values = {};
    for (const [name, value] of Object.entries(o)) {
      if (value === undefined) continue;
      if (!Object.hasOwn(table, name)) throw new TypeError(`unknown compression parameter '${name}'`);
      values[name] = checkField(name, value, table[name]);
    }
    this.#values = Object.freeze(values);
  }

  /**
   * libzstd's parameters for `level`, tuned to an input of sourceSize bytes and a dictionary of
   * dictSize bytes when given.
   */
  static fromLevel(level, options = undefined) {
    const M = wasm();
    const o = optionsObject(options);
    const lvl = integerOption(level, 'level', -131072, 22);
    if (lvl === undefined) throw new TypeError('level is required');
    const sourceSize = integerOption(o.sourceSize, 'sourceSize', 0, Number.MAX_SAFE_INTEGER, 0);
    const dictSize = integerOption(o.dictSize, 'dictSize', 0, MAX_WASM_SIZE, 0);
    return new ZstdCompressionParameters(M.levelParameters(lvl, sourceSize, dictSize));
  }

  /** Bytes of memory a compression context with these parameters needs. */
  estimatedCompressionContextSize() {
    const M = wasm();
    const size = M.estimateCompressionContextSize(this._pairs());
    if (size < 0) throwLastError(M);
    return size;
  }

  /** @internal [param id, value, ...] of the fields that are set. */
  _pairs() {
    const table = parameterInfo();
    const out = [];
    for (const [name, value] of Object.entries(this.#values)) out.push(table[name][0], value);
    return out;
  }

  /** The fields that are set, as a plain object (switches as booleans): new ZstdCompressionParameters(p.toJSON()) is p. */
  toJSON() {
    const out = {};
    for (const [name, value] of Object.entries(this.#values)) out[name] = BOOLEANS.has(name) ? value === 1 : value;
    return out;
  }
}

// Read-only accessors: params.windowLog etc. (undefined when not set).
for (const name of ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy', 'format',
  'writeContentSize', 'writeChecksum', 'writeDictId', 'jobSize', 'overlapLog', 'forceMaxWindow', 'enableLdm',
  'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog', 'threads']) {
  Object.defineProperty(ZstdCompressionParameters.prototype, name, {
    get() {
      return this.toJSON()[name];
    },
    enumerable: true,
  });
}

// ZstdCompressionParameters: zstd's advanced compression parameters, each checked against
// libzstd's own bounds; fromLevel() is libzstd's table for a level, input size and dictionary.
import { FORMAT_ZSTD1, FORMAT_ZSTD1_MAGICLESS } from './constants.js';
import { rangeError, typeError } from './errors.js';
import { describe, fromLevelOptions, levelArgument, optionsObject } from './options.js';
import { check, wasm } from './runtime.js';

// Fields that are switches rather than numbers.
const BOOLEANS = new Set(['writeContentSize', 'writeChecksum', 'writeDictId', 'forceMaxWindow', 'enableLdm']);
// Fields where 0 means "libzstd's default for the level" rather than a value.
const ZERO_IS_DEFAULT = new Set([
  'windowLog',
  'chainLog',
  'hashLog',
  'searchLog',
  'minMatch',
  'strategy',
  'ldmHashLog',
  'ldmMinMatch',
  'ldmBucketSizeLog',
  'ldmHashRateLog',
]);

let info = null;
function parameterInfo() {
  info ??= wasm().compressionParameterInfo();
  return info;
}

function checkField(name, value, [, min, max]) {
  if (BOOLEANS.has(name)) {
    if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw typeError(`${name} must be a boolean, got ${describe(value)}`);
    // libzstd's long-distance switch is three-way: 0 lets it decide, 2 turns it off.
    if (name === 'enableLdm') return value ? 1 : 2;
    return value ? 1 : 0;
  }
  if (name === 'format') {
    if (typeof value !== 'string' && typeof value !== 'number')
      throw typeError(`format must be a string or number, got ${describe(value)}`);
    if (value === 'zstd1' || value === FORMAT_ZSTD1) return FORMAT_ZSTD1;
    if (value === 'magicless' || value === FORMAT_ZSTD1_MAGICLESS) return FORMAT_ZSTD1_MAGICLESS;
    throw rangeError(`format must be 'zstd1' or 'magicless', got ${String(value)}`);
  }
  if (typeof value !== 'number') throw typeError(`${name} must be a number, got ${describe(value)}`);
  if (name === 'threads' && value === -1) return -1; // all logical CPUs
  if (value === 0 && ZERO_IS_DEFAULT.has(name)) return 0;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(
      `${name} must be an integer in [${min}, ${max}]${ZERO_IS_DEFAULT.has(name) ? " (or 0: the level's default)" : ''}, got ${value}`,
    );
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
      if (!Object.hasOwn(table, name)) {
        throw typeError(`ZstdCompressionParameters: unknown field '${name}' (it takes ${Object.keys(table).join(', ')})`);
      }
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
    const lvl = levelArgument(level);
    const { sourceSize, dictSize } = fromLevelOptions(options);
    return new ZstdCompressionParameters(M.levelParameters(lvl, sourceSize, dictSize));
  }

  /** Bytes of memory a compression context with these parameters needs. */
  estimatedCompressionContextSize() {
    return check(wasm().estimateCompressionContextSize(this._pairs()));
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

/** @internal The [param id, value, ...] pairs of a compressionParams option ([] when unset). */
export function parameterPairs(value) {
  if (value === undefined) return [];
  if (!(value instanceof ZstdCompressionParameters)) throw typeError('compressionParams must be a ZstdCompressionParameters');
  return value._pairs();
}

// Read-only accessors: params.windowLog etc. (undefined when not set).
for (const name of [
  'windowLog',
  'chainLog',
  'hashLog',
  'searchLog',
  'minMatch',
  'targetLength',
  'strategy',
  'format',
  'writeContentSize',
  'writeChecksum',
  'writeDictId',
  'jobSize',
  'overlapLog',
  'forceMaxWindow',
  'enableLdm',
  'ldmHashLog',
  'ldmMinMatch',
  'ldmBucketSizeLog',
  'ldmHashRateLog',
  'threads',
]) {
  Object.defineProperty(ZstdCompressionParameters.prototype, name, {
    get() {
      return this.toJSON()[name];
    },
    enumerable: true,
  });
}

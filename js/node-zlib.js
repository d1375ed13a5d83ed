// zstd-kit/node: node:zlib's zstd convenience functions with node:zlib's shapes (Node >= 22.15),
// so code written for them runs on Node 20 too, with zstd-kit's engine: zstdCompress(buf,
// [options], callback), zstdCompressSync(buf, [options]), zstdDecompress, zstdDecompressSync,
// promises.zstdCompress / promises.zstdDecompress, and constants with zstd's values. Unlike
// node:zlib's, decompression reads every concatenated frame (nodejs/node#64741).
import { typeError } from './errors.js';
import { toUint8Array } from './input.js';
import { describe, nodeError, ZSTD_C_PARAMETERS, ZSTD_D_PARAMETERS } from './options.js';
import { ZstdCompress, ZstdDecompress } from './node-streams.js';

const constantsOf = (prefix, table) => Object.fromEntries(Object.entries(table).map(([name, value]) => [`${prefix}${name}`, value]));

/** node:zlib's zstd constants (zlib.constants.ZSTD_*), with zstd's values. */
export const constants = Object.freeze({
  ZSTD_COMPRESS: 10,
  ZSTD_DECOMPRESS: 11,
  ZSTD_CLEVEL_DEFAULT: 3,
  ZSTD_e_continue: 0,
  ZSTD_e_flush: 1,
  ZSTD_e_end: 2,
  ZSTD_fast: 1,
  ZSTD_dfast: 2,
  ZSTD_greedy: 3,
  ZSTD_lazy: 4,
  ZSTD_lazy2: 5,
  ZSTD_btlazy2: 6,
  ZSTD_btopt: 7,
  ZSTD_btultra: 8,
  ZSTD_btultra2: 9,
  ...constantsOf('ZSTD_c_', ZSTD_C_PARAMETERS),
  ...constantsOf('ZSTD_d_', ZSTD_D_PARAMETERS),
  // zstd_errors.h's ZSTD_ErrorCode.
  ZSTD_error_no_error: 0,
  ZSTD_error_GENERIC: 1,
  ZSTD_error_prefix_unknown: 10,
  ZSTD_error_version_unsupported: 12,
  ZSTD_error_frameParameter_unsupported: 14,
  ZSTD_error_frameParameter_windowTooLarge: 16,
  ZSTD_error_corruption_detected: 20,
  ZSTD_error_checksum_wrong: 22,
  ZSTD_error_literals_headerWrong: 24,
  ZSTD_error_dictionary_corrupted: 30,
  ZSTD_error_dictionary_wrong: 32,
  ZSTD_error_dictionaryCreation_failed: 34,
  ZSTD_error_parameter_unsupported: 40,
  ZSTD_error_parameter_combination_unsupported: 41,
  ZSTD_error_parameter_outOfBound: 42,
  ZSTD_error_tableLog_tooLarge: 44,
  ZSTD_error_maxSymbolValue_tooLarge: 46,
  ZSTD_error_maxSymbolValue_tooSmall: 48,
  ZSTD_error_stabilityCondition_notRespected: 50,
  ZSTD_error_stage_wrong: 60,
  ZSTD_error_init_missing: 62,
  ZSTD_error_memory_allocation: 64,
  ZSTD_error_workSpace_tooSmall: 66,
  ZSTD_error_dstSize_tooSmall: 70,
  ZSTD_error_srcSize_wrong: 72,
  ZSTD_error_dstBuffer_null: 74,
  ZSTD_error_noForwardProgress_destFull: 80,
  ZSTD_error_noForwardProgress_inputEmpty: 82,
});

// The input of a convenience function, as node:zlib takes it (a Buffer, TypedArray, DataView,
// ArrayBuffer or string).
function inputOf(buffer) {
  if (typeof buffer !== 'string' && !ArrayBuffer.isView(buffer) && Object.prototype.toString.call(buffer) !== '[object ArrayBuffer]') {
    throw nodeError(
      typeError(
        `The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer. Received ${describe(buffer)}`,
      ),
      'ERR_INVALID_ARG_TYPE',
    );
  }
  return toUint8Array(buffer, 'buffer');
}

const tooLarge = (max) => nodeError(new RangeError(`Cannot create a Buffer larger than ${max} bytes`), 'ERR_BUFFER_TOO_LARGE');

/** Collects an engine's output, at most maxOutputLength bytes (more: RangeError, as node:zlib's). */
function collector(engine) {
  const max = engine._zlib.maxOutputLength;
  const parts = [];
  let total = 0;
  return {
    emit: (chunk) => {
      total += chunk.length;
      if (total > max) throw tooLarge(max);
      parts.push(chunk);
    },
    result: () => {
      const buffer = parts.length === 1 ? Buffer.from(parts[0].buffer, parts[0].byteOffset, parts[0].length) : Buffer.concat(parts, total);
      return engine._zlib.info ? { buffer, engine } : buffer;
    },
  };
}

// Input goes in pieces of this size, a turn of the event loop between two, in the callback forms.
const SLICE = 1 << 20;

function runSync(engine, buffer) {
  const out = collector(engine);
  try {
    engine._feed(buffer, out.emit);
    engine._end(out.emit);
  } finally {
    engine.close();
  }
  return out.result();
}

function runAsync(engine, buffer, callback) {
  const out = collector(engine);
  let at = 0;
  const step = () => {
    try {
      if (at < buffer.length) {
        engine._feed(buffer.subarray(at, at + SLICE), out.emit);
        at += SLICE;
        setImmediate(step);
        return;
      }
      engine._end(out.emit);
    } catch (e) {
      engine.close();
      callback(e);
      return;
    }
    engine.close();
    callback(null, out.result());
  };
  setImmediate(step);
}

// (buffer, [options], callback) as node:zlib's convenience functions take them.
function callbackForm(make, name) {
  return function (buffer, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (typeof callback !== 'function') {
      throw nodeError(
        typeError(`The "callback" argument must be of type function. Received ${describe(callback)}`),
        'ERR_INVALID_ARG_TYPE',
      );
    }
    const input = inputOf(buffer);
    runAsync(make(options, `${name}()`, input.length), input, callback);
  };
}

/** node:zlib's zstdCompress(buffer, [options], callback): one frame; never blocks for long (1 MiB per turn). */
export const zstdCompress = callbackForm((o, call, size) => new ZstdCompress(o, call, size), 'zstdCompress');

/** node:zlib's zstdDecompress(buffer, [options], callback): every frame, concatenated. */
export const zstdDecompress = callbackForm((o, call) => new ZstdDecompress(o, call), 'zstdDecompress');

/** node:zlib's zstdCompressSync(buffer, [options]) -> Buffer (or { buffer, engine } with info). */
export function zstdCompressSync(buffer, options = undefined) {
  const input = inputOf(buffer);
  return runSync(new ZstdCompress(options, 'zstdCompressSync()', input.length), input);
}

/** node:zlib's zstdDecompressSync(buffer, [options]) -> Buffer: every frame, concatenated. */
export function zstdDecompressSync(buffer, options = undefined) {
  const input = inputOf(buffer);
  return runSync(new ZstdDecompress(options, 'zstdDecompressSync()'), input);
}

const promised = (fn) => (buffer, options) =>
  new Promise((resolve, reject) => fn(buffer, options ?? {}, (e, out) => (e ? reject(e) : resolve(out))));

/** Promise forms: promises.zstdCompress(buffer, options), promises.zstdDecompress(buffer, options). */
export const promises = Object.freeze({ zstdCompress: promised(zstdCompress), zstdDecompress: promised(zstdDecompress) });

// What the parameter test files share (tests/js/parameters*.test.cjs): libzstd's bounds for
// wasm32, the field lists, and compressors / decompressors of their own.
const zstd = require('zstd-kit');
const { concat } = require('../helpers.cjs');

const P = () => zstd.ZstdCompressionParameters;
const mem = () => zstd.memory.totalAllocatedBytes();

/** A short description of an error (never the whole object: it may drag the wasm glue along). */
const describeError = (e) => (e === null ? 'no error' : { name: e.name, code: e.code, message: String(e.message).slice(0, 300) });
const errorClass = (e) => (e === null ? 'no error' : (e.constructor?.name ?? typeof e));

/** Compresses with a compressor of its own (freed at once); stream: compressobj without a size. */
function compressWith(options, data, { stream = false } = {}) {
  const c = new zstd.ZstdCompressor(options);
  try {
    if (!stream) return c.compress(data);
    const o = c.compressobj();
    return concat([o.compress(data), o.flush()]);
  } finally {
    c.free();
  }
}

function decompressWith(options, frame, decodeOptions = undefined) {
  const d = new zstd.ZstdDecompressor(options);
  try {
    return d.decompress(frame, decodeOptions);
  } finally {
    d.free();
  }
}

// libzstd's bounds for wasm32 (lib/zstd.h; ZSTD_cParam_getBounds). `zero`: 0 means "the level's
// default" for this field and is accepted although below the minimum.
function numericBounds() {
  const mt = zstd.features.threads;
  return {
    windowLog: { min: 10, max: 30, zero: true },
    chainLog: { min: 6, max: 29, zero: true },
    hashLog: { min: 6, max: 30, zero: true },
    searchLog: { min: 1, max: 29, zero: true },
    minMatch: { min: 3, max: 7, zero: true },
    targetLength: { min: 0, max: 131072 },
    strategy: { min: 1, max: 9, zero: true },
    jobSize: { min: 0, max: mt ? 512 * 1024 * 1024 : 0 },
    overlapLog: { min: 0, max: mt ? 9 : 0 },
    ldmHashLog: { min: 6, max: 30, zero: true },
    ldmMinMatch: { min: 4, max: 4096, zero: true },
    ldmBucketSizeLog: { min: 1, max: 8, zero: true },
    ldmHashRateLog: { min: 0, max: 24, zero: true },
    threads: { min: 0, max: mt ? 64 : 0, minusOne: true }, // -1: all logical CPUs
  };
}
const BOOLEAN_FIELDS = ['writeContentSize', 'writeChecksum', 'writeDictId', 'forceMaxWindow', 'enableLdm'];
const ALL_FIELDS = [
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
];

module.exports = { P, mem, describeError, errorClass, compressWith, decompressWith, numericBounds, BOOLEAN_FIELDS, ALL_FIELDS };

// ZstdCompressionParameters: every field's bounds, getters and toJSON(), fromLevel() against
// libzstd's default tables (third_party/zstd/lib/compress/clevels.h and ZSTD_adjustCParams_internal),
// what a compressor does with them (window, checksum, format, strategies, threads, long-distance
// matching and `zstd --long` interop both ways) and the memory estimates.
const { spawnSync } = require('node:child_process');
const zstd = require('zstd-kit');
const { textData, randomData, zstdCli, expectSameBytes, concat, caughtSync } = require('./helpers.cjs');

const P = () => zstd.ZstdCompressionParameters;
const mem = () => zstd.memory.totalAllocatedBytes();

/** A short description of an error (never the whole object: it may drag the wasm glue along). */
const describeError = (e) => (e === null ? 'no error' : { name: e.name, code: e.code, message: String(e.message).slice(0, 300) });
const errorClass = (e) => (e === null ? 'no error' : e.constructor?.name ?? typeof e);

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
    threads: { min: 0, max: mt ? 64 : 0, minusOne: true },  // -1: all logical CPUs
  };
}
const BOOLEAN_FIELDS = ['writeContentSize', 'writeChecksum', 'writeDictId', 'forceMaxWindow', 'enableLdm'];
const ALL_FIELDS = ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy', 'format',
  'writeContentSize', 'writeChecksum', 'writeDictId', 'jobSize', 'overlapLog', 'forceMaxWindow', 'enableLdm',
  'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog', 'threads'];

// lib/compress/clevels.h, ZSTD_defaultCParameters: [W, C, H, S, L, TL, strategy] per level 0..22,
// for srcSize > 256 KiB, <= 256 KiB, <= 128 KiB, <= 16 KiB.
const TABLES = [
  [[19, 12, 13, 1, 6, 1, 1], [19, 13, 14, 1, 7, 0, 1], [20, 15, 16, 1, 6, 0, 1], [21, 16, 17, 1, 5, 0, 2], [21, 18, 18, 1, 5, 0, 2],
    [21, 18, 19, 3, 5, 2, 3], [21, 18, 19, 3, 5, 4, 4], [21, 19, 20, 4, 5, 8, 4], [21, 19, 20, 4, 5, 16, 5], [22, 20, 21, 4, 5, 16, 5],
    [22, 21, 22, 5, 5, 16, 5], [22, 21, 22, 6, 5, 16, 5], [22, 22, 23, 6, 5, 32, 5], [22, 22, 22, 4, 5, 32, 6], [22, 22, 23, 5, 5, 32, 6],
    [22, 23, 23, 6, 5, 32, 6], [22, 22, 22, 5, 5, 48, 7], [23, 23, 22, 5, 4, 64, 7], [23, 23, 22, 6, 3, 64, 8], [23, 24, 22, 7, 3, 256, 9],
    [25, 25, 23, 7, 3, 256, 9], [26, 26, 24, 7, 3, 512, 9], [27, 27, 25, 9, 3, 999, 9]],
  [[18, 12, 13, 1, 5, 1, 1], [18, 13, 14, 1, 6, 0, 1], [18, 14, 14, 1, 5, 0, 2], [18, 16, 16, 1, 4, 0, 2], [18, 16, 17, 3, 5, 2, 3],
    [18, 17, 18, 5, 5, 2, 3], [18, 18, 19, 3, 5, 4, 4], [18, 18, 19, 4, 4, 4, 4], [18, 18, 19, 4, 4, 8, 5], [18, 18, 19, 5, 4, 8, 5],
    [18, 18, 19, 6, 4, 8, 5], [18, 18, 19, 5, 4, 12, 6], [18, 19, 19, 7, 4, 12, 6], [18, 18, 19, 4, 4, 16, 7], [18, 18, 19, 4, 3, 32, 7],
    [18, 18, 19, 6, 3, 128, 7], [18, 19, 19, 6, 3, 128, 8], [18, 19, 19, 8, 3, 256, 8], [18, 19, 19, 6, 3, 128, 9], [18, 19, 19, 8, 3, 256, 9],
    [18, 19, 19, 10, 3, 512, 9], [18, 19, 19, 12, 3, 512, 9], [18, 19, 19, 13, 3, 999, 9]],
  [[17, 12, 12, 1, 5, 1, 1], [17, 12, 13, 1, 6, 0, 1], [17, 13, 15, 1, 5, 0, 1], [17, 15, 16, 2, 5, 0, 2], [17, 17, 17, 2, 4, 0, 2],
    [17, 16, 17, 3, 4, 2, 3], [17, 16, 17, 3, 4, 4, 4], [17, 16, 17, 3, 4, 8, 5], [17, 16, 17, 4, 4, 8, 5], [17, 16, 17, 5, 4, 8, 5],
    [17, 16, 17, 6, 4, 8, 5], [17, 17, 17, 5, 4, 8, 6], [17, 18, 17, 7, 4, 12, 6], [17, 18, 17, 3, 4, 12, 7], [17, 18, 17, 4, 3, 32, 7],
    [17, 18, 17, 6, 3, 256, 7], [17, 18, 17, 6, 3, 128, 8], [17, 18, 17, 8, 3, 256, 8], [17, 18, 17, 10, 3, 512, 8], [17, 18, 17, 5, 3, 256, 9],
    [17, 18, 17, 7, 3, 512, 9], [17, 18, 17, 9, 3, 512, 9], [17, 18, 17, 11, 3, 999, 9]],
  [[14, 12, 13, 1, 5, 1, 1], [14, 14, 15, 1, 5, 0, 1], [14, 14, 15, 1, 4, 0, 1], [14, 14, 15, 2, 4, 0, 2], [14, 14, 14, 4, 4, 2, 3],
    [14, 14, 14, 3, 4, 4, 4], [14, 14, 14, 4, 4, 8, 5], [14, 14, 14, 6, 4, 8, 5], [14, 14, 14, 8, 4, 8, 5], [14, 15, 14, 5, 4, 8, 6],
    [14, 15, 14, 9, 4, 8, 6], [14, 15, 14, 3, 4, 12, 7], [14, 15, 14, 4, 3, 24, 7], [14, 15, 14, 5, 3, 32, 8], [14, 15, 15, 6, 3, 64, 8],
    [14, 15, 15, 7, 3, 256, 8], [14, 15, 15, 5, 3, 48, 9], [14, 15, 15, 6, 3, 128, 9], [14, 15, 15, 7, 3, 256, 9], [14, 15, 15, 8, 3, 256, 9],
    [14, 15, 15, 8, 3, 512, 9], [14, 15, 15, 9, 3, 512, 9], [14, 15, 15, 10, 3, 999, 9]],
];
const KB = 1024;
const FIELDS7 = ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy'];
const asFields = (row) => Object.fromEntries(FIELDS7.map((name, i) => [name, row[i]]));

/** The table row libzstd starts from (ZSTD_getCParams_internal), before ZSTD_adjustCParams_internal. */
function tableRow(level, sourceSize, dictSize) {
  // sourceSize 0 = unknown. With a dictionary and no size, libzstd sizes the row for dictSize + 500
  // (computed as UNKNOWN + dictSize + 500, i.e. dictSize + 499 in uint64).
  const rSize = sourceSize === 0 ? (dictSize === 0 ? Infinity : dictSize + 499) : sourceSize + dictSize;
  const tableId = (rSize <= 256 * KB) + (rSize <= 128 * KB) + (rSize <= 16 * KB);
  const row = level === 0 ? 3 : level < 0 ? 0 : Math.min(level, 22);
  const cp = asFields(TABLES[tableId][row]);
  if (level < 0) cp.targetLength = -Math.max(level, -131072);
  return cp;
}

const highbit32 = (v) => 31 - Math.clz32(v);

/** ZSTD_getCParams(level, sourceSize, dictSize): the row, shrunk for small known sizes. */
function expectedParams(level, sourceSize = 0, dictSize = 0) {
  const cp = tableRow(level, sourceSize, dictSize);
  const known = sourceSize !== 0;
  const maxWindowResize = 2 ** 29;
  if (known && sourceSize <= maxWindowResize && dictSize <= maxWindowResize) {
    const tSize = sourceSize + dictSize;
    const srcLog = tSize < 64 ? 6 : highbit32(tSize - 1) + 1;
    cp.windowLog = Math.min(cp.windowLog, srcLog);
  }
  if (known) {
    let dictAndWindowLog = cp.windowLog;
    if (dictSize > 0) {
      const windowSize = 2 ** cp.windowLog;
      if (windowSize >= dictSize + sourceSize) dictAndWindowLog = cp.windowLog;
      else if (windowSize + dictSize >= 2 ** 30) dictAndWindowLog = 30;
      else dictAndWindowLog = highbit32(windowSize + dictSize - 1) + 1;
    }
    const cycleLog = cp.chainLog - (cp.strategy >= 6 ? 1 : 0);
    if (cp.hashLog > dictAndWindowLog + 1) cp.hashLog = dictAndWindowLog + 1;
    if (cycleLog > dictAndWindowLog) cp.chainLog -= cycleLog - dictAndWindowLog;
  }
  if (cp.windowLog < 10) cp.windowLog = 10;
  if (cp.strategy >= 3 && cp.strategy <= 5) {
    const rowLog = Math.min(6, Math.max(4, cp.searchLog));
    cp.hashLog = Math.min(cp.hashLog, 24 + rowLog);
  }
  return cp;
}

let baseline;
beforeAll(async () => {
  await zstd.init();
  baseline = mem();
});

describe('bounds of every field', () => {
  test('the exported bound constants are libzstd\'s and are what the constructor enforces', () => {
    const b = numericBounds();
    const constants = { WINDOWLOG: 'windowLog', CHAINLOG: 'chainLog', HASHLOG: 'hashLog', SEARCHLOG: 'searchLog', MINMATCH: 'minMatch', TARGETLENGTH: 'targetLength' };
    for (const [prefix, field] of Object.entries(constants)) {
      const min = zstd[`${prefix}_MIN`];
      const max = zstd[`${prefix}_MAX`];
      expect([prefix, min, max]).toEqual([prefix, b[field].min, b[field].max]);
      expect(new (P())({ [field]: min })[field]).toBe(min);
      expect(new (P())({ [field]: max })[field]).toBe(max);
      expect(errorClass(caughtSync(() => new (P())({ [field]: max + 1 })))).toBe('RangeError');
      if (min - 1 !== 0) expect(errorClass(caughtSync(() => new (P())({ [field]: min - 1 })))).toBe('RangeError');
    }
    const strategies = ['FAST', 'DFAST', 'GREEDY', 'LAZY', 'LAZY2', 'BTLAZY2', 'BTOPT', 'BTULTRA', 'BTULTRA2'];
    strategies.forEach((name, i) => {
      expect(zstd[`STRATEGY_${name}`]).toBe(i + 1);
      expect(new (P())({ strategy: zstd[`STRATEGY_${name}`] }).strategy).toBe(i + 1);
    });
  });

  // The bounds depend on the build init() picked, so they are looked up inside each test.
  const NUMERIC_FIELDS = ['windowLog', 'chainLog', 'hashLog', 'searchLog', 'minMatch', 'targetLength', 'strategy', 'jobSize',
    'overlapLog', 'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog', 'threads'];
  test('the numeric fields are the ones listed', () => {
    expect(Object.keys(numericBounds())).toEqual(NUMERIC_FIELDS);
    expect(zstd.features.threads).toBe(true);  // Node loads the threaded build
  });

  for (const field of NUMERIC_FIELDS) {
    test(`${field}: min and max accepted, min-1 / max+1 / non-integers RangeError naming the bounds, wrong types TypeError`, () => {
      const { min, max, zero, minusOne } = numericBounds()[field];
      const make = (v) => new (P())({ [field]: v });
      for (const v of [min, max, Math.floor((min + max) / 2)]) {
        const p = make(v);
        expect([field, v, p[field]]).toEqual([field, v, v]);
        expect(p.toJSON()).toEqual({ [field]: v });
      }
      if (zero) expect(make(0)[field]).toBe(0);  // the level's default
      if (minusOne) expect(make(-1)[field]).toBe(-1);
      // Below the minimum: min - 1, unless that is the accepted 0 (or -1 for threads).
      const below = min - 1 === 0 && zero ? -1 : min - 1 === -1 && minusOne ? -2 : min - 1;
      for (const v of [below, max + 1, below - 1000, max + 2 ** 31]) {
        const e = caughtSync(() => make(v));
        expect([field, v, errorClass(e)]).toEqual([field, v, 'RangeError']);
        expect(e.message).toContain(field);
        expect(e.message).toContain(String(min));
        expect(e.message).toContain(String(max));
      }
      for (const v of [min + 0.5, max - 0.25, NaN, Infinity, -Infinity]) {
        expect([field, v, errorClass(caughtSync(() => make(v)))]).toEqual([field, v, 'RangeError']);
      }
      for (const v of [String(min), null, true, {}, [min], BigInt(min), () => min]) {
        expect([field, typeof v, errorClass(caughtSync(() => make(v)))]).toEqual([field, typeof v, 'TypeError']);
      }
    });
  }

  for (const field of BOOLEAN_FIELDS) {
    test(`${field}: a boolean switch`, () => {
      for (const v of [true, false]) {
        const p = new (P())({ [field]: v });
        expect(p[field]).toBe(v);
        expect(new (P())(p.toJSON())[field]).toBe(v);  // toJSON() round-trips
      }
      for (const v of ['true', 'false', null, {}, [true]]) {
        expect([field, v, errorClass(caughtSync(() => new (P())({ [field]: v })))]).toEqual([field, v, 'TypeError']);
      }
      for (const v of [2, -1, 0.5]) {
        expect(['TypeError', 'RangeError']).toContain(errorClass(caughtSync(() => new (P())({ [field]: v }))));
      }
    });
  }

  test('format: zstd1 or magicless, by name or constant; anything else is an error of the right class', () => {
    for (const [v, expected] of [['zstd1', zstd.FORMAT_ZSTD1], ['magicless', zstd.FORMAT_ZSTD1_MAGICLESS], [zstd.FORMAT_ZSTD1, zstd.FORMAT_ZSTD1], [zstd.FORMAT_ZSTD1_MAGICLESS, zstd.FORMAT_ZSTD1_MAGICLESS]]) {
      expect(new (P())({ format: v }).format).toBe(expected);
    }
    for (const v of ['gzip', 'ZSTD1', '', 2, -1, 0.5]) {
      expect([v, errorClass(caughtSync(() => new (P())({ format: v })))]).toEqual([v, 'RangeError']);
    }
  });

  test('format: a value of the wrong type (boolean, object, array) is a TypeError', () => {
    for (const v of [true, {}, [0]]) {
      expect([v, errorClass(caughtSync(() => new (P())({ format: v })))]).toEqual([v, 'TypeError']);
    }
  });

  test('unknown fields and a non-object argument are TypeErrors; undefined fields are unset', () => {
    for (const fields of [{ windowlog: 20 }, { level: 3 }, { compressionLevel: 3 }, { window_log: 20 }, { toString: 5 }, { windowLog: 20, nbWorkers: 2 }]) {
      expect([Object.keys(fields), errorClass(caughtSync(() => new (P())(fields)))]).toEqual([Object.keys(fields), 'TypeError']);
    }
    for (const arg of ['windowLog', 20, true]) expect(errorClass(caughtSync(() => new (P())(arg)))).toBe('TypeError');
    const empty = new (P())();
    expect(empty.toJSON()).toEqual({});
    expect(new (P())(null).toJSON()).toEqual({});
    const p = new (P())({ windowLog: undefined, chainLog: 16 });
    expect(p.windowLog).toBeUndefined();
    expect(p.toJSON()).toEqual({ chainLog: 16 });
    for (const field of ALL_FIELDS) expect(empty[field]).toBeUndefined();
  });

  test('every field at once: getters, toJSON() round trip, immutability', () => {
    const fields = {
      windowLog: 20, chainLog: 16, hashLog: 17, searchLog: 3, minMatch: 5, targetLength: 16, strategy: zstd.STRATEGY_LAZY2,
      format: 'zstd1', writeContentSize: true, writeChecksum: true, writeDictId: false, forceMaxWindow: false, enableLdm: true,
      ldmHashLog: 20, ldmMinMatch: 64, ldmBucketSizeLog: 3, ldmHashRateLog: 4,
      ...(zstd.features.threads ? { jobSize: 1 << 20, overlapLog: 6, threads: 2 } : { jobSize: 0, overlapLog: 0, threads: 0 }),
    };
    const p = new (P())(fields);
    for (const field of ALL_FIELDS) {
      const expected = field === 'format' ? zstd.FORMAT_ZSTD1 : fields[field];
      expect([field, p[field]]).toEqual([field, expected]);
    }
    const again = new (P())(p.toJSON());
    for (const field of ALL_FIELDS) expect([field, again[field]]).toEqual([field, p[field]]);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p.toJSON());
    // toJSON() is a copy: changing it changes nothing.
    const json = p.toJSON();
    json.windowLog = 11;
    expect(p.windowLog).toBe(20);
    try {
      p.windowLog = 11;
    } catch {
      // strict mode: assigning to a getter throws; either way nothing changes
    }
    expect(p.windowLog).toBe(20);
  });
});

describe('fromLevel', () => {
  const LEVELS = [-5, 1, 3, 9, 19, 22];

  test('without sizes: exactly the > 256 KiB row of libzstd\'s table (negative levels: targetLength = -level)', () => {
    for (const level of [...LEVELS, -131072, -100, -1, 0, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21]) {
      const p = P().fromLevel(level);
      expect(p).toBeInstanceOf(P());
      const got = Object.fromEntries(FIELDS7.map((f) => [f, p[f]]));
      expect([level, got]).toEqual([level, asFields(TABLES[0][level === 0 ? 3 : Math.max(0, level)].map((v, i) => (i === 5 && level < 0 ? -level : v)))]);
      // Only the seven compression parameters are set.
      expect(Object.keys(p.toJSON()).sort()).toEqual([...FIELDS7].sort());
    }
    expect(P().fromLevel(-5).targetLength).toBe(5);
    expect(P().fromLevel(0).toJSON()).toEqual(P().fromLevel(3).toJSON());
    expect(P().fromLevel(3, {}).toJSON()).toEqual(P().fromLevel(3).toJSON());
    expect(P().fromLevel(3, { sourceSize: 0, dictSize: 0 }).toJSON()).toEqual(P().fromLevel(3).toJSON());
  });

  test('a dictionary without a source size picks the row for dictSize + 500 bytes, unshrunk', () => {
    for (const level of LEVELS) {
      for (const dictSize of [1, 1000, 15000, 16384, 100000, 131072, 200000, 262144, 300000, 10 << 20]) {
        const p = P().fromLevel(level, { dictSize });
        expect([level, dictSize, p.toJSON()]).toEqual([level, dictSize, expectedParams(level, 0, dictSize)]);
      }
    }
    // Bucket edges: 16 KiB - 500 is the last dictionary size in the smallest bucket.
    expect(P().fromLevel(1, { dictSize: 16 * KB - 499 }).windowLog).toBe(14);
    expect(P().fromLevel(1, { dictSize: 16 * KB - 498 }).windowLog).toBe(17);
  });

  test('with a source size: the bucket\'s row (> 256 KiB, <= 256 KiB, <= 128 KiB, <= 16 KiB), shrunk to the size', () => {
    const sizes = [1, 63, 64, 100, 1000, 1024, 1025, 5000, 16 * KB, 16 * KB + 1, 100000, 128 * KB, 128 * KB + 1, 256 * KB, 256 * KB + 1,
      1 << 20, 10 << 20, 2 ** 29, 2 ** 29 + 1, 2 ** 40];
    for (const level of LEVELS) {
      for (const sourceSize of sizes) {
        for (const dictSize of [0, 1000, 100000, 300000]) {
          const p = P().fromLevel(level, { sourceSize, dictSize });
          const got = p.toJSON();
          expect([level, sourceSize, dictSize, got]).toEqual([level, sourceSize, dictSize, expectedParams(level, sourceSize, dictSize)]);
          // Plausible whatever the arithmetic: never more than the bucket's row, never below the minimums,
          // and a window that holds the whole input when it is small.
          const row = tableRow(level, sourceSize, dictSize);
          expect(got.windowLog).toBeLessThanOrEqual(row.windowLog);
          expect(got.windowLog).toBeGreaterThanOrEqual(10);
          expect(got.hashLog).toBeLessThanOrEqual(row.hashLog);
          expect(got.chainLog).toBeLessThanOrEqual(row.chainLog);
          expect(got.hashLog).toBeGreaterThanOrEqual(6);
          expect(got.chainLog).toBeGreaterThanOrEqual(6);
          expect(2 ** got.windowLog).toBeGreaterThanOrEqual(Math.min(sourceSize + dictSize, 2 ** row.windowLog));
          expect([got.searchLog, got.minMatch, got.targetLength, got.strategy]).toEqual([row.searchLog, row.minMatch, row.targetLength, row.strategy]);
        }
      }
    }
    // Spot checks written out from the table.
    expect(P().fromLevel(3, { sourceSize: 1000 }).toJSON()).toEqual({ windowLog: 10, chainLog: 10, hashLog: 11, searchLog: 2, minMatch: 4, targetLength: 0, strategy: 2 });
    expect(P().fromLevel(19, { sourceSize: 200000 }).toJSON()).toEqual({ windowLog: 18, chainLog: 19, hashLog: 19, searchLog: 8, minMatch: 3, targetLength: 256, strategy: 9 });
    expect(P().fromLevel(22, { sourceSize: 10 << 20 }).toJSON()).toEqual({ windowLog: 24, chainLog: 25, hashLog: 25, searchLog: 9, minMatch: 3, targetLength: 999, strategy: 9 });
  });

  test('a compressor given fromLevel(level, { sourceSize }) writes the same frames as one given level', () => {
    const data = concat([textData(150000, 3), randomData(20000, 4), textData(130000, 5)]);
    for (const level of [-5, 1, 3, 9, 19]) {
      const byLevel = compressWith({ level }, data);
      for (const options of [{ sourceSize: data.length }, {}]) {
        const byParams = compressWith({ compressionParams: P().fromLevel(level, options) }, data);
        expect(byParams.length).toBe(byLevel.length);
        expectSameBytes(byParams, byLevel);
      }
    }
  });

  test('compressionParams override level: level 19 with fromLevel(1) writes the level-1 frame', () => {
    // fromLevel(1) has targetLength 0 (a real value for the fast strategy, not "unset").
    const data = concat([textData(150000, 3), randomData(20000, 4), textData(130000, 5)]);
    const params = P().fromLevel(1);
    expect(params.targetLength).toBe(0);
    const expected = compressWith({ level: 1 }, data);
    for (const level of [1, 3, 19, -5]) {
      const got = compressWith({ level, compressionParams: params }, data);
      expect([level, got.length]).toEqual([level, expected.length]);
      expectSameBytes(got, expected);
    }
  });

  test('errors: level and sizes out of range or of the wrong type', () => {
    for (const level of [23, 100, -131073, 1.5, NaN]) expect([level, errorClass(caughtSync(() => P().fromLevel(level)))]).toEqual([level, 'RangeError']);
    for (const level of ['3', null, undefined, {}, 3n]) expect([String(level), errorClass(caughtSync(() => P().fromLevel(level)))]).toEqual([String(level), 'TypeError']);
    for (const options of [{ sourceSize: -1 }, { sourceSize: 1.5 }, { dictSize: -1 }, { dictSize: 0.5 }]) {
      expect(errorClass(caughtSync(() => P().fromLevel(3, options)))).toBe('RangeError');
    }
    for (const options of [{ sourceSize: '1000' }, { dictSize: null }, 'big']) {
      expect(errorClass(caughtSync(() => P().fromLevel(3, options)))).toBe('TypeError');
    }
  });
});

describe('a compressor applies its compressionParams', () => {
  const big = concat([textData(900000, 6), randomData(300000, 7), textData(400000, 8)]);  // 1.6 MB

  test('windowLog shows in the frame header for an input larger than the window', () => {
    for (const windowLog of [10, 12, 15, 17, 20]) {
      const frame = compressWith({ compressionParams: new (P())({ windowLog }) }, big);
      const p = zstd.getFrameParameters(frame);
      expect([windowLog, p.windowSize]).toEqual([windowLog, 2 ** windowLog]);
      expect(p.contentSize).toBe(big.length);
      expectSameBytes(decompressWith({}, frame), big);
      expectSameBytes(zstdCli(['-d', '-c', '-q'], frame), big);
    }
    // A window larger than the input is shrunk to fit it.
    const frame = compressWith({ compressionParams: new (P())({ windowLog: 27 }) }, big);
    expect(zstd.getFrameParameters(frame).windowSize).toBeLessThanOrEqual(2 ** 21);
    expectSameBytes(zstdCli(['-d', '-c', '-q'], frame), big);
  });

  test('writeChecksum, writeContentSize, writeDictId and format', () => {
    const data = textData(50000, 9);
    let frame = compressWith({ compressionParams: new (P())({ writeChecksum: true }) }, data);
    expect(zstd.getFrameParameters(frame).hasChecksum).toBe(true);
    expectSameBytes(zstdCli(['-d', '-c', '-q'], frame), data);
    frame = compressWith({ compressionParams: new (P())({ writeChecksum: false }) }, data);
    expect(zstd.getFrameParameters(frame).hasChecksum).toBe(false);
    frame = compressWith({ compressionParams: new (P())({ writeContentSize: false }) }, data);
    expect(zstd.getFrameParameters(frame).contentSize).toBe(-1);
    expectSameBytes(decompressWith({}, frame, { maxOutputSize: data.length }), data);
    frame = compressWith({ compressionParams: new (P())({ writeContentSize: true }) }, data);
    expect(zstd.getFrameParameters(frame).contentSize).toBe(data.length);

    const dict = zstd.trainDictionary(4096, Array.from({ length: 300 }, (_, i) => textData(300 + (i % 50), i)), { k: 64, d: 8, dictId: 9999 });
    frame = compressWith({ dictData: dict, compressionParams: new (P())({ writeDictId: false }) }, data);
    expect(zstd.getFrameParameters(frame).dictId).toBe(0);
    expectSameBytes(decompressWith({ dictData: dict }, frame), data);
    frame = compressWith({ dictData: dict, compressionParams: new (P())({ writeDictId: true, forceMaxWindow: true }) }, data);
    expect(zstd.getFrameParameters(frame).dictId).toBe(9999);
    expectSameBytes(decompressWith({ dictData: dict }, frame), data);
    dict.free();

  });

  test('format magicless: the frame without its magic number; a magicless decompressor reads it (streaming, maxOutputSize)', () => {
    const data = textData(50000, 9);
    const frame = compressWith({ compressionParams: new (P())({ format: 'magicless' }) }, data);
    expect(Array.from(frame.subarray(0, 4))).not.toEqual(Array.from(zstd.FRAME_HEADER));
    expectSameBytes(frame, compressWith({}, data).subarray(4));
    expectSameBytes(decompressWith({ format: 'magicless' }, frame, { maxOutputSize: data.length }), data);
    const d = new zstd.ZstdDecompressor({ format: 'magicless' });
    const o = d.decompressobj();
    expectSameBytes(o.decompress(frame), data);
    d.free();
    const e = caughtSync(() => decompressWith({}, frame, { maxOutputSize: data.length }));
    expect(describeError(e)).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'prefix_unknown' }));
  });

  test('format magicless: one-shot decompress() / decompressToBuffer() use the content size the header states', () => {
    const data = textData(50000, 9);
    const frame = compressWith({ compressionParams: new (P())({ format: 'magicless' }) }, data);
    const d = new zstd.ZstdDecompressor({ format: 'magicless' });
    try {
      let out;
      let e = caughtSync(() => (out = d.decompress(frame)));
      expect(describeError(e)).toBe('no error');
      expectSameBytes(out, data);
      let buf;
      e = caughtSync(() => (buf = d.decompressToBuffer(frame)));
      expect(describeError(e)).toBe('no error');
      expectSameBytes(buf.toBytes(), data);
      buf.free();
    } finally {
      d.free();
    }
  });

  test('every strategy, and explicit search parameters, make frames the CLI decodes', () => {
    const data = concat([textData(200000, 10), randomData(10000, 11), textData(100000, 12)]);
    const sizes = [];
    for (let strategy = 1; strategy <= 9; strategy++) {
      const frame = compressWith({ compressionParams: new (P())({ strategy, windowLog: 19 }) }, data);
      sizes.push(frame.length);
      expectSameBytes(zstdCli(['-d', '-c', '-q'], frame), data);
    }
    expect(sizes[8]).toBeLessThan(sizes[0]);  // btultra2 beats fast
    const combos = [
      { windowLog: 16, chainLog: 6, hashLog: 6, searchLog: 1, minMatch: 7, targetLength: 0, strategy: 1 },
      { windowLog: 22, chainLog: 20, hashLog: 20, searchLog: 6, minMatch: 3, targetLength: 999, strategy: 9 },
      { windowLog: 18, chainLog: 16, hashLog: 17, searchLog: 4, minMatch: 5, targetLength: 64, strategy: 5 },
      { windowLog: 10, chainLog: 29, hashLog: 30, searchLog: 29, minMatch: 4, targetLength: 131072, strategy: 7 },
    ];
    for (const fields of combos) {
      const frame = compressWith({ compressionParams: new (P())(fields) }, data.subarray(0, 100000));
      expectSameBytes(zstdCli(['-d', '-c', '-q'], frame), data.subarray(0, 100000));
    }
  });

  test('threads, jobSize and overlapLog', () => {
    const data = concat([textData(3 << 20, 13), randomData(1 << 20, 14)]);
    const fields = zstd.features.threads ? { threads: 2, jobSize: 1 << 20, overlapLog: 4 } : { threads: 0 };
    const c = new zstd.ZstdCompressor({ compressionParams: new (P())(fields) });
    if (zstd.features.threads) expect(c.threads).toBe(2);
    const frame = c.compress(data);
    const o = c.compressobj();
    const streamed = concat([o.compress(data), o.flush()]);
    c.free();
    for (const f of [frame, streamed]) expectSameBytes(zstdCli(['-d', '-c', '-q'], f), data);
    const all = new zstd.ZstdCompressor({ compressionParams: new (P())({ threads: -1 }) });
    expect(all.threads).toBe(zstd.features.threads ? zstd.features.maxThreads : 0);
    expectSameBytes(decompressWith({}, all.compress(data)), data);
    all.free();
  });

  describe('long-distance matching and `zstd --long`', () => {
    // 1 MiB of random bytes, another, then the first again: a repeat 2 MiB back.
    const a = randomData(1 << 20, 15);
    const data = concat([a, randomData(1 << 20, 16), a]);

    test('enableLdm with windowLog 27: `zstd -d --long=27` decodes; the repeat is found', () => {
      const params = new (P())({ enableLdm: true, windowLog: 27, ldmHashLog: 20, ldmMinMatch: 64, ldmBucketSizeLog: 3, ldmHashRateLog: 7 });
      for (const p of [params, new (P())({ enableLdm: true, windowLog: 27 })]) {
        const frame = compressWith({ compressionParams: p }, data, { stream: true });
        const fp = zstd.getFrameParameters(frame);
        expect(fp.windowSize).toBe(2 ** 27);
        expect(fp.contentSize).toBe(-1);
        expect(frame.length).toBeLessThan(2.2 * 2 ** 20);
        expectSameBytes(zstdCli(['-d', '-c', '-q', '--long=27'], frame), data);
        expectSameBytes(decompressWith({}, frame, { maxOutputSize: data.length }), data);
      }
    });

    test('windowLog 28: plain `zstd -d` refuses, `--long=28` decodes; here maxWindowSize decides', () => {
      const frame = compressWith({ compressionParams: new (P())({ enableLdm: true, windowLog: 28 }) }, data, { stream: true });
      expect(zstd.getFrameParameters(frame).windowSize).toBe(2 ** 28);
      const refused = spawnSync('zstd', ['-d', '-c', '-q'], { input: frame, maxBuffer: 1 << 30 });
      expect(refused.status).not.toBe(0);
      expectSameBytes(zstdCli(['-d', '-c', '-q', '--long=28'], frame), data);
      const e = caughtSync(() => decompressWith({}, frame, { maxOutputSize: data.length }));
      expect(describeError(e)).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'frame_parameter_window_too_large' }));
      expectSameBytes(decompressWith({ maxWindowSize: 2 ** 28 }, frame, { maxOutputSize: data.length }), data);
    });

    test('frames from `zstd --long=27` and `--long=28` decode here', () => {
      const input = Buffer.from(data);
      const long27 = zstdCli(['-c', '-q', '--long=27'], input);
      expect(zstd.getFrameParameters(long27).windowSize).toBe(2 ** 27);
      expect(long27.length).toBeLessThan(2.2 * 2 ** 20);
      expectSameBytes(decompressWith({}, long27, { maxOutputSize: data.length }), data);
      const d = new zstd.ZstdDecompressor();
      const o = d.decompressobj();
      expectSameBytes(concat([o.decompress(long27.subarray(0, 1000000)), o.decompress(long27.subarray(1000000))]), data);
      expect(o.eof).toBe(true);
      d.free();
      const long28u = zstdCli(['-c', '-q', '--long=28'], input);
      expect(zstd.getFrameParameters(long28u).windowSize).toBe(2 ** 28);
      expect(describeError(caughtSync(() => decompressWith({}, long28u, { maxOutputSize: data.length }))))
        .toEqual(expect.objectContaining({ code: 'frame_parameter_window_too_large' }));
      expectSameBytes(decompressWith({ maxWindowSize: 2 ** 28 }, long28u, { maxOutputSize: data.length }), data);
    });
  });

  test('compressionParams that is not a ZstdCompressionParameters is a TypeError', () => {
    for (const bad of [{ windowLog: 20 }, 'fast', 20, P().fromLevel(3).toJSON()]) {
      expect(errorClass(caughtSync(() => new zstd.ZstdCompressor({ compressionParams: bad })))).toBe('TypeError');
    }
  });
});

describe('memory estimates', () => {
  test('estimatedCompressionContextSize grows with windowLog, hashLog, chainLog and level', () => {
    const est = (fields) => new (P())(fields).estimatedCompressionContextSize();
    let last = 0;
    const byWindow = [];
    for (let windowLog = 10; windowLog <= 30; windowLog++) {
      const size = est({ windowLog });
      expect(Number.isInteger(size)).toBe(true);
      expect(size).toBeGreaterThanOrEqual(last);
      byWindow.push(size);
      last = size;
    }
    expect(byWindow[17 - 10]).toBeGreaterThan(byWindow[0]);
    expect(est({ windowLog: 20, hashLog: 24 })).toBeGreaterThan(est({ windowLog: 20, hashLog: 16 }));
    expect(est({ windowLog: 20, chainLog: 24, strategy: 6 })).toBeGreaterThan(est({ windowLog: 20, chainLog: 16, strategy: 6 }));
    expect(P().fromLevel(19).estimatedCompressionContextSize()).toBeGreaterThan(P().fromLevel(1).estimatedCompressionContextSize());
    expect(P().fromLevel(22).estimatedCompressionContextSize()).toBeGreaterThan(P().fromLevel(19).estimatedCompressionContextSize());
    expect(est({})).toBeGreaterThan(0);
    // Long-distance matching needs its own tables.
    const ldm = { windowLog: 27, enableLdm: true, ldmHashLog: 20, ldmMinMatch: 64, ldmBucketSizeLog: 3, ldmHashRateLog: 7 };
    expect(est(ldm)).toBeGreaterThan(est({ windowLog: 27 }));
    // A compressor with those parameters uses about what was estimated.
    for (const level of [1, 3, 19]) {
      const params = P().fromLevel(level);
      const c = new zstd.ZstdCompressor({ compressionParams: params });
      c.compress(textData(3 << 20, 17));
      expect(c.memorySize()).toBeGreaterThan(0);
      expect(c.memorySize()).toBeLessThanOrEqual(params.estimatedCompressionContextSize() * 1.5 + (1 << 20));
      c.free();
    }
  });

  test('estimatedCompressionContextSize with enableLdm and default ldm fields returns a size (no wasm trap)', () => {
    const before = mem();
    let size;
    const e = caughtSync(() => (size = new (P())({ windowLog: 27, enableLdm: true }).estimatedCompressionContextSize()));
    // Whatever happened, the instance keeps working and holds no more memory.
    expectSameBytes(decompressWith({}, compressWith({}, 'still working')), Buffer.from('still working'));
    expect(mem()).toBe(before);
    expect(describeError(e)).toBe('no error');
    expect(size).toBeGreaterThan(new (P())({ windowLog: 27 }).estimatedCompressionContextSize());
    // The same parameters compress fine: only the estimate fails.
    const data = textData(100000, 20);
    expectSameBytes(decompressWith({}, compressWith({ compressionParams: new (P())({ windowLog: 27, enableLdm: true }) }, data)), data);
  });

  test('estimatedCompressionContextSize with threads: a size or a ZstdError, never a crash', () => {
    let size;
    const e = caughtSync(() => (size = new (P())({ threads: zstd.features.threads ? 2 : 0 }).estimatedCompressionContextSize()));
    if (e === null) expect(size).toBeGreaterThan(0);
    else expect(e).toBeInstanceOf(zstd.ZstdError);
  });

  test('estimateDecompressionContextSize, memorySize of compressors and decompressors', () => {
    const size = zstd.estimateDecompressionContextSize();
    expect(Number.isInteger(size)).toBe(true);
    expect(size).toBeGreaterThan(1000);
    expect(zstd.estimateDecompressionContextSize()).toBe(size);
    const d = new zstd.ZstdDecompressor();
    d.decompress(compressWith({}, textData(100000, 18)));
    expect(d.memorySize()).toBeGreaterThan(0);
    d.free();
    const small = new zstd.ZstdCompressor({ level: 1 });
    const large = new zstd.ZstdCompressor({ level: 19 });
    const data = textData(2 << 20, 19);
    small.compress(data);
    large.compress(data);
    expect(large.memorySize()).toBeGreaterThan(small.memorySize());
    small.free();
    large.free();
  });
});

test('memory is back to the baseline: parameters hold no wasm memory, compressors were freed', () => {
  for (let i = 0; i < 100; i++) new (P())({ windowLog: 20 + (i % 5) }).estimatedCompressionContextSize();
  expect(mem()).toBe(baseline);
});

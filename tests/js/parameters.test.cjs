// ZstdCompressionParameters: every field's bounds, getters and toJSON(), and fromLevel() against
// libzstd's default tables (third_party/zstd/lib/compress/clevels.h and ZSTD_adjustCParams_internal).
const zstd = require('zstd-kit');
const { textData, randomData, expectSameBytes, concat, caughtSync } = require('./helpers.cjs');
const { P, errorClass, compressWith, numericBounds, BOOLEAN_FIELDS, ALL_FIELDS } = require('./parameters/common.cjs');

// lib/compress/clevels.h, ZSTD_defaultCParameters: [W, C, H, S, L, TL, strategy] per level 0..22,
// for srcSize > 256 KiB, <= 256 KiB, <= 128 KiB, <= 16 KiB.
const TABLES = [
  [
    [19, 12, 13, 1, 6, 1, 1],
    [19, 13, 14, 1, 7, 0, 1],
    [20, 15, 16, 1, 6, 0, 1],
    [21, 16, 17, 1, 5, 0, 2],
    [21, 18, 18, 1, 5, 0, 2],
    [21, 18, 19, 3, 5, 2, 3],
    [21, 18, 19, 3, 5, 4, 4],
    [21, 19, 20, 4, 5, 8, 4],
    [21, 19, 20, 4, 5, 16, 5],
    [22, 20, 21, 4, 5, 16, 5],
    [22, 21, 22, 5, 5, 16, 5],
    [22, 21, 22, 6, 5, 16, 5],
    [22, 22, 23, 6, 5, 32, 5],
    [22, 22, 22, 4, 5, 32, 6],
    [22, 22, 23, 5, 5, 32, 6],
    [22, 23, 23, 6, 5, 32, 6],
    [22, 22, 22, 5, 5, 48, 7],
    [23, 23, 22, 5, 4, 64, 7],
    [23, 23, 22, 6, 3, 64, 8],
    [23, 24, 22, 7, 3, 256, 9],
    [25, 25, 23, 7, 3, 256, 9],
    [26, 26, 24, 7, 3, 512, 9],
    [27, 27, 25, 9, 3, 999, 9],
  ],
  [
    [18, 12, 13, 1, 5, 1, 1],
    [18, 13, 14, 1, 6, 0, 1],
    [18, 14, 14, 1, 5, 0, 2],
    [18, 16, 16, 1, 4, 0, 2],
    [18, 16, 17, 3, 5, 2, 3],
    [18, 17, 18, 5, 5, 2, 3],
    [18, 18, 19, 3, 5, 4, 4],
    [18, 18, 19, 4, 4, 4, 4],
    [18, 18, 19, 4, 4, 8, 5],
    [18, 18, 19, 5, 4, 8, 5],
    [18, 18, 19, 6, 4, 8, 5],
    [18, 18, 19, 5, 4, 12, 6],
    [18, 19, 19, 7, 4, 12, 6],
    [18, 18, 19, 4, 4, 16, 7],
    [18, 18, 19, 4, 3, 32, 7],
    [18, 18, 19, 6, 3, 128, 7],
    [18, 19, 19, 6, 3, 128, 8],
    [18, 19, 19, 8, 3, 256, 8],
    [18, 19, 19, 6, 3, 128, 9],
    [18, 19, 19, 8, 3, 256, 9],
    [18, 19, 19, 10, 3, 512, 9],
    [18, 19, 19, 12, 3, 512, 9],
    [18, 19, 19, 13, 3, 999, 9],
  ],
  [
    [17, 12, 12, 1, 5, 1, 1],
    [17, 12, 13, 1, 6, 0, 1],
    [17, 13, 15, 1, 5, 0, 1],
    [17, 15, 16, 2, 5, 0, 2],
    [17, 17, 17, 2, 4, 0, 2],
    [17, 16, 17, 3, 4, 2, 3],
    [17, 16, 17, 3, 4, 4, 4],
    [17, 16, 17, 3, 4, 8, 5],
    [17, 16, 17, 4, 4, 8, 5],
    [17, 16, 17, 5, 4, 8, 5],
    [17, 16, 17, 6, 4, 8, 5],
    [17, 17, 17, 5, 4, 8, 6],
    [17, 18, 17, 7, 4, 12, 6],
    [17, 18, 17, 3, 4, 12, 7],
    [17, 18, 17, 4, 3, 32, 7],
    [17, 18, 17, 6, 3, 256, 7],
    [17, 18, 17, 6, 3, 128, 8],
    [17, 18, 17, 8, 3, 256, 8],
    [17, 18, 17, 10, 3, 512, 8],
    [17, 18, 17, 5, 3, 256, 9],
    [17, 18, 17, 7, 3, 512, 9],
    [17, 18, 17, 9, 3, 512, 9],
    [17, 18, 17, 11, 3, 999, 9],
  ],
  [
    [14, 12, 13, 1, 5, 1, 1],
    [14, 14, 15, 1, 5, 0, 1],
    [14, 14, 15, 1, 4, 0, 1],
    [14, 14, 15, 2, 4, 0, 2],
    [14, 14, 14, 4, 4, 2, 3],
    [14, 14, 14, 3, 4, 4, 4],
    [14, 14, 14, 4, 4, 8, 5],
    [14, 14, 14, 6, 4, 8, 5],
    [14, 14, 14, 8, 4, 8, 5],
    [14, 15, 14, 5, 4, 8, 6],
    [14, 15, 14, 9, 4, 8, 6],
    [14, 15, 14, 3, 4, 12, 7],
    [14, 15, 14, 4, 3, 24, 7],
    [14, 15, 14, 5, 3, 32, 8],
    [14, 15, 15, 6, 3, 64, 8],
    [14, 15, 15, 7, 3, 256, 8],
    [14, 15, 15, 5, 3, 48, 9],
    [14, 15, 15, 6, 3, 128, 9],
    [14, 15, 15, 7, 3, 256, 9],
    [14, 15, 15, 8, 3, 256, 9],
    [14, 15, 15, 8, 3, 512, 9],
    [14, 15, 15, 9, 3, 512, 9],
    [14, 15, 15, 10, 3, 999, 9],
  ],
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

beforeAll(() => zstd.init());

describe('bounds of every field', () => {
  test("the exported bound constants are libzstd's and are what the constructor enforces", () => {
    const b = numericBounds();
    const constants = {
      WINDOWLOG: 'windowLog',
      CHAINLOG: 'chainLog',
      HASHLOG: 'hashLog',
      SEARCHLOG: 'searchLog',
      MINMATCH: 'minMatch',
      TARGETLENGTH: 'targetLength',
    };
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
  const NUMERIC_FIELDS = [
    'windowLog',
    'chainLog',
    'hashLog',
    'searchLog',
    'minMatch',
    'targetLength',
    'strategy',
    'jobSize',
    'overlapLog',
    'ldmHashLog',
    'ldmMinMatch',
    'ldmBucketSizeLog',
    'ldmHashRateLog',
    'threads',
  ];
  test('the numeric fields are the ones listed', () => {
    expect(Object.keys(numericBounds())).toEqual(NUMERIC_FIELDS);
    expect(zstd.features.threads).toBe(true); // Node loads the threaded build
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
      if (zero) expect(make(0)[field]).toBe(0); // the level's default
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
        expect(new (P())(p.toJSON())[field]).toBe(v); // toJSON() round-trips
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
    for (const [v, expected] of [
      ['zstd1', zstd.FORMAT_ZSTD1],
      ['magicless', zstd.FORMAT_ZSTD1_MAGICLESS],
      [zstd.FORMAT_ZSTD1, zstd.FORMAT_ZSTD1],
      [zstd.FORMAT_ZSTD1_MAGICLESS, zstd.FORMAT_ZSTD1_MAGICLESS],
    ]) {
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
    for (const fields of [
      { windowlog: 20 },
      { level: 3 },
      { compressionLevel: 3 },
      { window_log: 20 },
      { toString: 5 },
      { windowLog: 20, nbWorkers: 2 },
    ]) {
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
      windowLog: 20,
      chainLog: 16,
      hashLog: 17,
      searchLog: 3,
      minMatch: 5,
      targetLength: 16,
      strategy: zstd.STRATEGY_LAZY2,
      format: 'zstd1',
      writeContentSize: true,
      writeChecksum: true,
      writeDictId: false,
      forceMaxWindow: false,
      enableLdm: true,
      ldmHashLog: 20,
      ldmMinMatch: 64,
      ldmBucketSizeLog: 3,
      ldmHashRateLog: 4,
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

  test("without sizes: exactly the > 256 KiB row of libzstd's table (negative levels: targetLength = -level)", () => {
    for (const level of [...LEVELS, -131072, -100, -1, 0, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21]) {
      const p = P().fromLevel(level);
      expect(p).toBeInstanceOf(P());
      const got = Object.fromEntries(FIELDS7.map((f) => [f, p[f]]));
      expect([level, got]).toEqual([
        level,
        asFields(TABLES[0][level === 0 ? 3 : Math.max(0, level)].map((v, i) => (i === 5 && level < 0 ? -level : v))),
      ]);
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

  test("with a source size: the bucket's row (> 256 KiB, <= 256 KiB, <= 128 KiB, <= 16 KiB), shrunk to the size", () => {
    const sizes = [
      1,
      63,
      64,
      100,
      1000,
      1024,
      1025,
      5000,
      16 * KB,
      16 * KB + 1,
      100000,
      128 * KB,
      128 * KB + 1,
      256 * KB,
      256 * KB + 1,
      1 << 20,
      10 << 20,
      2 ** 29,
      2 ** 29 + 1,
      2 ** 40,
    ];
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
          expect([got.searchLog, got.minMatch, got.targetLength, got.strategy]).toEqual([
            row.searchLog,
            row.minMatch,
            row.targetLength,
            row.strategy,
          ]);
        }
      }
    }
    // Spot checks written out from the table.
    expect(P().fromLevel(3, { sourceSize: 1000 }).toJSON()).toEqual({
      windowLog: 10,
      chainLog: 10,
      hashLog: 11,
      searchLog: 2,
      minMatch: 4,
      targetLength: 0,
      strategy: 2,
    });
    expect(P().fromLevel(19, { sourceSize: 200000 }).toJSON()).toEqual({
      windowLog: 18,
      chainLog: 19,
      hashLog: 19,
      searchLog: 8,
      minMatch: 3,
      targetLength: 256,
      strategy: 9,
    });
    expect(
      P()
        .fromLevel(22, { sourceSize: 10 << 20 })
        .toJSON(),
    ).toEqual({ windowLog: 24, chainLog: 25, hashLog: 25, searchLog: 9, minMatch: 3, targetLength: 999, strategy: 9 });
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
    for (const level of [23, 100, -131073, 1.5, NaN])
      expect([level, errorClass(caughtSync(() => P().fromLevel(level)))]).toEqual([level, 'RangeError']);
    for (const level of ['3', null, undefined, {}, 3n])
      expect([String(level), errorClass(caughtSync(() => P().fromLevel(level)))]).toEqual([String(level), 'TypeError']);
    for (const options of [{ sourceSize: -1 }, { sourceSize: 1.5 }, { dictSize: -1 }, { dictSize: 0.5 }]) {
      expect(errorClass(caughtSync(() => P().fromLevel(3, options)))).toBe('RangeError');
    }
    for (const options of [{ sourceSize: '1000' }, { dictSize: null }, 'big']) {
      expect(errorClass(caughtSync(() => P().fromLevel(3, options)))).toBe('TypeError');
    }
  });
});

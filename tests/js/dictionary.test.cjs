// Dictionaries: ZstdCompressionDict (every input and type, errors) and trainDictionary() (direct and
// optimized fastCover, ids, errors).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const {
  DICT_MAGIC,
  caughtSync,
  compressOnce,
  concat,
  decompressOnce,
  describeError,
  execFileSync,
  expectSameBytes,
  makeSamples,
  mem,
  readU32,
  specDictId,
  textData,
  zstd,
  zstdCli,
  zstdNode,
  setup,
} = require('./dictionary/common.cjs');

const f = setup();
let samples, dict, dir, input;
beforeAll(() => ({ samples, dict, dir, input } = f));

describe('ZstdCompressionDict', () => {
  test('a trained dictionary: id, length, header, asBytes() a copy that builds the same dictionary', () => {
    expect(dict).toBeInstanceOf(zstd.ZstdCompressionDict);
    expect(dict.dictId()).toBe(424242);
    expect(dict.length).toBeGreaterThan(256);
    expect(dict.length).toBeLessThanOrEqual(8192);
    const bytes = dict.asBytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(dict.length);
    expect([...bytes.subarray(0, 4)]).toEqual(DICT_MAGIC);
    expect(readU32(bytes, 4)).toBe(424242);
    // A copy: changing it changes nothing.
    bytes.fill(0);
    expect([...dict.asBytes().subarray(0, 4)]).toEqual(DICT_MAGIC);
    expect(dict.asBytes()).not.toBe(dict.asBytes());

    const frame = compressOnce({ dictData: dict }, input);
    for (const dictType of [undefined, 'auto', 'fullDict']) {
      const again = new zstd.ZstdCompressionDict(dict.asBytes(), dictType === undefined ? undefined : { dictType });
      expect(again.dictId()).toBe(424242);
      expect(again.length).toBe(dict.length);
      expectSameBytes(compressOnce({ dictData: again }, input), frame);
      expectSameBytes(decompressOnce({ dictData: again }, frame), input);
      again.free();
    }
  });

  test('data of every input type; rawContent and auto on non-dictionary bytes have id 0', () => {
    const content = textData(5000, 4);
    const kinds = [content, Buffer.from(content), content.slice().buffer, new DataView(content.slice().buffer)];
    for (const data of kinds) {
      for (const dictType of ['auto', 'rawContent']) {
        const d = new zstd.ZstdCompressionDict(data, { dictType });
        expect(d.dictId()).toBe(0);
        expect(d.length).toBe(5000);
        expectSameBytes(d.asBytes(), content);
        d.free();
      }
    }
    const fromString = new zstd.ZstdCompressionDict('some dictionary content as a string');
    expectSameBytes(fromString.asBytes(), Buffer.from('some dictionary content as a string'));
    expect(fromString.dictId()).toBe(0);
    fromString.free();
    // A full dictionary's bytes as raw content: id 0 (its header is just content then).
    const raw = new zstd.ZstdCompressionDict(dict.asBytes(), { dictType: 'rawContent' });
    expect(raw.dictId()).toBe(0);
    const frame = compressOnce({ dictData: raw }, input);
    expect(zstd.getFrameParameters(frame).dictId).toBe(0);
    expectSameBytes(decompressOnce({ dictData: raw }, frame), input);
    raw.free();
  });

  test('errors: fullDict on non-dictionary bytes, bad dictType, bad data, bad options; nothing left allocated', () => {
    const before = mem();
    for (const bytes of [textData(5000, 4), Uint8Array.from([...DICT_MAGIC, 1, 2, 3, 4, 5, 6, 7, 8]), dict.asBytes().subarray(0, 100)]) {
      const e = caughtSync(() => new zstd.ZstdCompressionDict(bytes, { dictType: 'fullDict' }));
      expect(describeError(e)).toEqual(expect.objectContaining({ name: 'ZstdError', code: 'dictionary_corrupted' }));
    }
    for (const dictType of ['raw', 'FULLDICT', '', 7, null, true]) {
      expect(caughtSync(() => new zstd.ZstdCompressionDict('abc', { dictType }))).toBeInstanceOf(RangeError);
    }
    for (const data of [42, null, undefined, {}, [1, 2, 3], true]) {
      expect(caughtSync(() => new zstd.ZstdCompressionDict(data))).toBeInstanceOf(TypeError);
    }
    expect(caughtSync(() => new zstd.ZstdCompressionDict('abc', 'rawContent'))).toBeInstanceOf(TypeError);
    expect(mem()).toBe(before);
  });

  test('dictData that is not a ZstdCompressionDict is a TypeError on every constructor', () => {
    for (const bad of [dict.asBytes(), 'dict', 42, {}, { _handle: 1 }]) {
      const makers = [
        () => new zstd.ZstdCompressor({ dictData: bad }),
        () => new zstd.ZstdDecompressor({ dictData: bad }),
        () => new zstd.ZstdCompressionStream({ dictData: bad }),
        () => new zstd.ZstdDecompressionStream({ dictData: bad }),
        () => zstdNode.createZstdCompress({ dictData: bad }),
        () => zstdNode.createZstdDecompress({ dictData: bad }),
      ];
      for (const make of makers) {
        const before = mem();
        expect(caughtSync(make)).toBeInstanceOf(TypeError);
        expect(mem()).toBe(before);
      }
    }
  });

  test('a dictionary makes small inputs much smaller', () => {
    const records = makeSamples(200, 77);
    const c = new zstd.ZstdCompressor();
    const cd = new zstd.ZstdCompressor({ dictData: dict });
    const plain = records.reduce((n, r) => n + c.compress(r).length, 0);
    const withDict = records.reduce((n, r) => n + cd.compress(r).length, 0);
    expect(withDict).toBeLessThan(plain * 0.6);
    c.free();
    cd.free();
  });
});

describe('trainDictionary', () => {
  test('direct (k, d) and optimized training; arrays, BufferWithSegments and collections give the same dictionary', () => {
    const direct = zstd.trainDictionary(4096, samples, { k: 64, d: 8, dictId: 1000 });
    expect(direct.length).toBeLessThanOrEqual(4096);
    expect(direct.dictId()).toBe(1000);

    const table = new BigUint64Array(2 * samples.length);
    let off = 0;
    samples.forEach((s, i) => {
      table[2 * i] = BigInt(off);
      table[2 * i + 1] = BigInt(s.length);
      off += s.length;
    });
    const all = concat(samples);
    const bws = new zstd.BufferWithSegments(all, table);
    const fromBws = zstd.trainDictionary(4096, bws, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromBws.asBytes(), direct.asBytes());
    // A collection of two halves.
    const half = samples.length / 2;
    const firstLen = samples.slice(0, half).reduce((n, s) => n + s.length, 0);
    const t1 = table.slice(0, 2 * half);
    const t2 = table.slice(2 * half).map((v, i) => (i % 2 === 0 ? v - BigInt(firstLen) : v));
    const b1 = new zstd.BufferWithSegments(all.subarray(0, firstLen), t1);
    const b2 = new zstd.BufferWithSegments(all.subarray(firstLen), t2);
    const coll = new zstd.BufferWithSegmentsCollection(b1, b2);
    const fromColl = zstd.trainDictionary(4096, coll, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromColl.asBytes(), direct.asBytes());
    // Mixed input types in an array.
    const mixed = samples.map((s, i) =>
      i % 3 === 0 ? s.toString('latin1') : i % 3 === 1 ? s.buffer.slice(s.byteOffset, s.byteOffset + s.length) : s,
    );
    const fromMixed = zstd.trainDictionary(4096, mixed, { k: 64, d: 8, dictId: 1000 });
    expectSameBytes(fromMixed.asBytes(), direct.asBytes());

    const optimized = zstd.trainDictionary(4096, samples, { steps: 4, level: 3 });
    expect(optimized.length).toBeLessThanOrEqual(4096);
    expect(optimized.dictId()).toBeGreaterThan(0); // random id when not given
    const threaded = zstd.trainDictionary(4096, samples, { steps: 4, threads: 2, splitPoint: 0.75, accel: 2, f: 18 });
    expect(threaded.length).toBeLessThanOrEqual(4096);
    for (const d of [direct, optimized, threaded]) {
      const c = new zstd.ZstdCompressor({ dictData: d });
      const frame = c.compress(input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(d.dictId());
      expectSameBytes(decompressOnce({ dictData: d }, frame), input);
      c.free();
    }
    for (const x of [direct, fromBws, fromColl, fromMixed, optimized, threaded, coll, b1, b2, bws]) x.free();
  });

  test('dictId option: trainDictionary -> dictId() -> getFrameParameters().dictId, ids of 1, 2 and 4 bytes', () => {
    for (const id of [1, 200, 40000, 2 ** 31 - 1, 3000000000, 2 ** 32 - 121]) {
      const d = zstd.trainDictionary(2048, samples.slice(0, 400), { k: 48, d: 8, dictId: id });
      expect(d.dictId()).toBe(id);
      expect(readU32(d.asBytes(), 4)).toBe(id);
      const frame = compressOnce({ dictData: d }, input);
      expect(zstd.getFrameParameters(frame).dictId).toBe(id);
      expect(specDictId(frame).id).toBe(id);
      d.free();
    }
    // Above that, libzstd in wasm32 cannot compress (see below): refused up front.
    expect(caughtSync(() => zstd.trainDictionary(2048, samples.slice(0, 400), { k: 48, d: 8, dictId: 2 ** 32 - 120 }))).toBeInstanceOf(
      RangeError,
    );
  });

  test('dictionary ids in the top 120 values of uint32 (e.g. 0xFFFFFFFF): decoding works, compressing is a clear error', () => {
    // The format allows any 32-bit id, and the (64-bit) CLI trains and uses such dictionaries. A
    // 32-bit libzstd (wasm) returns the id as a size_t where these values are its error codes, so
    // it can decode such frames but not write them: zstd-kit says so instead of failing obscurely.
    const sampleDir = path.join(dir, 'top-id-samples');
    fs.mkdirSync(sampleDir);
    samples.slice(0, 400).forEach((s, i) => fs.writeFileSync(path.join(sampleDir, `s${i}`), s));
    const files = fs.readdirSync(sampleDir).map((f) => path.join(sampleDir, f));
    for (const id of [2 ** 32 - 119, 2 ** 32 - 1]) {
      const file = path.join(dir, `cli-dict-${id}`);
      execFileSync('zstd', ['-q', '--train', ...files, '-o', file, '--maxdict=4096', `--dictID=${id}`]);
      const cliFrame = zstdCli(['-c', '-q', '-D', file, `--stream-size=${input.length}`], Buffer.from(input));
      expect(zstd.getFrameParameters(cliFrame).dictId).toBe(id);
      const dd = new zstd.ZstdCompressionDict(fs.readFileSync(file));
      expect(dd.dictId()).toBe(id);
      try {
        expectSameBytes(decompressOnce({ dictData: dd }, cliFrame), input);
        for (const options of [
          { dictData: dd },
          { dictData: dd, compressionParams: new zstd.ZstdCompressionParameters({ windowLog: 20 }) },
        ]) {
          const e = caughtSync(() => compressOnce(options, input));
          expect(e).toBeInstanceOf(zstd.ZstdError);
          expect(e.code).toBe('dictionary_corrupted');
          expect(e.message).toMatch(/32-bit libzstd/);
        }
      } finally {
        dd.free();
      }
    }
  });

  test("notifications: libzstd's small-corpus warning reaches stderr with its ratio (two decimals)", () => {
    // The warning is the trainer's one float format, printed from integers (cmake/zstd.cmake).
    const script = `
      const zstd = require('zstd-kit');
      const { makeSamples } = require(${JSON.stringify(path.join(__dirname, 'dictionary/common.cjs'))});
      zstd.init().then(() => {
        const samples = makeSamples(300);
        process.stdout.write(String(samples.reduce((n, s) => n + s.length, 0)));
        zstd.trainDictionary(16384, samples, { k: 64, d: 8, notifications: 1 }).free();
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const ratio = /size\(source\)\/size\(dictionary\) = (\d+)\.(\d\d), but it should be >= 10/.exec(run.stderr);
    expect(ratio).not.toBeNull();
    const expected = Number(run.stdout) / 16384; // its d-mers: the sample bytes less d - 1
    expect(expected).toBeGreaterThan(1);
    expect(Math.abs(Number(`${ratio[1]}.${ratio[2]}`) - expected)).toBeLessThan(0.05);
  });

  test('errors: dictSize below the minimum, too few samples, bad option types and ranges', () => {
    let e = caughtSync(() => zstd.trainDictionary(255, samples));
    expect(e).toBeInstanceOf(RangeError); // a dictSize below libzstd's minimum, named in the message
    expect(e.message).toMatch(/256/);
    let atMinimum = null;
    const minimum = caughtSync(() => (atMinimum = zstd.trainDictionary(256, samples)));
    expect(minimum === null || minimum instanceof zstd.ZstdError).toBe(true); // 256 itself is a valid size
    atMinimum?.free();
    e = caughtSync(() => zstd.trainDictionary(100000, samples.slice(0, 3)));
    expect(e).toBeInstanceOf(zstd.ZstdError);
    expect(e.message).toMatch(/more .*samples|smaller dictSize/);
    e = caughtSync(() => zstd.trainDictionary(8192, []));
    expect(e instanceof zstd.ZstdError || e instanceof RangeError).toBe(true);

    const types = [['8192'], [null], [undefined], [{}]];
    for (const [size] of types) expect(caughtSync(() => zstd.trainDictionary(size, samples))).toBeInstanceOf(TypeError);
    for (const size of [-1, 1.5, NaN, 2 ** 32]) expect(caughtSync(() => zstd.trainDictionary(size, samples))).toBeInstanceOf(RangeError);
    for (const bad of [42, 'samples', null, {}]) expect(caughtSync(() => zstd.trainDictionary(8192, bad))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => zstd.trainDictionary(8192, [1, 2]))).toBeInstanceOf(TypeError);
    expect(caughtSync(() => zstd.trainDictionary(8192, samples, 'fast'))).toBeInstanceOf(TypeError);
    const options = {
      k: [-1, 1.5],
      d: [-1, 0.5],
      f: [-1, 32],
      steps: [-1, 2.5],
      accel: [-1, 11],
      splitPoint: [0, -0.5, 1.5],
      threads: [-2, 1.5],
      level: [23, -131073, 1.5],
      dictId: [-1, 2 ** 32, 1.5],
      notifications: [-1, 5],
    };
    for (const [name, values] of Object.entries(options)) {
      for (const v of values) {
        const err = caughtSync(() => zstd.trainDictionary(8192, samples, { [name]: v }));
        if (!(err instanceof RangeError)) throw new Error(`${name}: ${v} gave ${JSON.stringify(describeError(err))}`);
      }
      const err = caughtSync(() => zstd.trainDictionary(8192, samples, { [name]: '3' }));
      if (!(err instanceof TypeError)) throw new Error(`${name}: '3' gave ${JSON.stringify(describeError(err))}`);
    }
  });
});

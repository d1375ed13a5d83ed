// What a compressor does with its compressionParams (window, checksum, format, strategies, threads,
// long-distance matching and `zstd --long` interop both ways) and the memory estimates.
const { spawnSync } = require('node:child_process');
const zstd = require('zstd-kit');
const { textData, randomData, zstdCli, expectSameBytes, concat, caughtSync } = require('./helpers.cjs');
const { P, mem, describeError, errorClass, compressWith, decompressWith } = require('./parameters/common.cjs');

let baseline;
beforeAll(async () => {
  await zstd.init();
  baseline = mem();
});

describe('a compressor applies its compressionParams', () => {
  const big = concat([textData(900000, 6), randomData(300000, 7), textData(400000, 8)]); // 1.6 MB

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

    const dict = zstd.trainDictionary(
      4096,
      Array.from({ length: 300 }, (_, i) => textData(300 + (i % 50), i)),
      { k: 64, d: 8, dictId: 9999 },
    );
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
    expect(sizes[8]).toBeLessThan(sizes[0]); // btultra2 beats fast
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
      expect(describeError(caughtSync(() => decompressWith({}, long28u, { maxOutputSize: data.length })))).toEqual(
        expect.objectContaining({ code: 'frame_parameter_window_too_large' }),
      );
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
